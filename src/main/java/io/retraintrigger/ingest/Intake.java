package io.retraintrigger.ingest;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.retraintrigger.observability.Traces;
import io.retraintrigger.batch.Batches;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.DecisionIds;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.AppendResult;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.watch.SignalWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one intake of every source (routes/intake.yaml): a delivery is parsed by its source's
 * {@link DeliveryParser}, its events matched to their pipelines, and recorded: its data arrivals join
 * their batches in one atomic store step (the dedup key and the batch membership together); its other
 * signals go on to be decided under decision ids derived from their dedup keys, so that a redelivery
 * finds the decision it caused. Before that, its accepted events are kept in the {@link EventHistory}.
 */
@ApplicationScoped
@Named("intake")
public class Intake {
    private final Map<String, DeliveryParser> parsers = new HashMap<>();
    private final PipelineMatcher matcher;
    private final Batches batches;
    private final DecisionLog store;
    private final DeadLetters deadLetters;
    private final RetrainMetrics metrics;
    private final SignalWatch watch;
    private final Clock clock;
    private final EventHistory history;

    @Inject
    public Intake(Instance<DeliveryParser> parsers, PipelineMatcher matcher, Batches batches, DecisionLog store, DeadLetters deadLetters,
                  RetrainMetrics metrics, SignalWatch watch, Clock clock, EventHistory history) {
        this(parsers.stream().toList(), matcher, batches, store, deadLetters, metrics, watch, clock, history);
    }

    /** An intake without CDI (the backtest's replay), with the parsers of its sources (one per {@link DeliveryParser#source()}). */
    public Intake(List<DeliveryParser> parsers, PipelineMatcher matcher, Batches batches, DecisionLog store, DeadLetters deadLetters,
                  RetrainMetrics metrics, SignalWatch watch, Clock clock, EventHistory history) {
        parsers.forEach(p -> this.parsers.put(p.source(), p));
        this.watch = watch;
        this.matcher = matcher;
        this.batches = batches;
        this.store = store;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.clock = clock;
        this.history = history;
    }

    /**
     * Parses one delivery of {@code source} and matches its events. A delivery of one event that cannot
     * be matched is refused whole ({@link BadInputException}); in a delivery of several, such an event is
     * kept as a dead letter and the others go on.
     */
    public List<TriggerEvent> parse(String source, Object body, Map<String, Object> headers) {
        DeliveryParser parser = parsers.get(source);
        if (parser == null) throw new IllegalStateException("no parser for source '" + source + "'; known: " + parsers.keySet());
        byte[] bytes = body == null ? null : body instanceof byte[] b ? b : body.toString().getBytes(StandardCharsets.UTF_8);
        List<TriggerEvent> parsed = parser.parse(bytes, headers);
        if (parsed.size() == 1) return List.of(parser.enrich(resolve(parsed.get(0))));
        List<TriggerEvent> out = new ArrayList<>(parsed.size());
        for (TriggerEvent e : parsed) {
            try {
                out.add(parser.enrich(resolve(e)));
            } catch (BadInputException refused) {
                deadLetters.record(source, refused.status(), refused.getMessage(), bytes, headers);
            }
        }
        return out;
    }

    /** A Quartz fire, recorded: the scheduled fire time makes the id, so replicas firing together count once. */
    public Delivery scheduleTick(String pipeline, Date scheduledFireTime) {
        Instant at = scheduledFireTime == null ? clock.instant() : scheduledFireTime.toInstant();
        watch.fired(pipeline, at);
        return record(List.of(resolve(TriggerEvent.scheduleTick("quartz:" + pipeline + ":" + at, Cloud.LOCAL, "quartz", pipeline, at))));
    }

    private TriggerEvent resolve(TriggerEvent e) {
        TriggerEvent resolved = matcher.resolve(e);
        return resolved.occurredAt() != null ? resolved : resolved.at(clock.instant());
    }

    /**
     * Records a delivery: its data arrivals in one atomic store step (after which it may be acknowledged),
     * and which of its other signals were decided before.
     */
    @WithSpan(Traces.INTAKE_SPAN)
    public Delivery record(List<TriggerEvent> events) {
        Recorded r = recordEach(List.of(events));
        Delivery d = r.deliveries().get(0);
        Delivery recorded = new Delivery(d.events(), d.signals(), r.closed(), d.duplicates());
        Traces.intake(events, recorded.duplicates().size(), recorded.closed().size());
        return recorded;
    }

    /**
     * Records a receive of several messages: each parsed on its own (a message that cannot be read is kept
     * as a dead letter, and acknowledged), the data arrivals of them all in one atomic store step.
     */
    public Receive recordReceive(String source, List<Received> messages) {
        List<List<TriggerEvent>> parsed = new ArrayList<>(messages.size());
        for (Received m : messages) {
            try {
                parsed.add(parse(source, m.body(), m.headers()));
            } catch (BadInputException refused) {
                deadLetters.record(source, refused.status(), refused.getMessage(), m.body(), m.headers());
                parsed.add(List.of());
            }
        }
        Recorded r = recordEach(parsed);
        List<Receive.Part> toDecide = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Delivery d = r.deliveries().get(i);
            if (!d.signals().isEmpty()) toDecide.add(new Receive.Part(messages.get(i), d));
        }
        return new Receive(messages, toDecide, r.closed());
    }

    /** Marks a message of a receive whose signals failed (routes/intake.yaml): it stays unacknowledged. */
    public void failed(Receive receive, Receive.Part part) {
        receive.failed(part);
    }

    private record Recorded(List<Delivery> deliveries, List<ClosedBatch> closed) {
    }

    /**
     * The accepted events of every delivery kept in one store step, then their data arrivals recorded in
     * another; per delivery its signals still to decide and its duplicates. Kept first: a crash between
     * the two steps loses nothing, as the redelivery keeps them again (which changes nothing).
     */
    private Recorded recordEach(List<List<TriggerEvent>> deliveries) {
        List<TriggerEvent> data = new ArrayList<>();
        List<TriggerEvent> accepted = new ArrayList<>();
        for (List<TriggerEvent> events : deliveries) {
            for (TriggerEvent e : events) {
                if (e.kind() == EventKind.DATA_ARRIVAL) data.add(e);
                if (e.kind() != EventKind.IGNORED && e.kind() != EventKind.LAUNCH_STATUS) accepted.add(e);
            }
        }
        history.keep(accepted);
        AppendResult appended = data.isEmpty() ? new AppendResult(Set.of(), List.of()) : batches.append(data);
        List<Delivery> out = new ArrayList<>(deliveries.size());
        for (List<TriggerEvent> events : deliveries) {
            List<TriggerEvent> signals = new ArrayList<>();
            Set<String> duplicates = new HashSet<>();
            for (TriggerEvent e : events) {
                if (e.kind() == EventKind.DATA_ARRIVAL) {
                    if (appended.duplicates().contains(Batches.dedupKey(e))) duplicates.add(e.id());
                } else if (decidedBefore(e)) {
                    duplicates.add(e.id());
                } else {
                    signals.add(e);
                }
            }
            for (TriggerEvent e : events) {
                metrics.event(e, duplicates.contains(e.id()));
                watch.seen(e);
            }
            out.add(new Delivery(events, signals, List.of(), duplicates));
        }
        return new Recorded(out, appended.closed());
    }

    /**
     * A signal whose decision is recorded already (a redelivery): skipped before any work. Two deliveries
     * racing past this check still make one decision: the store's step is idempotent on the decision id.
     */
    private boolean decidedBefore(TriggerEvent e) {
        return switch (e.kind()) {
            case DRIFT_ALERT, SCHEDULE_TICK, ALERT_RESOLVED -> store.decision(decisionId(e)).isPresent();
            default -> false;
        };
    }

    /** The id of the decision an event causes. */
    public String decisionId(TriggerEvent e) {
        return DecisionIds.forEvent(Batches.dedupKey(e));
    }

    /** The answer to POST /api/events (202): its event and whether it was a duplicate. */
    public Map<String, Object> accepted(Delivery d) {
        TriggerEvent e = d.events().get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("kind", e.kind().name());
        out.put("pipeline", e.pipeline());
        out.put("duplicate", d.duplicates().contains(e.id()));
        return out;
    }
}
