package io.retraintrigger.ingest.aws;

import io.retraintrigger.model.FeatureScore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.retraintrigger.ingest.aws.Fixtures.read;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelMonitorViolationsTest {
    private final ModelMonitorViolations violations = new ModelMonitorViolations();

    @Test
    void driftChecksScoreTheirDistanceOtherChecksTheGivenScoreAndTheLargerWins() {
        List<FeatureScore> f = violations.features(read("model-monitor-constraint-violations.json"), 0.25);
        assertEquals(List.of(
                new FeatureScore("amount", 0.4210928274),           // drift 0.42 and completeness 0.25: the larger
                new FeatureScore("merchant_category", 0.1876),
                new FeatureScore("customer_age", 0.25),
                new FeatureScore("channel", 0.25)), f);
    }

    @Test
    void anOtherViolationCanOutweighADrift() {
        List<FeatureScore> f = violations.features(read("model-monitor-constraint-violations.json"), 0.6);
        assertEquals(new FeatureScore("amount", 0.6), f.get(0));
        assertEquals(new FeatureScore("merchant_category", 0.1876), f.get(1), "only a drift violation: its distance");
    }

    @Test
    void noViolationsNoFeatures() {
        assertEquals(List.of(), violations.features("{\"violations\": []}", 0.3));
    }

    @Test
    void distanceIsReadTolerantly() {
        assertEquals(0.2, ModelMonitorViolations.distance("Baseline drift distance: 0.2 exceeds threshold: 0.1"));
        assertEquals(0.35, ModelMonitorViolations.distance("baseline drift distance 0.35 exceeds threshold 0.1"));
        assertEquals(1.5E-2, ModelMonitorViolations.distance("Distance: 1.5E-2 exceeds threshold: 0.01"));
        assertEquals(0.5, ModelMonitorViolations.distance("Baseline drift distance:0.5 exceeds threshold:0.1"));
        assertNull(ModelMonitorViolations.distance("Feature distribution differs from the baseline"));
        assertNull(ModelMonitorViolations.distance(null));
    }

    @Test
    void aDriftDescriptionWithoutDistanceScoresAsAnOtherViolation() {
        String json = "{\"violations\":[{\"feature_name\":\"age\",\"constraint_check_type\":\"baseline_drift_check\","
                + "\"description\":\"Baseline drift distance exceeded threshold\"}]}";
        assertEquals(List.of(new FeatureScore("age", 0.3)), violations.features(json, 0.3));
    }

    @Test
    void violationsWithoutFeatureNameAreNamedByMetricOrCheck() {
        String json = "{\"violations\":[{\"constraint_check_type\":\"extra_column_check\",\"description\":\"There are extra columns\"},"
                + "{\"metric_name\":\"weightedF2\",\"constraint_check_type\":\"LessThanThreshold\",\"description\":\"Metric weightedF2 with 0.69 was LessThanThreshold 0.7\"}]}";
        assertEquals(List.of(new FeatureScore("extra_column_check", 0.2), new FeatureScore("weightedF2", 0.2)), violations.features(json, 0.2));
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: violations", () -> violations.features("{}", 0.3));
        refused(422, "missing field: violations[0].constraint_check_type",
                () -> violations.features("{\"violations\":[{\"feature_name\":\"a\"}]}", 0.3));
        refused(422, "missing field: violations[1].feature_name", () -> violations.features("{\"violations\":["
                + "{\"feature_name\":\"a\",\"constraint_check_type\":\"data_type_check\"},"
                + "{\"constraint_check_type\":\"baseline_drift_check\",\"description\":\"Baseline drift distance: 0.2 exceeds threshold: 0.1\"}]}", 0.3));
        refused(400, "malformed JSON", () -> violations.features("{\"violations\":", 0.3));
    }

    @Test
    void theOtherScoreMustBeAScore() {
        assertThrows(IllegalArgumentException.class, () -> violations.features("{\"violations\":[]}", -0.1));
        assertThrows(IllegalArgumentException.class, () -> violations.features("{\"violations\":[]}", Double.NaN));
    }
}
