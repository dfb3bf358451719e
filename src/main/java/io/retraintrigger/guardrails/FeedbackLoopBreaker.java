package io.retraintrigger.guardrails;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Evaluation;
import io.retraintrigger.model.GuardrailOutcome;
import io.retraintrigger.model.GuardrailSettings;
import io.retraintrigger.model.TriggerType;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The history no single pipeline run sees, pure: whether automatic drift retraining of a pipeline must be
 * suspended because retraining absorbs the drift instead of fixing it. It trips when
 * <ul>
 *   <li>the golden-set metric fell at each of the last {@code falling-trainings} drift-triggered trainings, or</li>
 *   <li>the last {@code rejections-in-a-row} evaluated candidates were all rejected.</li>
 * </ul>
 */
public final class FeedbackLoopBreaker {
    private FeedbackLoopBreaker() {
    }

    /**
     * @param newestFirst the pipeline's LAUNCHED decisions since drift retraining last resumed, newest first
     * @return why to suspend, when it trips
     */
    public static Optional<String> trip(List<Decision> newestFirst, GuardrailSettings s) {
        List<Decision> evaluated = newestFirst.stream().filter(d -> d.evaluation() != null && d.evaluation().checks().size() > 0
                && d.evaluation().outcome().settled() && d.evaluation().outcome() != GuardrailOutcome.NO_REPORT).toList();

        List<Decision> lastRejected = evaluated.stream().limit(s.rejectionsInARow()).toList();
        if (lastRejected.size() == s.rejectionsInARow() && lastRejected.stream().allMatch(d -> d.evaluation().outcome() == GuardrailOutcome.REJECT)) {
            return Optional.of("feedback_loop: the last " + s.rejectionsInARow() + " candidates were rejected ("
                    + lastRejected.stream().map(Decision::id).collect(Collectors.joining(", ")) + ")");
        }

        List<Decision> drift = evaluated.stream().filter(d -> d.triggerType() == TriggerType.DRIFT && d.evaluation().goldenSet(s.metric()) != null)
                .limit(s.fallingTrainings()).toList();
        if (drift.size() == s.fallingTrainings()) {
            boolean falling = true;
            for (int i = 0; i + 1 < drift.size(); i++) {
                falling &= golden(drift.get(i), s) < golden(drift.get(i + 1), s);
            }
            if (falling) {
                List<String> oldestFirst = new java.util.ArrayList<>(drift.stream().map(d -> GuardrailChecks.fmt(golden(d, s))).toList());
                java.util.Collections.reverse(oldestFirst);
                String figures = String.join(" -> ", oldestFirst);
                return Optional.of("feedback_loop: golden-set " + s.metric() + " fell across the last " + s.fallingTrainings()
                        + " drift-triggered trainings (" + figures + "): retraining absorbs the drift");
            }
        }
        return Optional.empty();
    }

    private static double golden(Decision d, GuardrailSettings s) {
        Evaluation e = d.evaluation();
        return e.goldenSet(s.metric());
    }
}
