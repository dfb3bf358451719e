package io.retraintrigger.api;

import io.retraintrigger.ingest.EventHistory;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;

import static io.retraintrigger.api.QueryParameters.time;

/** GET /api/events/export?from=&to=: the kept events of a time range, in time order (routes/api.yaml writes them as lines). */
@ApplicationScoped
@Named("eventsApi")
public class EventsApi {
    /** The longest range of one export. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    private final EventHistory history;

    @Inject
    public EventsApi(EventHistory history) {
        this.history = history;
    }

    /**
     * The events with {@code from <= occurredAt < to}, read page by page as the answer is written.
     *
     * @throws BadInputException (400) a bound missing or not RFC 3339, {@code to} not after {@code from}, a range over 400 days
     */
    public Iterator<TriggerEvent> export(String from, String to) {
        Instant start = time("from", from);
        Instant end = time("to", to);
        if (!start.isBefore(end)) throw new BadInputException(400, "invalid parameter to: must be later than from");
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new BadInputException(400, "invalid parameter to: more than " + MAX_RANGE.toDays() + " days after from (an export spans at most "
                    + MAX_RANGE.toDays() + " days)");
        }
        return history.events(start, end);
    }
}
