package io.retraintrigger.model;

import io.retraintrigger.model.LaunchParameters;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.Severity;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LaunchParametersTest {
    private static final Instant REQUESTED = Instant.parse("2026-03-10T11:55:00Z");
    private static final Instant AT = Instant.parse("2026-03-10T12:00:00Z");

    @Test
    void batchRequest() {
        TrainingRequest r = new TrainingRequest("churn", TriggerType.DATA_ARRIVAL, 4, "batch of 2: batch_size_reached", REQUESTED,
                RequestMetadata.batch(List.of("s3://bucket/a.parquet", "s3://bucket/b.parquet"), 2, 3_000_000_000L, "batch_size_reached"));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("TriggerType", "DATA_ARRIVAL");
        expected.put("TriggerReason", "batch of 2: batch_size_reached");
        expected.put("TriggerTimestamp", "2026-03-10T12:00:00Z");
        expected.put("Priority", "4");
        expected.put("TrainingSequence", "7");
        expected.put("RequireApproval", "false");
        expected.put("EventCount", "2");
        expected.put("DataPaths", "s3://bucket/a.parquet,s3://bucket/b.parquet");
        expected.put("DataSizeBytes", "3000000000");
        expected.put("BatchCompletion", "batch_size_reached");

        Map<String, String> p = LaunchParameters.of(r, 7, AT);
        assertEquals(expected, p);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(p.keySet()), "canonical order");
    }

    @Test
    void highDriftRequest() {
        TrainingRequest r = new TrainingRequest("churn", TriggerType.DRIFT, 2, "drift_high: max score 0.42 on [amount, age]", REQUESTED,
                RequestMetadata.drift(Severity.HIGH, 0.42, List.of("amount", "age"), true));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("TriggerType", "DRIFT");
        expected.put("TriggerReason", "drift_high: max score 0.42 on [amount, age]");
        expected.put("TriggerTimestamp", "2026-03-10T12:00:00Z");
        expected.put("Priority", "2");
        expected.put("TrainingSequence", "12");
        expected.put("RequireApproval", "true");
        expected.put("EventCount", "1");
        expected.put("DriftSeverity", "HIGH");
        expected.put("DriftScore", "0.42");
        expected.put("DriftedFeatures", "amount,age");

        Map<String, String> p = LaunchParameters.of(r, 12, AT);
        assertEquals(expected, p);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(p.keySet()), "canonical order");
        assertFalse(p.containsKey(LaunchParameters.DATA_PATHS));
        assertFalse(p.containsKey(LaunchParameters.DATA_SIZE_BYTES));
    }

    @Test
    void theGoldenSetAndABaselineHoldoutOf30PercentGoWithEveryLaunch() {
        TrainingRequest r = new TrainingRequest("churn", TriggerType.DRIFT, 2, "drift", REQUESTED, null);
        Map<String, String> p = LaunchParameters.of(r, 3, AT, new GuardrailSettings.TrainingInputs(java.util.Optional.of("s3://ml/golden/churn/"),
                java.util.Optional.of("s3://ml/holdout/churn/"), 0.3));
        assertEquals("s3://ml/golden/churn/", p.get("GoldenSetUri"));
        assertEquals("s3://ml/holdout/churn/", p.get("BaselineHoldoutUri"));
        assertEquals("0.3", p.get("HoldoutFraction"));
        assertEquals("0.7", p.get("ProductionFraction"));
        Map<String, String> none = LaunchParameters.of(r, 3, AT, GuardrailSettings.TrainingInputs.NONE);
        assertFalse(none.containsKey("GoldenSetUri") || none.containsKey("HoldoutFraction"), none.toString());
    }

    @Test
    void staticParametersAreMergedUnderTheComputedOnes() {
        TrainingRequest r = new TrainingRequest("churn", TriggerType.SCHEDULED, 5, null, REQUESTED, null);
        StaticParameters statics = new StaticParameters(Map.of("TrainingMode", "retrain", "Priority", "9"),
                Map.of(TriggerType.SCHEDULED, Map.of("TrainingMode", "scheduled", "DataWindowDays", "7")));
        Map<String, String> p = LaunchParameters.of(r, 1, AT, GuardrailSettings.TrainingInputs.NONE, statics);
        assertEquals("scheduled", p.get("TrainingMode"), "the trigger type's value over the common one");
        assertEquals("7", p.get("DataWindowDays"));
        assertEquals("5", p.get("Priority"), "a computed parameter wins over a static one of its name");
        assertEquals(List.of("TriggerType", "TriggerReason", "TriggerTimestamp", "Priority", "TrainingSequence", "RequireApproval", "EventCount",
                "DataWindowDays", "TrainingMode"), List.copyOf(p.keySet()), "the static ones after the computed ones");
    }

    @Test
    void scheduledRequestHasOnlyTheCommonParameters() {
        TrainingRequest r = new TrainingRequest("churn", TriggerType.SCHEDULED, 5, null, REQUESTED, null);
        Map<String, String> p = LaunchParameters.of(r, 1, AT);
        assertEquals(List.of("TriggerType", "TriggerReason", "TriggerTimestamp", "Priority", "TrainingSequence", "RequireApproval", "EventCount"),
                List.copyOf(p.keySet()));
        assertEquals("SCHEDULED", p.get("TriggerType"));
        assertEquals("scheduled", p.get("TriggerReason"));
        assertEquals("false", p.get("RequireApproval"));
        assertEquals("0", p.get("EventCount"));
    }

    @Test
    void canonicalNames() {
        assertEquals(List.of("TriggerType", "TriggerReason", "TriggerTimestamp", "Priority", "TrainingSequence", "RequireApproval",
                        "EventCount", "DataPaths", "DataSizeBytes", "BatchCompletion", "DriftSeverity", "DriftScore", "DriftedFeatures"),
                List.of(LaunchParameters.TRIGGER_TYPE, LaunchParameters.TRIGGER_REASON, LaunchParameters.TRIGGER_TIMESTAMP,
                        LaunchParameters.PRIORITY, LaunchParameters.TRAINING_SEQUENCE, LaunchParameters.REQUIRE_APPROVAL,
                        LaunchParameters.EVENT_COUNT, LaunchParameters.DATA_PATHS, LaunchParameters.DATA_SIZE_BYTES,
                        LaunchParameters.BATCH_COMPLETION, LaunchParameters.DRIFT_SEVERITY, LaunchParameters.DRIFT_SCORE,
                        LaunchParameters.DRIFTED_FEATURES));
    }
}
