package io.retraintrigger.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The guardrails of one pipeline: the four checks of every trained model, when a human must approve it,
 * where its report comes from, the feedback-loop breaker and the training inputs that resist drift absorption.
 *
 * @param metric               the metric the golden-set and baseline checks compare (accuracy)
 * @param minGoldenSet         the golden-set metric must be at least this
 * @param maxBaselineGap       |candidate − baseline| of the metric must be at most this
 * @param maxKlDivergence      KL divergence of the candidate's predicted classes against the baseline's must be below this
 * @param klFloor              share given to a class one side never predicts
 * @param maxErrorShare        no single error type may exceed this share of the errors
 * @param requireHumanApproval a training triggered by drift above this score is held for a human
 * @param reportUri            template of the report's URI ({decisionId}, {executionId}, {pipeline}); empty: reports are posted
 * @param reportTimeout        a succeeded training without a report for this long gets NO_REPORT
 * @param fallingTrainings     consecutive drift-triggered trainings with falling golden-set metric that suspend drift retraining
 * @param rejectionsInARow     consecutive rejected candidates that suspend drift retraining
 */
public record GuardrailSettings(
        boolean enabled,
        String metric,
        double minGoldenSet,
        double maxBaselineGap,
        double maxKlDivergence,
        double klFloor,
        double maxErrorShare,
        double requireHumanApproval,
        Optional<String> reportUri,
        Duration reportTimeout,
        int fallingTrainings,
        int rejectionsInARow,
        TrainingInputs inputs) {

    public GuardrailSettings {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(reportUri, "reportUri");
        Objects.requireNonNull(reportTimeout, "reportTimeout");
        Objects.requireNonNull(inputs, "inputs");
        unit("min-golden-set", minGoldenSet);
        unit("max-baseline-gap", maxBaselineGap);
        unit("max-error-share", maxErrorShare);
        if (!(maxKlDivergence > 0)) throw new IllegalArgumentException("max-kl-divergence must be positive, was " + maxKlDivergence);
        if (!(klFloor > 0 && klFloor < 1)) throw new IllegalArgumentException("kl-floor must be in (0, 1), was " + klFloor);
        if (!(requireHumanApproval >= 0)) throw new IllegalArgumentException("require-human-approval must be >= 0, was " + requireHumanApproval);
        if (reportTimeout.isNegative() || reportTimeout.isZero()) throw new IllegalArgumentException("report-timeout must be positive, was " + reportTimeout);
        if (fallingTrainings < 2) throw new IllegalArgumentException("breaker.falling-trainings must be at least 2, was " + fallingTrainings);
        if (rejectionsInARow < 1) throw new IllegalArgumentException("breaker.rejections-in-a-row must be at least 1, was " + rejectionsInARow);
    }

    private static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1], was " + v);
    }

    /**
     * What every launch is given besides its data: the golden set, and a baseline holdout mixed into the
     * training data at {@code holdoutFraction} (the patterns use 70 % production, 30 % holdout).
     */
    public record TrainingInputs(Optional<String> goldenSetUri, Optional<String> baselineHoldoutUri, double holdoutFraction) {
        public TrainingInputs {
            Objects.requireNonNull(goldenSetUri, "goldenSetUri");
            Objects.requireNonNull(baselineHoldoutUri, "baselineHoldoutUri");
            if (!(holdoutFraction >= 0 && holdoutFraction < 1)) throw new IllegalArgumentException("holdout-fraction must be in [0, 1), was " + holdoutFraction);
        }

        public static final TrainingInputs NONE = new TrainingInputs(Optional.empty(), Optional.empty(), 0);
    }
}
