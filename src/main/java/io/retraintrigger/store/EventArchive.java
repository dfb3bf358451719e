package io.retraintrigger.store;

import io.retraintrigger.model.EventKeys;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The accepted events, kept for a while and read back in time order: what a backtest replays. Adapters:
 * JDBC (H2, PostgreSQL) and DynamoDB; all pass {@code EventArchiveContract}.
 *
 * <p>What every adapter keeps:
 * <ul>
 *   <li>an event is kept under its dedup key ({@link EventKeys#of}; {@link ArchivedEvent#key}): keeping an event whose key is kept
 *       changes nothing (the first one kept stays), also when callers race;</li>
 *   <li>an event is read back exactly as it was kept (every field of {@link TriggerEvent});</li>
 *   <li>export order is by {@code occurredAt}, then by key (in the store's order of text: byte order on
 *       DynamoDB, the database's collation on JDBC); a range takes {@code from} and leaves out {@code to};</li>
 *   <li>an export reads page by page: it never holds more than a page in memory.</li>
 * </ul>
 */
public interface EventArchive {
    /** Events per page of {@link #export}. */
    int PAGE = 500;

    /**
     * Keeps the events whose keys are not kept yet, in one store step where the store allows (the events of
     * one delivery, or of one receive). Every event has its {@code occurredAt}, in the years 0000 to 9999.
     */
    void keep(List<TriggerEvent> events);

    /**
     * One page of an export: at most {@code limit} kept events with {@code from <= occurredAt < to}, in
     * export order, those after {@code after} only (null: from the start of the range). Fewer than
     * {@code limit} only when the range holds no more.
     */
    List<TriggerEvent> page(Instant from, Instant to, Position after, int limit);

    /** Every kept event with {@code from <= occurredAt < to}, in export order, handed out page by page. */
    default void export(Instant from, Instant to, Consumer<TriggerEvent> each) {
        Position after = null;
        while (true) {
            List<TriggerEvent> page = page(from, to, after, PAGE);
            page.forEach(each);
            if (page.size() < PAGE) return;
            after = Position.of(page.get(page.size() - 1));
        }
    }

    /** Forgets the events that occurred before {@code before}; returns how many went. */
    int purge(Instant before);

    /** Where an export has got to: the time and key of the last event it handed out. */
    record Position(Instant occurredAt, String key) {
        public Position {
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(key, "key");
        }

        public static Position of(TriggerEvent e) {
            return new Position(e.occurredAt(), ArchivedEvent.key(e));
        }
    }
}
