package io.retraintrigger.guardrails;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Evaluation;
import io.retraintrigger.model.EvaluationReport;
import io.retraintrigger.model.GuardrailOutcome;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.retraintrigger.guardrails.GuardrailChecksTest.PATTERNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackLoopBreakerTest {
    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

    /** A LAUNCHED decision whose model was evaluated: golden-set accuracy and outcome. */
    private static Decision trained(int n, TriggerType type, double golden, GuardrailOutcome outcome) {
        EvaluationReport r = new EvaluationReport("m" + n, Map.of("accuracy", golden), null, null, null, null, false);
        var checks = GuardrailChecks.run(r, PATTERNS);
        Evaluation e = Evaluation.awaiting(T.plusSeconds(n)).evaluated(outcome, T.plusSeconds(n), "api", r, checks, List.of(outcome.name().toLowerCase()));
        return new Decision("d" + n, "p", type, 2, Outcome.LAUNCHED, List.of(), T.plusSeconds(n), null, 0, null, null, e);
    }

    /** Oldest first in the arguments, newest first as the breaker takes them. */
    private static List<Decision> newestFirst(Decision... oldestFirst) {
        List<Decision> l = new ArrayList<>(List.of(oldestFirst));
        java.util.Collections.reverse(l);
        return l;
    }

    @Test
    void goldenSetFallingAcrossThreeDriftTrainingsTrips() {
        Optional<String> why = FeedbackLoopBreaker.trip(newestFirst(
                trained(1, TriggerType.DRIFT, 0.93, GuardrailOutcome.PROMOTE),
                trained(2, TriggerType.DRIFT, 0.91, GuardrailOutcome.PROMOTE),
                trained(3, TriggerType.DRIFT, 0.88, GuardrailOutcome.PROMOTE)), PATTERNS);
        assertEquals(Optional.of("feedback_loop: golden-set accuracy fell across the last 3 drift-triggered trainings (0.93 -> 0.91 -> 0.88):"
                + " retraining absorbs the drift"), why);
    }

    @Test
    void twoFallsOrARiseInBetweenDoNotTrip() {
        assertEquals(Optional.empty(), FeedbackLoopBreaker.trip(newestFirst(
                trained(1, TriggerType.DRIFT, 0.91, GuardrailOutcome.PROMOTE),
                trained(2, TriggerType.DRIFT, 0.88, GuardrailOutcome.PROMOTE)), PATTERNS), "two trainings are not three");
        assertEquals(Optional.empty(), FeedbackLoopBreaker.trip(newestFirst(
                trained(1, TriggerType.DRIFT, 0.93, GuardrailOutcome.PROMOTE),
                trained(2, TriggerType.DRIFT, 0.94, GuardrailOutcome.PROMOTE),
                trained(3, TriggerType.DRIFT, 0.90, GuardrailOutcome.PROMOTE)), PATTERNS));
        assertEquals(Optional.empty(), FeedbackLoopBreaker.trip(newestFirst(
                trained(1, TriggerType.DRIFT, 0.93, GuardrailOutcome.PROMOTE),
                trained(2, TriggerType.DRIFT, 0.93, GuardrailOutcome.PROMOTE),
                trained(3, TriggerType.DRIFT, 0.90, GuardrailOutcome.PROMOTE)), PATTERNS), "equal is not falling");
    }

    @Test
    void scheduledTrainingsInBetweenAreNotDriftTrainings() {
        Optional<String> why = FeedbackLoopBreaker.trip(newestFirst(
                trained(1, TriggerType.DRIFT, 0.93, GuardrailOutcome.PROMOTE),
                trained(2, TriggerType.SCHEDULED, 0.99, GuardrailOutcome.PROMOTE),
                trained(3, TriggerType.DRIFT, 0.91, GuardrailOutcome.PROMOTE),
                trained(4, TriggerType.DRIFT, 0.89, GuardrailOutcome.PROMOTE)), PATTERNS);
        assertTrue(why.isPresent() && why.get().contains("0.93 -> 0.91 -> 0.89"), why.toString());
    }

    @Test
    void threeRejectionsInARowTrip() {
        Optional<String> why = FeedbackLoopBreaker.trip(newestFirst(
                trained(1, TriggerType.DATA_ARRIVAL, 0.7, GuardrailOutcome.REJECT),
                trained(2, TriggerType.SCHEDULED, 0.8, GuardrailOutcome.REJECT),
                trained(3, TriggerType.DRIFT, 0.75, GuardrailOutcome.REJECT)), PATTERNS);
        assertEquals(Optional.of("feedback_loop: the last 3 candidates were rejected (d3, d2, d1)"), why);
        assertEquals(Optional.empty(), FeedbackLoopBreaker.trip(newestFirst(
                trained(1, TriggerType.DATA_ARRIVAL, 0.7, GuardrailOutcome.REJECT),
                trained(2, TriggerType.SCHEDULED, 0.9, GuardrailOutcome.PROMOTE),
                trained(3, TriggerType.DATA_ARRIVAL, 0.8, GuardrailOutcome.REJECT),
                trained(4, TriggerType.SCHEDULED, 0.75, GuardrailOutcome.REJECT)), PATTERNS), "a promotion in between");
    }
}
