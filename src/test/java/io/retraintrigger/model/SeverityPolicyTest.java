package io.retraintrigger.model;

import io.retraintrigger.model.DriftAssessment;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.Severity;
import io.retraintrigger.model.SeverityPolicy;
import io.retraintrigger.model.Thresholds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeverityPolicyTest {
    private static final SeverityPolicy DEFAULT = new SeverityPolicy(Thresholds.DEFAULTS, Map.of());

    private static FeatureScore f(String name, double score) {
        return new FeatureScore(name, score);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0.0,    LOW",
            "0.0999, LOW",
            "0.1,    MEDIUM",
            "0.2999, MEDIUM",
            "0.3,    HIGH",
            "0.4999, HIGH",
            "0.5,    CRITICAL",
            "0.9,    CRITICAL",
            "7.5,    CRITICAL",
    })
    void defaultBoundaries(double score, Severity expected) {
        assertEquals(expected, SeverityPolicy.grade(score, Thresholds.DEFAULTS));
        DriftAssessment a = DEFAULT.assess("churn", List.of(f("amount", score)));
        assertEquals(expected, a.severity());
        assertEquals(score, a.maxScore());
        assertEquals(Map.of("amount", expected), a.perFeature());
    }

    @Test
    void theWorstFeatureWins() {
        DriftAssessment a = DEFAULT.assess("churn", List.of(f("age", 0.05), f("amount", 0.35), f("region", 0.12)));
        assertEquals("churn", a.pipeline());
        assertEquals(Severity.HIGH, a.severity());
        assertEquals(0.35, a.maxScore());
        assertEquals(Map.of("age", Severity.LOW, "amount", Severity.HIGH, "region", Severity.MEDIUM), a.perFeature());
    }

    @Test
    void allLowIsLowWithNoDriftedFeatures() {
        DriftAssessment a = DEFAULT.assess("churn", List.of(f("age", 0.05), f("amount", 0.0999)));
        assertEquals(Severity.LOW, a.severity());
        assertEquals(0.0999, a.maxScore());
        assertEquals(List.of(), a.driftedFeatures());
    }

    @Test
    void driftedFeaturesAreMediumOrWorseWorstFirst() {
        DriftAssessment a = DEFAULT.assess("churn",
                List.of(f("age", 0.05), f("region", 0.1), f("amount", 0.62), f("tenure", 0.31), f("plan", 0.0999)));
        assertEquals(Severity.CRITICAL, a.severity());
        assertEquals(List.of("amount", "tenure", "region"), a.driftedFeatures());
    }

    @Test
    void featureThresholdsOverrideThePipelines() {
        SeverityPolicy policy = new SeverityPolicy(Thresholds.DEFAULTS, Map.of("amount", new Thresholds(0.2, 0.4, 0.9)));
        assertEquals(new Thresholds(0.2, 0.4, 0.9), policy.thresholdsOf("amount"));
        assertEquals(Thresholds.DEFAULTS, policy.thresholdsOf("age"));

        DriftAssessment onlyAmount = policy.assess("churn", List.of(f("amount", 0.6)));
        assertEquals(Severity.HIGH, onlyAmount.severity());

        DriftAssessment both = policy.assess("churn", List.of(f("amount", 0.6), f("age", 0.6)));
        assertEquals(Severity.CRITICAL, both.severity());
        assertEquals(Map.of("amount", Severity.HIGH, "age", Severity.CRITICAL), both.perFeature());

        // 0.15 is medium by the pipeline's thresholds but low by amount's own
        DriftAssessment low = policy.assess("churn", List.of(f("amount", 0.15)));
        assertEquals(Severity.LOW, low.severity());
        assertEquals(List.of(), low.driftedFeatures());
    }

    @Test
    void worstFirstGoesBySeverityThenScore() {
        // amount has the larger score but, by its own thresholds, is only HIGH; age is CRITICAL
        SeverityPolicy policy = new SeverityPolicy(Thresholds.DEFAULTS, Map.of("amount", new Thresholds(0.2, 0.4, 0.9)));
        DriftAssessment a = policy.assess("churn", List.of(f("amount", 0.7), f("region", 0.2), f("age", 0.55), f("tenure", 0.35)));
        assertEquals(Severity.CRITICAL, a.severity());
        assertEquals(0.7, a.maxScore());
        assertEquals(Map.of("amount", Severity.HIGH, "region", Severity.MEDIUM, "age", Severity.CRITICAL, "tenure", Severity.HIGH),
                a.perFeature());
        assertEquals(List.of("age", "amount", "tenure", "region"), a.driftedFeatures());
    }

    @Test
    void aFeatureReportedTwiceKeepsItsWorstGradeAndIsListedOnce() {
        DriftAssessment a = DEFAULT.assess("churn", List.of(f("amount", 0.12), f("age", 0.2), f("amount", 0.45)));
        assertEquals(Severity.HIGH, a.severity());
        assertEquals(Severity.HIGH, a.perFeature().get("amount"));
        assertEquals(List.of("amount", "age"), a.driftedFeatures());
    }

    @Test
    void emptyFeatureListIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DEFAULT.assess("churn", List.of()));
        assertTrue(e.getMessage().contains("at least one feature"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} / {1} / {2}")
    @CsvSource({
            "0.3, 0.1, 0.5",
            "0.1, 0.5, 0.3",
            "0.1, 0.1, 0.5",
            "0.1, 0.3, 0.3",
            "0.5, 0.3, 0.1",
            "0.0, 0.3, 0.5",
            "-0.1, 0.3, 0.5",
            "NaN, 0.3, 0.5",
            "0.1, 0.3, Infinity",
    })
    void thresholdsMustAscend(double medium, double high, double critical) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Thresholds(medium, high, critical));
        assertTrue(e.getMessage().contains("medium < high < critical"), e.getMessage());
    }

    @Test
    void defaultThresholds() {
        assertEquals(new Thresholds(0.1, 0.3, 0.5), Thresholds.DEFAULTS);
    }
}
