package io.retraintrigger.store;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Evaluation;
import io.retraintrigger.model.GuardrailOutcome;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of every {@link DecisionLog} adapter: decisions recorded once, found by id and filters,
 * newest first, their launch and execution status updated in place. Each adapter runs it as a nested class (H2, PostgreSQL, dynalite).
 */
public abstract class DecisionLogContract extends StateContractFixtures {

    @Test
    void decisionsAreNewestFirstAndFiltered() {
        String p = uniq("decisions");
        String q = uniq("decisions-other");
        Decision d1 = decision(newId(), p, Outcome.LOGGED, T, null);
        Decision d2 = decision(newId(), p, Outcome.REJECTED, T.plusSeconds(1), null);
        Decision d3 = decision(newId(), p, Outcome.LOGGED, T.plusSeconds(2), null);
        Decision d4 = decision(newId(), p, Outcome.DEFERRED, T.plusSeconds(3), null);
        Decision q1 = decision(newId(), q, Outcome.LOGGED, T.plusSeconds(1), null);
        // Recorded out of time order: the order is by decision time.
        for (Decision d : List.of(d3, d1, q1, d4, d2)) decisionLog.recordDecision(d);

        assertEquals(Optional.of(d2), decisionLog.decision(d2.id()));
        assertEquals(Optional.empty(), decisionLog.decision(newId()));
        assertEquals(List.of(d4, d3, d2, d1), decisionLog.decisions(p, null, 10));
        assertEquals(List.of(d4, d3), decisionLog.decisions(p, null, 2));
        assertEquals(List.of(d3, d1), decisionLog.decisions(p, Outcome.LOGGED, 10));
        assertEquals(List.of(d2), decisionLog.decisions(p, Outcome.REJECTED, 10));
        assertEquals(List.of(), decisionLog.decisions(p, Outcome.LAUNCHED, 10));
        assertEquals(List.of(q1), decisionLog.decisions(q, null, 10));

        List<Decision> allLogged = decisionLog.decisions(null, Outcome.LOGGED, 10_000);
        assertTrue(allLogged.containsAll(List.of(d3, d1, q1)));
        assertTrue(allLogged.stream().allMatch(d -> d.outcome() == Outcome.LOGGED));
        List<String> mine = ids(allLogged).stream().filter(id -> Set.of(d1.id(), d3.id(), q1.id()).contains(id)).toList();
        assertEquals(List.of(d3.id(), q1.id(), d1.id()), mine, "newest first across pipelines");
        assertEquals(1, decisionLog.decisions(null, null, 1).size());
    }

    @Test
    void decisionWithoutPipelineOrRequestRoundTrips() {
        Decision bad = new Decision(newId(), null, null, 0, Outcome.REJECTED, List.of("unreadable event: missing pipeline"),
                T, null, 0, null, null);
        decisionLog.recordDecision(bad);
        assertEquals(Optional.of(bad), decisionLog.decision(bad.id()));
        assertTrue(decisionLog.decisions(null, Outcome.REJECTED, 10_000).contains(bad));
    }

    @Test
    void updateLaunchChangesOutcomeReasonsAndLaunch() {
        String p = uniq("update");
        String id = newId();
        steps.coordinate(p, T, view -> launchEffects(view, id, T));
        Decision launched = decisionLog.decision(id).orElseThrow();
        assertEquals(LaunchStatus.PENDING, launched.launch().status());

        Launch submitted = launched.launch().submitted("exec-123", T.plusSeconds(2));
        List<String> reasons = List.of("within budget", "submitted to dry-run");
        decisionLog.updateLaunch(id, Outcome.LAUNCHED, reasons, submitted);
        Decision afterSubmit = decisionLog.decision(id).orElseThrow();
        assertEquals(new Decision(id, p, launched.triggerType(), launched.priority(), Outcome.LAUNCHED, reasons, launched.decidedAt(),
                launched.deferredUntil(), launched.estimatedCost(), launched.request(), submitted), afterSubmit);
        assertFalse(ids(decisionLog.pendingLaunches(T.plusSeconds(3600), 10_000)).contains(id), "a submitted launch is not pending");

        Launch failed = launched.launch().failed("quota exceeded", T.plusSeconds(3));
        List<String> failReasons = List.of("within budget", "launcher refused: quota exceeded");
        decisionLog.updateLaunch(id, Outcome.FAILED, failReasons, failed);
        Decision afterFail = decisionLog.decision(id).orElseThrow();
        assertEquals(Outcome.FAILED, afterFail.outcome());
        assertEquals(failReasons, afterFail.reasons());
        assertEquals(failed, afterFail.launch());
        assertEquals(T, afterFail.decidedAt());
        assertEquals(List.of(afterFail), decisionLog.decisions(p, Outcome.FAILED, 10));
        assertEquals(List.of(), decisionLog.decisions(p, Outcome.LAUNCHED, 10));
        assertEquals(List.of(afterFail), decisionLog.decisions(p, null, 10), "the decision keeps its id: no second record");
    }

    @Test
    void executionStatusIsRecordedAgainstTheLaunchThatStartedIt() {
        String p = uniq("exec");
        String id = newId();
        steps.coordinate(p, T, view -> launchEffects(view, id, T));
        Decision launched = decisionLog.decision(id).orElseThrow();
        String executionId = "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p/execution/" + newId();
        decisionLog.updateLaunch(id, Outcome.LAUNCHED, launched.reasons(), launched.launch().submitted(executionId, T.plusSeconds(1)));

        Decision running = decisionLog.recordExecutionStatus(executionId, "Executing", T.plusSeconds(5)).orElseThrow();
        assertEquals(id, running.id());
        assertEquals("Executing", running.launch().executionStatus());
        Decision done = decisionLog.recordExecutionStatus(executionId, "Succeeded", T.plusSeconds(600)).orElseThrow();
        assertEquals("Succeeded", done.launch().executionStatus());
        assertEquals(T.plusSeconds(600), done.launch().executionUpdatedAt());
        assertEquals(done, decisionLog.decision(id).orElseThrow());
        assertEquals(LaunchStatus.SUBMITTED, done.launch().status());
        assertEquals(Optional.empty(), decisionLog.recordExecutionStatus("arn:unknown-" + newId(), "Failed", T));
    }

    @Test
    void updateLaunchOfAnUnknownDecisionFails() {
        String id = newId();
        assertThrows(RuntimeException.class, () -> decisionLog.updateLaunch(id, Outcome.FAILED, List.of("x"), pendingLaunch(1)));
        assertEquals(Optional.empty(), decisionLog.decision(id));
    }

    @Test
    void pendingLaunchesAreLaunchedDecisionsWithAPendingLaunchDecidedBefore() {
        String p = uniq("pending-launch");
        Instant cutoff = T.plus(Duration.ofMinutes(10));
        String viaCoordinate = newId();
        steps.coordinate(p, T, view -> launchEffects(view, viaCoordinate, T));
        Decision pendingEarly = decision(newId(), p, Outcome.LAUNCHED, T.plusSeconds(60), pendingLaunch(2));
        Decision submitted = decision(newId(), p, Outcome.LAUNCHED, T.plusSeconds(120),
                pendingLaunch(3).submitted("exec-3", T.plusSeconds(121)));
        Decision failedLaunch = decision(newId(), p, Outcome.LAUNCHED, T.plusSeconds(130),
                pendingLaunch(4).failed("boom", T.plusSeconds(131)));
        Decision failedOutcome = decision(newId(), p, Outcome.FAILED, T.plusSeconds(140), pendingLaunch(5));
        Decision rejected = decision(newId(), p, Outcome.REJECTED, T.plusSeconds(150), null);
        Decision deferred = decision(newId(), p, Outcome.DEFERRED, T.plusSeconds(160), null);
        Decision atCutoff = decision(newId(), p, Outcome.LAUNCHED, cutoff, pendingLaunch(6));
        Decision later = decision(newId(), p, Outcome.LAUNCHED, cutoff.plusSeconds(60), pendingLaunch(7));
        for (Decision d : List.of(pendingEarly, submitted, failedLaunch, failedOutcome, rejected, deferred, atCutoff, later)) {
            decisionLog.recordDecision(d);
        }

        List<Decision> all = decisionLog.pendingLaunches(cutoff, 10_000);
        for (Decision d : all) {
            assertEquals(Outcome.LAUNCHED, d.outcome());
            assertEquals(LaunchStatus.PENDING, d.launch().status());
            assertTrue(d.decidedAt().isBefore(cutoff));
        }
        Set<String> mine = all.stream().filter(d -> p.equals(d.pipeline())).map(Decision::id).collect(Collectors.toSet());
        assertEquals(Set.of(viaCoordinate, pendingEarly.id()), mine);
        assertEquals(1, decisionLog.pendingLaunches(cutoff, 1).size(), "limit");

        decisionLog.updateLaunch(viaCoordinate, Outcome.LAUNCHED, List.of("ok"), pendingLaunch(1).submitted("exec-1", T.plusSeconds(5)));
        Set<String> afterUpdate = decisionLog.pendingLaunches(cutoff, 10_000).stream()
                .filter(d -> p.equals(d.pipeline())).map(Decision::id).collect(Collectors.toSet());
        assertEquals(Set.of(pendingEarly.id()), afterUpdate);
        Set<String> withLaterCutoff = decisionLog.pendingLaunches(cutoff.plusSeconds(3600), 10_000).stream()
                .filter(d -> p.equals(d.pipeline())).map(Decision::id).collect(Collectors.toSet());
        assertEquals(Set.of(pendingEarly.id(), atCutoff.id(), later.id()), withLaterCutoff);
    }

    @Test
    void recordingADecisionTwiceKeepsTheFirst() {
        String p = uniq("logged");
        Decision first = decision(newId(), p, Outcome.LOGGED, T, null);
        assertEquals(first, decisionLog.recordDecision(first));
        Decision second = new Decision(first.id(), p, TriggerType.DRIFT, 5, Outcome.LOGGED, List.of("another reason"), T.plusSeconds(5), null,
                0, null, null);
        assertEquals(first.reasons(), decisionLog.recordDecision(second).reasons());
        assertEquals(first.reasons(), decisionLog.decision(first.id()).orElseThrow().reasons());
    }

    /** Racing evaluators of one training (a fetched report, a posted one, another replica's sweep): one evaluates it. */
    @Test
    void concurrentEvaluationsOfOneTrainingLetExactlyOneThrough() throws Exception {
        String p = uniq("evaluate");
        String id = newId();
        steps.coordinate(p, T, view -> launchEffects(view, id, T));
        assertNull(decisionLog.decision(id).orElseThrow().evaluation());
        Evaluation awaiting = Evaluation.awaiting(T.plusSeconds(60));
        assertEquals(Optional.of(awaiting), decisionLog.recordEvaluation(id, e -> e == null ? awaiting : null).map(Decision::evaluation));
        assertEquals(Optional.empty(), decisionLog.recordEvaluation(id, e -> e == null ? awaiting : null), "already awaiting: unchanged");

        List<Object> results = runConcurrently(8, i -> decisionLog.recordEvaluation(id, e -> e != null && e.outcome() == GuardrailOutcome.AWAITING_REPORT
                ? e.evaluated(GuardrailOutcome.PROMOTE, T.plusSeconds(120), "evaluator-" + i, null, List.of(), List.of("promote: by " + i))
                : null));
        List<Decision> changed = results.stream().map(r -> (Optional<?>) r).filter(Optional::isPresent).map(o -> (Decision) o.get()).toList();
        assertEquals(1, changed.size(), "evaluations that went through");
        Decision stored = decisionLog.decision(id).orElseThrow();
        assertEquals(changed.get(0).evaluation(), stored.evaluation());
        assertEquals(GuardrailOutcome.PROMOTE, stored.evaluation().outcome());
        assertEquals(T.plusSeconds(60), stored.evaluation().awaitingSince());
        assertEquals(Outcome.LAUNCHED, stored.outcome(), "the decision is otherwise as it was");
        assertEquals(Optional.empty(), decisionLog.recordEvaluation(newId(), e -> awaiting), "unknown decision");
    }
}
