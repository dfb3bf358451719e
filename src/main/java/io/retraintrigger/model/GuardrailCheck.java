package io.retraintrigger.model;

import jakarta.annotation.Nullable;
/**
 * The result of one guardrail check with its figures, like the coordinator's reasons.
 *
 * @param name   golden_set, baseline_comparison, prediction_distribution or systematic_errors
 * @param value  the figure checked (null when the report lacks it)
 * @param limit  the configured limit it is checked against
 * @param reason what was checked, with the figures, starting with the check's name
 */
public record GuardrailCheck(@Nullable String name, boolean passed, @Nullable Double value, double limit, @Nullable String reason) {
    public static final String GOLDEN_SET = "golden_set";
    public static final String BASELINE_COMPARISON = "baseline_comparison";
    public static final String PREDICTION_DISTRIBUTION = "prediction_distribution";
    public static final String SYSTEMATIC_ERRORS = "systematic_errors";
}
