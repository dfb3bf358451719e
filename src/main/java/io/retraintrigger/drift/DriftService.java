package io.retraintrigger.drift;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.coordinator.Coordinator;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.DriftAssessment;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.Severity;
import io.retraintrigger.model.SeverityPolicy;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.model.TriggerType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Drift-driven triggering: grades an alert and builds what each severity asks for. The route's
 * content-based router picks the action by severity.
 */
@ApplicationScoped
@Named("driftService")
public class DriftService {
    public static final int MEDIUM_PRIORITY = 3;
    public static final int HIGH_PRIORITY = 2;
    public static final int CRITICAL_REVIEW_PRIORITY = 1;

    private final PipelineRegistry pipelines;
    private final Coordinator coordinator;
    private final RetrainMetrics metrics;
    private final Clock clock;

    @Inject
    public DriftService(PipelineRegistry pipelines, Coordinator coordinator, RetrainMetrics metrics, Clock clock) {
        this.pipelines = pipelines;
        this.coordinator = coordinator;
        this.metrics = metrics;
        this.clock = clock;
    }

    public DriftAssessment assess(TriggerEvent alert) {
        PipelineSettings p = pipelines.get(alert.pipeline());
        var configured = p.severityPolicy().monitorSeverity(alert.monitorNames());
        if (configured.isPresent()) {
            String monitor = configured.get().getKey();
            Severity s = configured.get().getValue();
            String value = alert.features().isEmpty() ? "no value" : "value " + alert.features().stream()
                    .map(f -> f.name() + " = " + f.score()).collect(Collectors.joining(", "));
            String key = "retrain.pipelines." + p.name() + ".drift.monitors." + monitor + ".severity";
            return SeverityPolicy.byMonitor(p.name(), alert.monitor() == null ? monitor : alert.monitor(), s, alert.features()).gradedBy(key)
                    .withEvidence("graded " + s.name().toLowerCase() + " by " + key + ": the monitor's value is a count or a flag, not a drift distance ("
                            + value + ")" + (alert.attributes().containsKey(TriggerEvent.EVIDENCE)
                            ? "; " + alert.attributes().get(TriggerEvent.EVIDENCE) : ""));
        }
        if (alert.features().isEmpty()) {
            // e.g. a log-query alert or an incident without a numeric value: nothing to grade
            throw new BadInputException(422, "drift alert " + (alert.monitor() == null ? alert.id() : "of monitor '" + alert.monitor() + "'")
                    + " carries no feature score" + (alert.attributes().containsKey(TriggerEvent.EVIDENCE)
                    ? " (" + alert.attributes().get(TriggerEvent.EVIDENCE) + ")" : "")
                    + (alert.monitor() == null ? "" : "; to grade its alerts all the same, set retrain.pipelines." + p.name() + ".drift.monitors."
                    + alert.monitor() + ".severity"));
        }
        for (FeatureScore f : alert.features()) {
            metrics.driftScore(p.name(), f.name(), f.score());
        }
        DriftAssessment a = p.severityPolicy().assess(p.name(), alert.features());
        String evidence = alert.attributes().get(TriggerEvent.EVIDENCE);
        return evidence == null ? a : a.withEvidence(evidence);
    }

    public boolean autoRetrain(DriftAssessment a) {
        return pipelines.get(a.pipeline()).autoRetrain();
    }

    /** Medium: priority 3; high: priority 2 with RequireApproval=true. */
    public TrainingRequest request(DriftAssessment a) {
        boolean high = a.severity().compareTo(Severity.HIGH) >= 0;
        return requestOf(a, high ? HIGH_PRIORITY : MEDIUM_PRIORITY, high);
    }

    /** Low, or medium without auto-retrain: recorded, nothing else. */
    public Decision logOnly(DriftAssessment a, String decisionId) {
        String why = (a.severity() == Severity.LOW
                ? "drift_low: max score " + a.maxScore() + (a.gradedBy() == null ? " is below the medium threshold" : "") + "; logged"
                : "drift_medium_no_auto_retrain: max score " + a.maxScore() + " on " + a.driftedFeatures() + "; auto-retrain is off, logged")
                + (a.evidence() == null ? "" : " (" + a.evidence() + ")");
        TrainingRequest r = requestOf(a, MEDIUM_PRIORITY, false);
        return coordinator.logOnly(a.pipeline(), TriggerType.DRIFT, r.priority(), r, why, decisionId);
    }

    /** Critical: no training; a review that, if approved, trains with priority 1. */
    public Decision openReview(DriftAssessment a, String decisionId) {
        return coordinator.openReview(a, requestOf(a, CRITICAL_REVIEW_PRIORITY, false), decisionId);
    }

    /** An alert that ended (alarm back to OK, incident closed): recorded, nothing else. */
    public Decision resolved(TriggerEvent event, String decisionId) {
        String why = "alert_resolved: " + (event.monitor() == null ? "monitor" : "monitor '" + event.monitor() + "'")
                + " reports " + event.attributes().getOrDefault("state", "resolved")
                + (event.attributes().containsKey("reason") ? " (" + event.attributes().get("reason") + ")" : "");
        return coordinator.logOnly(event.pipeline(), TriggerType.DRIFT, 5, null, why, decisionId);
    }

    /** The message sent to retrain.notify.uri for high and critical drift. */
    public Map<String, Object> notification(Decision d) {
        Map<String, Object> n = new LinkedHashMap<>();
        RequestMetadata m = d.request() == null ? RequestMetadata.EMPTY : d.request().metadata();
        n.put("type", m.severity() == Severity.CRITICAL ? "drift.review_required" : "drift.retrain_requires_approval");
        n.put("pipeline", d.pipeline());
        n.put("severity", m.severity());
        n.put("score", m.driftScore());
        n.put("features", m.driftedFeatures());
        n.put("decisionId", d.id());
        n.put("outcome", d.outcome());
        n.put("reasons", d.reasons());
        n.put("at", clock.instant().toString());
        return n;
    }

    private TrainingRequest requestOf(DriftAssessment a, int priority, boolean requireApproval) {
        String reason = "drift_" + a.severity().name().toLowerCase() + ": max score " + a.maxScore() + " on " + a.driftedFeatures()
                + (a.evidence() == null ? "" : " (" + a.evidence() + ")");
        return new TrainingRequest(a.pipeline(), TriggerType.DRIFT, priority, reason, clock.instant(),
                RequestMetadata.drift(a.severity(), a.maxScore(), a.driftedFeatures(), requireApproval));
    }
}
