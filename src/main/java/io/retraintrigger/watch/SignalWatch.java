package io.retraintrigger.watch;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.AuditMarks;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.SignalTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches for the signals the pipelines expect (routes/signals.yaml). The intake tells it what came
 * ({@link #seen}): kept in memory, the latest per pipeline and signal, and written to the store at each check
 * (one small write per pipeline and signal, not one per event); a schedule's fire is written at once, since a
 * fire missing from the store would be caught up. Each check ({@link #check}) records the findings of
 * {@link MissedSignals} (decisions MISSED_SIGNAL, ids derived from what they are about: each once) and answers the
 * schedule fires to catch up. A pipeline's watch begins at the first check that sees it: nothing is missing before.
 */
@ApplicationScoped
@Named("signalWatch")
public class SignalWatch {
    static final String NOTIFIED = "NOTIFIED";

    private final PipelineRegistry pipelines;
    private final SignalTimes times;
    private final DecisionLog decisions;
    private final AuditMarks marks;
    private final RetrainMetrics metrics;
    private final Clock clock;
    private final Duration grace;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final java.util.Set<String> begun = ConcurrentHashMap.newKeySet();

    @Inject
    public SignalWatch(PipelineRegistry pipelines, SignalTimes times, DecisionLog decisions, AuditMarks marks, RetrainMetrics metrics, Clock clock,
                       RetrainConfig config) {
        this.pipelines = pipelines;
        this.times = times;
        this.decisions = decisions;
        this.marks = marks;
        this.metrics = metrics;
        this.clock = clock;
        // a fire younger than this may still be on its way (Quartz fires late under load): not missed yet
        this.grace = config.expect().checkInterval().plus(Duration.ofMinutes(1));
    }

    /** Each finding's series at zero from the start, so that the first finding is an increase to the alert rules. */
    void countFromZero(@Observes StartupEvent ev) {
        for (PipelineSettings p : pipelines.all()) {
            for (String code : MissedSignals.codes(p)) metrics.missedSignals(p.name(), code);
        }
    }

    /** What one check found: findings to record and notify, and the schedule fires to run now. */
    public record Check(List<Decision> findings, List<MissedSignals.Fire> catchUp) {
    }

    /** An event taken in (its pipeline resolved): the data arrival or the monitor's word it is. */
    public void seen(TriggerEvent e) {
        if (e.pipeline() == null) return;
        String signal = e.kind() == EventKind.DATA_ARRIVAL ? MissedSignals.DATA
                : e.kind() == EventKind.DRIFT_ALERT || e.kind() == EventKind.ALERT_RESOLVED ? MissedSignals.MONITOR : null;
        if (signal == null) return;
        Instant at = e.occurredAt() == null ? clock.instant() : e.occurredAt();
        seen.merge(e.pipeline() + "\n" + signal, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** A schedule fired (Quartz, or a catch-up): recorded at once. */
    public void fired(String pipeline, Instant at) {
        times.advance(pipeline, MissedSignals.SCHEDULE, at);
    }

    /** Writes what was seen, then looks for what did not come. */
    public Check check() {
        for (String key : List.copyOf(seen.keySet())) {
            Instant at = seen.remove(key);
            if (at == null) continue;
            String[] k = key.split("\n", 2);
            try {
                times.advance(k[0], k[1], at);
            } catch (RuntimeException e) {
                seen.merge(key, at, (a, b) -> a.isAfter(b) ? a : b); // written at the next check
                throw e;
            }
        }
        Instant now = clock.instant();
        List<Decision> findings = new ArrayList<>();
        List<MissedSignals.Fire> fires = new ArrayList<>();
        for (PipelineSettings p : pipelines.all()) {
            var data = watched(p, MissedSignals.DATA, p.expect().dataWithin().isPresent(), now);
            var monitor = watched(p, MissedSignals.MONITOR, p.expect().monitorWithin().isPresent(), now);
            var fire = watched(p, MissedSignals.SCHEDULE, p.schedule().isPresent(), now);
            MissedSignals.Found found = MissedSignals.check(p, data, monitor, fire, now, grace);
            for (Decision f : found.findings()) findings.add(decisions.recordDecision(f));
            fires.addAll(found.fires());
            found.scheduleCaughtUpTo().ifPresent(t -> times.advance(p.name(), MissedSignals.SCHEDULE, t));
        }
        return new Check(findings, fires);
    }

    private java.util.Optional<Instant> watched(PipelineSettings p, String signal, boolean expected, Instant now) {
        if (!expected) return java.util.Optional.empty();
        // begun once per process: after it, begin changes nothing and would only cost a store write per check
        if (begun.add(p.name() + "\n" + signal)) times.begin(p.name(), signal, now);
        return times.last(p.name(), signal);
    }

    /** True for the one caller (of all checks and replicas) that notifies this finding; counted then. */
    public boolean firstNotice(Decision finding) {
        if (!marks.markAudited(finding.id(), NOTIFIED)) return false;
        String reason = finding.reasons().isEmpty() ? "" : finding.reasons().get(0);
        metrics.missedSignal(finding.pipeline(), RetrainMetrics.code(reason));
        metrics.decision(finding);
        return true;
    }

    /** The notification of a finding. */
    public Map<String, Object> notification(Decision finding) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("type", "signal.missing");
        n.put("pipeline", finding.pipeline());
        n.put("decisionId", finding.id());
        n.put("reasons", finding.reasons());
        n.put("at", finding.decidedAt() == null ? null : finding.decidedAt().toString());
        return n;
    }
}
