package io.retraintrigger.coordinator;

import io.retraintrigger.model.CoordinatorSettings;
import io.retraintrigger.model.CostEstimate;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hybrid coordinator's rules, in order: pending approval, cooldown, daily cap, budget.
 * Pure: it reads a state and a request and says what to do; recording is the store's job.
 * Every reason starts with a stable code ({@code cooldown:}, {@code daily_cap:} ...) used in metrics.
 */
public final class CoordinatorRules {
    /** Drift requests at or above this priority (numerically at most) skip the cooldown. */
    public static final int COOLDOWN_BYPASS_PRIORITY = 2;
    /** Requests at or above this priority skip the daily cap. */
    public static final int CAP_BYPASS_PRIORITY = 2;
    /** Only this priority may exceed the daily budget. */
    public static final int BUDGET_BYPASS_PRIORITY = 1;

    private CoordinatorRules() {
    }

    public static Verdict evaluate(TrainingRequest request, PipelineState stateAnyDay, CoordinatorSettings settings, Instant now) {
        return evaluate(request, stateAnyDay, settings, now, Optional.empty());
    }

    /**
     * @param driftSuspension why automatic drift retraining of the pipeline is suspended, if it is (the
     *                        feedback-loop breaker's review, not in {@code stateAnyDay}'s pending approvals): a drift
     *                        request is rejected, unless a human approved it (a reviewed training); others go on
     */
    public static Verdict evaluate(TrainingRequest request, PipelineState stateAnyDay, CoordinatorSettings settings, Instant now,
                                   Optional<String> driftSuspension) {
        PipelineState state = stateAnyDay.on(PipelineState.utcDay(now));
        double cost = CostEstimate.of(settings.baseCost(), request.metadata().totalBytes());
        List<String> reasons = new ArrayList<>();

        if (driftSuspension.isPresent() && request.triggerType() == TriggerType.DRIFT && request.metadata().reviewId() == null) {
            reasons.add("drift_suspended: automatic drift retraining is suspended (" + driftSuspension.get() + ")");
            return new Verdict(Verdict.Kind.REJECT, reasons, null, cost);
        }

        if (state.hasPendingApproval()) {
            reasons.add("pending_approval: previous training pending approval (" + String.join(", ", state.pendingApprovals()) + ")");
            return new Verdict(Verdict.Kind.REJECT, reasons, null, cost);
        }

        // No cooldown at all when min-interval is zero, also when the last training was recorded by a replica whose
        // clock was a little ahead of ours (its step committed while ours waited for the lock).
        if (state.lastTrainingAt() != null && !settings.minInterval().isZero()) {
            Instant cooldownEnds = state.lastTrainingAt().plus(settings.minInterval());
            if (now.isBefore(cooldownEnds)) {
                String left = human(Duration.between(now, cooldownEnds));
                if (request.triggerType() == TriggerType.DRIFT && request.priority() <= COOLDOWN_BYPASS_PRIORITY) {
                    reasons.add("cooldown_bypassed: drift priority " + request.priority() + " skips the cooldown (" + left + " left)");
                } else {
                    reasons.add("cooldown: last training at " + state.lastTrainingAt() + ", min-interval " + human(settings.minInterval())
                            + "; deferred until " + cooldownEnds);
                    return new Verdict(Verdict.Kind.DEFER, reasons, cooldownEnds, cost);
                }
            }
        }

        if (state.trainingsToday() >= settings.maxDailyTrainings()) {
            if (request.priority() <= CAP_BYPASS_PRIORITY) {
                reasons.add("daily_cap_bypassed: priority " + request.priority() + " skips the cap of " + settings.maxDailyTrainings());
            } else {
                reasons.add("daily_cap: " + state.trainingsToday() + " of " + settings.maxDailyTrainings() + " trainings today");
                return new Verdict(Verdict.Kind.REJECT, reasons, null, cost);
            }
        }

        if (CostEstimate.round2(state.spendToday() + cost) > settings.dailyBudget()) {
            String figures = "spent " + state.spendToday() + " + estimated " + cost + " > daily budget " + settings.dailyBudget();
            if (request.priority() <= BUDGET_BYPASS_PRIORITY) {
                reasons.add("budget_bypassed: priority 1 may exceed the budget (" + figures + ")");
            } else {
                reasons.add("budget: " + figures);
                return new Verdict(Verdict.Kind.REJECT, reasons, null, cost);
            }
        }

        reasons.add("allowed: " + request.triggerType().name().toLowerCase() + " priority " + request.priority()
                + ", training " + (state.trainingsToday() + 1) + " today, estimated cost " + cost);
        return new Verdict(Verdict.Kind.LAUNCH, reasons, null, cost);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) return (s / 3600) + "h";
        if (s % 60 == 0) return (s / 60) + "m";
        return s + "s";
    }
}
