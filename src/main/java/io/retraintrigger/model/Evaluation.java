package io.retraintrigger.model;

import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The guardrails' verdict on the model a LAUNCHED decision trained: its report, the checks with their
 * figures, the outcome and the promotion.
 *
 * @param awaitingSince when the training was known to have succeeded (the report timeout runs from here)
 * @param evaluatedAt   when the outcome was reached
 * @param source        where the report came from: its URI, or {@code api} for one posted
 * @param reasons       why the outcome, starting with a stable code (promote:, hold:, reject:, no_report:)
 * @param promotion     the promotion in the target's registry, for PROMOTE and an approved HOLD
 */
public record Evaluation(
        GuardrailOutcome outcome,
        @Nullable Instant awaitingSince,
        @Nullable Instant evaluatedAt,
        @Nullable String source,
        @Nullable EvaluationReport report,
        List<GuardrailCheck> checks,
        List<String> reasons,
        @Nullable Promotion promotion) {

    public Evaluation {
        Objects.requireNonNull(outcome, "outcome");
        checks = checks == null ? List.of() : List.copyOf(checks);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public static Evaluation awaiting(Instant since) {
        return new Evaluation(GuardrailOutcome.AWAITING_REPORT, since, null, null, null, List.of(), List.of(), null);
    }

    public Evaluation evaluated(GuardrailOutcome o, Instant at, String from, EvaluationReport r, List<GuardrailCheck> c, List<String> why) {
        return new Evaluation(o, awaitingSince, at, from, r, c, why, null);
    }

    public Evaluation withPromotion(Promotion p) {
        return new Evaluation(outcome, awaitingSince, evaluatedAt, source, report, checks, reasons, p);
    }

    /** The golden-set value of {@code metric}, when the report had one. */
    public Double goldenSet(String metric) {
        return report == null ? null : report.goldenSet().get(metric);
    }
}
