package io.retraintrigger.store;

import io.retraintrigger.model.DeadLetter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract every {@link DeadLetterStore} adapter passes (H2, PostgreSQL, dynalite), run as a nested
 * class of each store's test. The letters are dated years ahead, so that they are the newest the
 * store holds whatever other tests left.
 */
public abstract class DeadLetterStoreContract {
    protected DeadLetterStore store;

    /** A store on the adapter's backing database (already migrated / created). Called before each test. */
    protected abstract DeadLetterStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    private static String newId() {
        return "dl-" + UUID.randomUUID();
    }

    @Test
    void deadLettersRoundTripNewestFirstAndAreCounted() {
        long before = store.deadLetterCount();
        // Later than anything other tests (or earlier runs) store, so that ours are the newest.
        Instant base = Instant.now().plus(Duration.ofDays(3650)).truncatedTo(ChronoUnit.MILLIS);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("ce-id", "evt-1");
        headers.put("x-empty", "");
        headers.put("x-unicode", "Grüße – 東京 ✓");
        String payload = "{\"pipeline\": \"fraud\", \"note\": \"quotes ' \\\" and \\\\ backslash\",\n \"unicode\": \"Grüße 東京 😀\"}\t\r\n";
        DeadLetter l1 = new DeadLetter(newId(), base, "api", 400, "unreadable JSON", "not json", Map.of());
        DeadLetter l2 = new DeadLetter(newId(), base.plusSeconds(1), "aws-sqs", 422, "unknown pipeline 'fraud'", payload, headers);
        DeadLetter l3 = new DeadLetter(newId(), base.plusSeconds(2), "gcp-pubsub", 500, "no payload", null, null);
        DeadLetter big = new DeadLetter(newId(), base.minusSeconds(1), "api", 413, "large", "p".repeat(100_000), Map.of("k", "v"));
        store.addDeadLetter(l2);
        store.addDeadLetter(l1);
        store.addDeadLetter(l3);
        store.addDeadLetter(big);

        assertEquals(before + 4, store.deadLetterCount());
        assertEquals(List.of(l3, l2, l1, big), store.deadLetters(4));
        assertEquals(List.of(l3, l2), store.deadLetters(2));
        DeadLetter readBack = store.deadLetters(2).get(1);
        assertEquals(payload, readBack.payload());
        assertEquals(headers, readBack.headers());
        assertEquals(Map.of(), store.deadLetters(1).get(0).headers());
    }

    @Test
    void deadLettersArePurgedByAgeThenByCountOldestFirst() {
        // Later than anything else this store holds: the purges below take every letter of other tests too.
        Instant base = Instant.now().plus(Duration.ofDays(7300)).truncatedTo(ChronoUnit.MILLIS);
        List<DeadLetter> letters = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            letters.add(new DeadLetter(newId(), base.plusSeconds(i), "api", 400, "refused " + i, "p" + i, Map.of("n", Integer.toString(i))));
        }
        for (int i = letters.size() - 1; i >= 0; i--) store.addDeadLetter(letters.get(i));
        long held = store.deadLetterCount();

        // by age: those received before base+2s go (ours 0 and 1, and every older letter); none beyond the count
        int byAge = store.purgeDeadLetters(base.plusSeconds(2), 1000);
        assertEquals(held - 4, byAge);
        assertEquals(4, store.deadLetterCount());
        assertEquals(List.of(letters.get(5), letters.get(4), letters.get(3), letters.get(2)), store.deadLetters(10));

        // by count: the newest two stay
        assertEquals(2, store.purgeDeadLetters(base, 2));
        assertEquals(2, store.deadLetterCount());
        assertEquals(List.of(letters.get(5), letters.get(4)), store.deadLetters(10));
        assertEquals(0, store.purgeDeadLetters(base, 2), "nothing left to purge");

        assertEquals(2, store.purgeDeadLetters(base, 0));
        assertEquals(0, store.deadLetterCount());
        assertEquals(List.of(), store.deadLetters(10));
    }
}
