package io.retraintrigger.guardrails;

import io.retraintrigger.model.EvaluationReport;
import io.retraintrigger.model.GuardrailCheck;
import io.retraintrigger.model.GuardrailOutcome;
import io.retraintrigger.model.GuardrailSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four checks and the outcome on worked examples, with the limits the patterns give. */
class GuardrailChecksTest {
    static final GuardrailSettings PATTERNS = new GuardrailSettings(true, "accuracy", 0.85, 0.4, 0.5, 0.001, 0.7, 0.2,
            Optional.empty(), Duration.ofHours(6), 3, 3, GuardrailSettings.TrainingInputs.NONE);

    static EvaluationReport report(double golden, double candidate, double baseline, Map<String, Double> predicted, Map<String, Double> baselinePredicted,
                                   Map<String, Long> errors) {
        return new EvaluationReport("model-1", Map.of("accuracy", golden), Map.of("accuracy", candidate), Map.of("accuracy", baseline),
                new EvaluationReport.Predictions(predicted, baselinePredicted), errors, false);
    }

    static EvaluationReport good() {
        return report(0.91, 0.90, 0.88, Map.of("fraud", 0.1, "legit", 0.9), Map.of("fraud", 0.12, "legit", 0.88),
                Map.of("false_positive", 30L, "false_negative", 20L));
    }

    @Test
    void aGoodCandidatePassesAllFour() {
        List<GuardrailCheck> checks = GuardrailChecks.run(good(), PATTERNS);
        assertEquals(List.of(GuardrailCheck.GOLDEN_SET, GuardrailCheck.BASELINE_COMPARISON, GuardrailCheck.PREDICTION_DISTRIBUTION,
                GuardrailCheck.SYSTEMATIC_ERRORS), checks.stream().map(GuardrailCheck::name).toList());
        assertTrue(checks.stream().allMatch(GuardrailCheck::passed), checks.toString());
        assertEquals(GuardrailOutcome.PROMOTE, PromotionRules.decide(checks, null, false, PATTERNS).outcome());
    }

    @Test
    void goldenSetAccuracyMustReach085() {
        GuardrailCheck at = GuardrailChecks.goldenSet(report(0.85, 0.9, 0.9, Map.of(), Map.of(), Map.of()), PATTERNS);
        assertTrue(at.passed(), "0.85 is enough");
        GuardrailCheck below = GuardrailChecks.goldenSet(report(0.8499, 0.9, 0.9, Map.of(), Map.of(), Map.of()), PATTERNS);
        assertFalse(below.passed());
        assertEquals(0.8499, below.value());
        assertEquals(0.85, below.limit());
        assertEquals("golden_set: accuracy 0.8499 < 0.85", below.reason());
    }

    @Test
    void aMissingFigureFailsItsCheck() {
        EvaluationReport empty = new EvaluationReport("m", null, null, null, null, null, false);
        List<GuardrailCheck> checks = GuardrailChecks.run(empty, PATTERNS);
        assertEquals(List.of(false, false, false, true), checks.stream().map(GuardrailCheck::passed).toList(), "no errors reported is no systematic error");
        assertNull(checks.get(0).value());
        assertEquals("golden_set: the report has no goldenSet.accuracy", checks.get(0).reason());
        assertEquals("baseline_comparison: the report has no candidate.accuracy", checks.get(1).reason());
    }

    @Test
    void theCandidateMayDifferFromTheBaselineByAtMost04() {
        // |0.95 - 0.55| = 0.4: at the limit
        GuardrailCheck at = GuardrailChecks.baselineComparison(report(0.9, 0.95, 0.55, Map.of(), Map.of(), Map.of()), PATTERNS);
        assertTrue(at.passed(), at.reason());
        GuardrailCheck far = GuardrailChecks.baselineComparison(report(0.9, 0.45, 0.9, Map.of(), Map.of(), Map.of()), PATTERNS);
        assertFalse(far.passed());
        assertEquals(0.45, far.value(), 1e-9);
        assertEquals("baseline_comparison: |0.45 - 0.9| = 0.45 > 0.4", far.reason());
    }

    @Test
    void klDivergenceOnAWorkedExample() {
        // 0.5 ln(0.5/0.4) + 0.3 ln(0.3/0.4) + 0.2 ln(0.2/0.2) = 0.111572 - 0.086305 + 0 = 0.025267
        double kl = GuardrailChecks.klDivergence(Map.of("a", 0.5, "b", 0.3, "c", 0.2), Map.of("a", 0.4, "b", 0.4, "c", 0.2), 0.001);
        assertEquals(0.025267, kl, 1e-6);
        assertEquals(0.0, GuardrailChecks.klDivergence(Map.of("a", 0.5, "b", 0.5), Map.of("a", 0.5, "b", 0.5), 0.001), 1e-12);
    }

    @Test
    void aClassTheBaselineNeverPredictsIsFlooredAt0001AndBothSidesNormalised() {
        // Q lacks "fraud": floored to 0.001, Q = (0.001, 1.0) / 1.001 = (0.000999, 0.999001); P sums to 1 already.
        // KL = 0.2 ln(0.2 / 0.000999) + 0.8 ln(0.8 / 0.999001) = 1.059862 - 0.177714 = 0.882148
        double kl = GuardrailChecks.klDivergence(Map.of("fraud", 0.2, "legit", 0.8), Map.of("legit", 1.0), 0.001);
        assertEquals(0.882148, kl, 1e-6);
        GuardrailCheck c = GuardrailChecks.predictionDistribution(report(0.9, 0.9, 0.9, Map.of("fraud", 0.2, "legit", 0.8), Map.of("legit", 1.0),
                Map.of()), PATTERNS);
        assertFalse(c.passed(), "0.88 is not below 0.5");
        assertEquals("prediction_distribution: KL(candidate || baseline) 0.8821 >= 0.5", c.reason());
    }

    @Test
    void sharesThatDoNotSumToOneAreNormalised() {
        // counts instead of shares: the same distributions as 0.5/0.3/0.2 against 0.4/0.4/0.2
        double kl = GuardrailChecks.klDivergence(Map.of("a", 50.0, "b", 30.0, "c", 20.0), Map.of("a", 4.0, "b", 4.0, "c", 2.0), 0.001);
        assertEquals(0.025267, kl, 1e-6);
    }

    @Test
    void noErrorTypeMayExceed07OfTheErrors() {
        GuardrailCheck at = GuardrailChecks.systematicErrors(report(0.9, 0.9, 0.9, Map.of(), Map.of(), Map.of("fn", 70L, "fp", 30L)), PATTERNS);
        assertTrue(at.passed(), "0.7 is allowed");
        GuardrailCheck over = GuardrailChecks.systematicErrors(report(0.9, 0.9, 0.9, Map.of(), Map.of(), Map.of("fn", 71L, "fp", 29L)), PATTERNS);
        assertFalse(over.passed());
        assertEquals(0.71, over.value(), 1e-9);
        assertEquals("systematic_errors: fn is 71 of 100 errors, 0.71 > 0.7", over.reason());
    }

    @Test
    void aFailedCheckRejectsWhateverElse() {
        List<GuardrailCheck> checks = GuardrailChecks.run(report(0.6, 0.9, 0.88, Map.of("a", 1.0), Map.of("a", 1.0), Map.of()), PATTERNS);
        PromotionRules.Verdict v = PromotionRules.decide(checks, 0.9, true, PATTERNS);
        assertEquals(GuardrailOutcome.REJECT, v.outcome());
        assertEquals("reject: 1 of 4 checks failed (golden_set: accuracy 0.6 < 0.85); the model is not promoted", v.reasons().get(0));
    }

    @Test
    void driftAbove02OrAnAskedApprovalHoldsForAHuman() {
        List<GuardrailCheck> checks = GuardrailChecks.run(good(), PATTERNS);
        assertEquals(GuardrailOutcome.PROMOTE, PromotionRules.decide(checks, 0.2, false, PATTERNS).outcome(), "0.2 is not above 0.2");
        PromotionRules.Verdict drift = PromotionRules.decide(checks, 0.21, false, PATTERNS);
        assertEquals(GuardrailOutcome.HOLD, drift.outcome());
        assertTrue(drift.reasons().get(0).contains("drift score 0.21 above require-human-approval 0.2"), drift.reasons().toString());
        PromotionRules.Verdict asked = PromotionRules.decide(checks, null, true, PATTERNS);
        assertEquals(GuardrailOutcome.HOLD, asked.outcome());
        assertTrue(asked.reasons().get(0).contains("the training asked for approval"));
    }

    @Test
    void limitsOutsideTheirRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GuardrailSettings(true, "accuracy", 1.5, 0.4, 0.5, 0.001,
                0.7, 0.2, Optional.empty(), Duration.ofHours(6), 3, 3, GuardrailSettings.TrainingInputs.NONE));
        assertEquals("min-golden-set must be in [0, 1], was 1.5", e.getMessage());
    }
}
