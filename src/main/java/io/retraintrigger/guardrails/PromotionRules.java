package io.retraintrigger.guardrails;

import io.retraintrigger.model.GuardrailCheck;
import io.retraintrigger.model.GuardrailOutcome;
import io.retraintrigger.model.GuardrailSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * From the checks to the outcome, pure: REJECT when a check failed; else HOLD when a human is required
 * (the triggering drift above require-human-approval, or the training or its report asked for approval);
 * else PROMOTE. Every reason starts with the outcome's code.
 */
public final class PromotionRules {
    private PromotionRules() {
    }

    public record Verdict(GuardrailOutcome outcome, List<String> reasons) {
    }

    /**
     * @param driftScore       the score of the drift that triggered the training, null when not drift-triggered
     * @param approvalRequired the launch was sent with RequireApproval=true, or the report asks for approval
     */
    public static Verdict decide(List<GuardrailCheck> checks, Double driftScore, boolean approvalRequired, GuardrailSettings s) {
        List<String> failed = checks.stream().filter(c -> !c.passed()).map(GuardrailCheck::reason).toList();
        if (!failed.isEmpty()) {
            return new Verdict(GuardrailOutcome.REJECT, List.of("reject: " + failed.size() + " of " + checks.size() + " checks failed ("
                    + String.join("; ", failed) + "); the model is not promoted"));
        }
        List<String> human = new ArrayList<>();
        if (driftScore != null && driftScore > s.requireHumanApproval()) {
            human.add("drift score " + GuardrailChecks.fmt(driftScore) + " above require-human-approval " + GuardrailChecks.fmt(s.requireHumanApproval()));
        }
        if (approvalRequired) human.add("the training asked for approval");
        if (!human.isEmpty()) {
            return new Verdict(GuardrailOutcome.HOLD, List.of("hold: all " + checks.size() + " checks passed; " + String.join(", ", human)
                    + ": approving its MODEL_APPROVAL promotes the model"));
        }
        return new Verdict(GuardrailOutcome.PROMOTE, List.of("promote: all " + checks.size() + " checks passed"));
    }
}
