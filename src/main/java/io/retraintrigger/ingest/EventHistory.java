package io.retraintrigger.ingest;

import io.quarkus.runtime.Startup;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.ArchivedEvent;
import io.retraintrigger.store.EventArchive;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The accepted events, kept in the {@link EventArchive} for {@code retrain.events.retention} (from the
 * time each occurred) and exported in time order: what a backtest replays. The intake keeps the events
 * of each delivery before it records them, so that a crash between the two loses nothing (the
 * redelivery keeps them again, which changes nothing). A retention of 0s keeps nothing. An event that
 * occurred longer than the retention ago when it arrives is not kept (the next purge would remove it).
 */
@ApplicationScoped
@Named("eventHistory")
@Startup // its configuration is checked at startup
public class EventHistory {
    static final String RETENTION_KEY = "retrain.events.retention";

    private final EventArchive archive;
    private final Duration retention;
    private final Clock clock;

    @Inject
    public EventHistory(EventArchive archive, RetrainConfig config, Clock clock) {
        this(archive, config.events().retention(), clock);
    }

    /**
     * An event history without CDI (an offline replay, say; retention 0s keeps nothing).
     *
     * @throws ConfigurationError the retention is negative
     */
    public EventHistory(EventArchive archive, Duration retention, Clock clock) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention == null || retention.isNegative()) {
            throw new ConfigurationError(RETENTION_KEY, "must be 0s (keep nothing) or more, was " + retention);
        }
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /**
     * Keeps the events of one delivery (or receive) in one store step; those kept before stay as they were.
     * Nothing with a retention of 0s; an event that occurred before the retention's start is left out.
     */
    public void keep(List<TriggerEvent> events) {
        if (retention.isZero() || events.isEmpty()) return;
        Instant since = clock.instant().minus(retention);
        List<TriggerEvent> kept = new ArrayList<>(events.size());
        for (TriggerEvent e : events) {
            if (ArchivedEvent.keepable(e.occurredAt()) && !e.occurredAt().isBefore(since)) kept.add(e);
        }
        if (!kept.isEmpty()) archive.keep(kept);
    }

    /** Forgets the events that occurred before now minus the retention; returns how many (routes/triage.yaml, store-purge). */
    public int purge() {
        return archive.purge(clock.instant().minus(retention));
    }

    /**
     * The kept events with {@code from <= occurredAt < to} in export order (time, then key), read from the
     * archive a page at a time as the iterator advances; the first page is read at once.
     */
    public Iterator<TriggerEvent> events(Instant from, Instant to) {
        Pages pages = new Pages(from, to);
        pages.hasNext();
        return pages;
    }

    /** The archive's pages, one after the other. */
    private final class Pages implements Iterator<TriggerEvent> {
        private final Instant from;
        private final Instant to;
        private List<TriggerEvent> page = List.of();
        private int next;
        private EventArchive.Position after;
        private boolean last;

        Pages(Instant from, Instant to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public boolean hasNext() {
            if (next < page.size()) return true;
            if (last) return false;
            page = archive.page(from, to, after, EventArchive.PAGE);
            next = 0;
            last = page.size() < EventArchive.PAGE;
            if (!page.isEmpty()) after = EventArchive.Position.of(page.get(page.size() - 1));
            return !page.isEmpty();
        }

        @Override
        public TriggerEvent next() {
            if (!hasNext()) throw new NoSuchElementException();
            return page.get(next++);
        }
    }
}
