package io.retraintrigger.model;

import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.TrainingRequest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters every launch passes to its pipeline, by their canonical names. Launchers map
 * them onto their own names and types.
 */
public final class LaunchParameters {
    public static final String TRIGGER_TYPE = "TriggerType";
    public static final String TRIGGER_REASON = "TriggerReason";
    public static final String TRIGGER_TIMESTAMP = "TriggerTimestamp";
    public static final String PRIORITY = "Priority";
    public static final String TRAINING_SEQUENCE = "TrainingSequence";
    public static final String REQUIRE_APPROVAL = "RequireApproval";
    public static final String EVENT_COUNT = "EventCount";
    public static final String DATA_PATHS = "DataPaths";
    public static final String DATA_SIZE_BYTES = "DataSizeBytes";
    public static final String BATCH_COMPLETION = "BatchCompletion";
    public static final String DRIFT_SEVERITY = "DriftSeverity";
    public static final String DRIFT_SCORE = "DriftScore";
    public static final String DRIFTED_FEATURES = "DriftedFeatures";

    private LaunchParameters() {
    }

    public static Map<String, String> of(TrainingRequest request, long sequence, Instant at) {
        RequestMetadata m = request.metadata();
        Map<String, String> p = new LinkedHashMap<>();
        p.put(TRIGGER_TYPE, request.triggerType().name());
        p.put(TRIGGER_REASON, request.reason());
        p.put(TRIGGER_TIMESTAMP, at.toString());
        p.put(PRIORITY, Integer.toString(request.priority()));
        p.put(TRAINING_SEQUENCE, Long.toString(sequence));
        p.put(REQUIRE_APPROVAL, Boolean.toString(m.requireApproval()));
        p.put(EVENT_COUNT, Integer.toString(m.eventCount()));
        // Data in the store (a batch) is added when the launch is sent, not kept in the decision.
        if (!m.dataUris().isEmpty() && !m.dataInStore()) {
            p.put(DATA_PATHS, String.join(",", m.dataUris()));
        }
        if (!m.dataUris().isEmpty() || m.dataInStore()) {
            p.put(DATA_SIZE_BYTES, Long.toString(m.totalBytes()));
        }
        if (m.completionReason() != null) p.put(BATCH_COMPLETION, m.completionReason());
        if (m.severity() != null) p.put(DRIFT_SEVERITY, m.severity().name());
        if (m.driftScore() != null) p.put(DRIFT_SCORE, Double.toString(m.driftScore()));
        if (!m.driftedFeatures().isEmpty()) p.put(DRIFTED_FEATURES, String.join(",", m.driftedFeatures()));
        return p;
    }
}
