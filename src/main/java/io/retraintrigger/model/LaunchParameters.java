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
    public static final String GOLDEN_SET_URI = "GoldenSetUri";
    public static final String BASELINE_HOLDOUT_URI = "BaselineHoldoutUri";
    public static final String HOLDOUT_FRACTION = "HoldoutFraction";
    public static final String PRODUCTION_FRACTION = "ProductionFraction";

    /** Every parameter retrain-trigger computes; a launch's other parameters are the pipeline's static ones. */
    public static final java.util.Set<String> COMPUTED = java.util.Set.of(TRIGGER_TYPE, TRIGGER_REASON, TRIGGER_TIMESTAMP, PRIORITY,
            TRAINING_SEQUENCE, REQUIRE_APPROVAL, EVENT_COUNT, DATA_PATHS, DATA_SIZE_BYTES, BATCH_COMPLETION, DRIFT_SEVERITY, DRIFT_SCORE,
            DRIFTED_FEATURES, GOLDEN_SET_URI, BASELINE_HOLDOUT_URI, HOLDOUT_FRACTION, PRODUCTION_FRACTION);

    private LaunchParameters() {
    }

    public static Map<String, String> of(TrainingRequest request, long sequence, Instant at) {
        return of(request, sequence, at, GuardrailSettings.TrainingInputs.NONE);
    }

    /**
     * With the training inputs that resist drift absorption: the golden set, and the baseline holdout with the
     * fractions of holdout and production data to mix (e.g. 0.3 and 0.7).
     */
    public static Map<String, String> of(TrainingRequest request, long sequence, Instant at, GuardrailSettings.TrainingInputs inputs) {
        return of(request, sequence, at, inputs, StaticParameters.NONE);
    }

    /**
     * With the pipeline's static parameters for the request's trigger type merged under the computed ones: a
     * static parameter named like a computed one is overridden; the others follow the computed ones.
     */
    public static Map<String, String> of(TrainingRequest request, long sequence, Instant at, GuardrailSettings.TrainingInputs inputs,
                                         StaticParameters statics) {
        Map<String, String> p = computed(request, sequence, at, inputs);
        statics.forTrigger(request.triggerType()).forEach(p::putIfAbsent);
        return p;
    }

    private static Map<String, String> computed(TrainingRequest request, long sequence, Instant at, GuardrailSettings.TrainingInputs inputs) {
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
        inputs.goldenSetUri().ifPresent(u -> p.put(GOLDEN_SET_URI, u));
        inputs.baselineHoldoutUri().ifPresent(u -> {
            p.put(BASELINE_HOLDOUT_URI, u);
            p.put(HOLDOUT_FRACTION, Double.toString(inputs.holdoutFraction()));
            p.put(PRODUCTION_FRACTION, Double.toString(Math.round((1 - inputs.holdoutFraction()) * 1_000_000) / 1_000_000.0));
        });
        return p;
    }
}
