package io.retraintrigger.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The contract every {@link SignalTimes} adapter passes (H2, PostgreSQL, dynalite), a nested class of each store's test. */
public abstract class SignalTimesContract {
    private static final Instant T = Instant.parse("2026-06-01T10:00:00Z");
    protected SignalTimes store;

    /** Signal times on the adapter's backing database (already migrated / created). Called before each test. */
    protected abstract SignalTimes newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    private static String pipeline() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void advanceKeepsTheLatestAndSignalsAreApart() {
        String p = pipeline();
        assertEquals(Optional.empty(), store.last(p, "data"));
        store.advance(p, "data", T);
        store.advance(p, "data", T.minusSeconds(60));
        assertEquals(Optional.of(T), store.last(p, "data"), "an earlier time does not move it back");
        store.advance(p, "data", T.plusMillis(1));
        assertEquals(Optional.of(T.plusMillis(1)), store.last(p, "data"));
        assertEquals(Optional.empty(), store.last(p, "monitor"));
        assertEquals(Optional.empty(), store.last(pipeline(), "data"), "another pipeline");
    }

    @Test
    void beginRecordsOnlyTheFirstTime() {
        String p = pipeline();
        store.begin(p, "schedule", T);
        store.begin(p, "schedule", T.plusSeconds(60));
        assertEquals(Optional.of(T), store.last(p, "schedule"));
        store.advance(p, "schedule", T.plusSeconds(120));
        store.begin(p, "schedule", T.plusSeconds(180));
        assertEquals(Optional.of(T.plusSeconds(120)), store.last(p, "schedule"));
    }

    /** 8 writers race, each advancing the same key to times of its own: the latest of all is kept, whatever the order. */
    @Test
    void racingWritersKeepTheLatest() throws Exception {
        String p = pipeline();
        StateContractFixtures.runConcurrently(8, i -> {
            for (int k = 0; k < 20; k++) store.advance(p, "data", T.plusSeconds((long) k * 8 + i));
            store.begin(p, "data", T.minusSeconds(1000));
            return null;
        });
        assertEquals(Optional.of(T.plusSeconds(19 * 8 + 7)), store.last(p, "data"));
    }
}
