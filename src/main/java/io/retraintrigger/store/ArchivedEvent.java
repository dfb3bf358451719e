package io.retraintrigger.store;

import io.retraintrigger.model.Digests;
import io.retraintrigger.model.EventKeys;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An event as the event archives keep it: its dedup key, its time as text whose order is time order,
 * and the whole event as JSON (from which it is rebuilt exactly).
 *
 * @param key     {@link #key} of the event
 * @param timeKey {@link #timeKey} of its {@code occurredAt}
 * @param json    the event ({@link StoreJson})
 */
public record ArchivedEvent(String key, String timeKey, String json) {
    /** Fixed-width UTC time with nanoseconds ({@code 2025-03-10T12:00:00.000000000Z}): text order is time order. */
    private static final DateTimeFormatter TIME_KEY = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");
    private static final Instant LAST = END.minusNanos(1);

    /** @throws IllegalArgumentException the event has no time, or one outside the years 0000 to 9999 */
    public static ArchivedEvent of(TriggerEvent e) {
        if (e.occurredAt() == null) throw new IllegalArgumentException("event " + e.id() + " has no time: an archive keeps events by their time");
        return new ArchivedEvent(key(e), timeKey(e.occurredAt()), StoreJson.write(e));
    }

    /**
     * The key an archive keeps an event under: its dedup key ({@link EventKeys#of}), or, when that holds a
     * NUL (an id may: PostgreSQL text may not), the dedup key's hash.
     */
    public static String key(TriggerEvent e) {
        String key = EventKeys.of(e);
        return key.indexOf('\0') < 0 ? key : e.cloud().name().toLowerCase(Locale.ROOT) + ":#sha256:" + Digests.sha256(key);
    }

    /** The instant as fixed-width text; only the years 0000 to 9999 are of one width. */
    public static String timeKey(Instant at) {
        if (!keepable(at)) throw new IllegalArgumentException("time " + at + " is outside the years 0000 to 9999");
        return TIME_KEY.format(at);
    }

    /** The time key of a bound of a range (of an export, of a purge): an instant outside the years 0000 to 9999 as the nearest one inside. */
    public static String bound(Instant at) {
        return TIME_KEY.format(at.isBefore(FIRST) ? FIRST : at.isAfter(LAST) ? LAST : at);
    }

    /** Whether an archive can keep an event of this time (the years 0000 to 9999). */
    public static boolean keepable(Instant at) {
        return at != null && !at.isBefore(FIRST) && at.isBefore(END);
    }

    /** The event its JSON holds. */
    public static TriggerEvent event(String json) {
        return StoreJson.read(json, TriggerEvent.class);
    }
}
