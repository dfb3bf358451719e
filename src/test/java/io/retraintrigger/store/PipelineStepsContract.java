package io.retraintrigger.store;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.ApprovalType;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.store.StepEffects.DeferredChange;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of every {@link PipelineSteps} adapter: a coordinator step reads and writes a pipeline's
 * state, deferred request, decision and approvals atomically, once per decision id, against racing writers. Each adapter runs it as a nested class (H2, PostgreSQL, dynalite).
 */
public abstract class PipelineStepsContract extends StateContractFixtures {

    @Test
    void coordinatePersistsAllEffectsOfAStepTogether() {
        String p = uniq("atomic");
        String decisionId = newId();
        String approvalId = newId();
        TrainingRequest req = driftRequest(p, T);
        Deferred deferred = new Deferred(request(p, T.minusSeconds(30)), T.plus(Duration.ofMinutes(45)), decisionId);
        Approval approval = Approval.open(approvalId, p, ApprovalType.MODEL_APPROVAL, T, decisionId, "approve the model of " + p, req);

        List<PipelineView> seen = new ArrayList<>();
        StepEffects returned = steps.coordinate(p, T, view -> {
            seen.add(view);
            return launchEffects(view, decisionId, T)
                    .withDeferred(DeferredChange.put(deferred))
                    .opening(approval);
        });

        PipelineView first = seen.get(seen.size() - 1);
        assertEquals(p, first.state().pipeline());
        assertEquals(LocalDate.parse("2025-03-10"), first.state().day());
        assertEquals(0, first.state().trainingsToday());
        assertEquals(0.0, first.state().spendToday());
        assertNull(first.state().lastTrainingAt());
        assertEquals(0, first.state().sequence());
        assertEquals(List.of(), first.state().pendingApprovals());
        assertEquals(Optional.empty(), first.deferred());
        assertEquals(List.of(), first.pendingApprovals());

        Decision expected = decision(decisionId, p, Outcome.LAUNCHED, T, pendingLaunch(1));
        assertEquals(Optional.of(expected), returned.decision(), "coordinate returns the persisted effects");

        PipelineState state = steps.pipelineState(p).orElseThrow();
        assertEquals(p, state.pipeline());
        assertEquals(LocalDate.parse("2025-03-10"), state.day());
        assertEquals(1, state.trainingsToday());
        assertEquals(COST, state.spendToday(), 1e-9);
        assertEquals(T, state.lastTrainingAt());
        assertEquals(1, state.sequence());
        assertEquals(List.of(approvalId), state.pendingApprovals());

        assertEquals(Optional.of(expected), decisionLog.decision(decisionId));
        assertEquals(Optional.of(deferred), steps.deferred(p));
        assertEquals(Optional.of(approval), approvalLog.approval(approvalId));
        assertEquals(List.of(approval), approvalLog.approvals(p, ApprovalStatus.PENDING, 10));

        // The next step sees all of it.
        steps.coordinate(p, T.plusSeconds(60), view -> {
            assertEquals(1, view.state().trainingsToday());
            assertEquals(COST, view.state().spendToday(), 1e-9);
            assertEquals(T, view.state().lastTrainingAt());
            assertEquals(1, view.state().sequence());
            assertEquals(List.of(approvalId), view.state().pendingApprovals());
            assertEquals(Optional.of(deferred), view.deferred());
            assertEquals(List.of(approval), view.pendingApprovals());
            assertEquals(Optional.of(approval), view.pendingApproval(approvalId));
            return StepEffects.NOTHING;
        });
    }

    @Test
    void stepWithoutNewStateLeavesCountersUnchanged() {
        String p = uniq("keepstate");
        steps.coordinate(p, T, view -> launchEffects(view, newId(), T));
        String logged = newId();
        steps.coordinate(p, T.plusSeconds(5), view -> StepEffects.NOTHING
                .withDecision(decision(logged, p, Outcome.REJECTED, T.plusSeconds(5), null)));
        PipelineState s = steps.pipelineState(p).orElseThrow();
        assertEquals(1, s.trainingsToday());
        assertEquals(1, s.sequence());
        assertEquals(T, s.lastTrainingAt());
        assertEquals(Outcome.REJECTED, decisionLog.decision(logged).orElseThrow().outcome());
    }

    @Test
    void stateWithoutLastTrainingRoundTrips() {
        String p = uniq("nolast");
        PipelineState written = new PipelineState(p, LocalDate.parse("2025-03-10"), 0, 3.25, null, 7, List.of());
        steps.coordinate(p, T, view -> StepEffects.NOTHING.withState(written));
        PipelineState s = steps.pipelineState(p).orElseThrow();
        assertNull(s.lastTrainingAt());
        assertEquals(3.25, s.spendToday(), 1e-9);
        assertEquals(7, s.sequence());
    }

    @Test
    void deferredPutReplacesDeleteRemovesKeepKeeps() {
        String p = uniq("deferred");
        Deferred d1 = new Deferred(request(p, T), T.plus(Duration.ofMinutes(10)), newId());
        Deferred d2 = new Deferred(driftRequest(p, T.plusSeconds(1)), T.plus(Duration.ofMinutes(20)), newId());

        steps.coordinate(p, T, view -> StepEffects.NOTHING.withDeferred(DeferredChange.put(d1)));
        assertEquals(Optional.of(d1), steps.deferred(p));

        steps.coordinate(p, T.plusSeconds(1), view -> {
            assertEquals(Optional.of(d1), view.deferred());
            return StepEffects.NOTHING.withDeferred(DeferredChange.put(d2));
        });
        assertEquals(Optional.of(d2), steps.deferred(p), "PUT replaces the pipeline's one deferred request");

        steps.coordinate(p, T.plusSeconds(2), view -> StepEffects.NOTHING
                .withDecision(decision(newId(), p, Outcome.LOGGED, T.plusSeconds(2), null))
                .withDeferred(DeferredChange.keep()));
        assertEquals(Optional.of(d2), steps.deferred(p), "KEEP keeps it");

        steps.coordinate(p, T.plusSeconds(3), view -> {
            assertEquals(Optional.of(d2), view.deferred());
            return StepEffects.NOTHING.withDeferred(DeferredChange.delete());
        });
        assertEquals(Optional.empty(), steps.deferred(p), "DELETE removes it");

        steps.coordinate(p, T.plusSeconds(4), view -> {
            assertEquals(Optional.empty(), view.deferred());
            return StepEffects.NOTHING.withDeferred(DeferredChange.delete());
        });
        assertEquals(Optional.empty(), steps.deferred(p), "DELETE of nothing is fine");
    }

    @Test
    void stepThatThrowsPersistsNothingOnANewPipeline() {
        String p = uniq("throws-new");
        String decisionId = newId();
        RuntimeException boom = new IllegalStateException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> steps.coordinate(p, T, view -> {
            launchEffects(view, decisionId, T);
            throw boom;
        }));
        assertCausedBy(thrown, boom);
        assertEquals(Optional.empty(), steps.pipelineState(p));
        assertEquals(Optional.empty(), decisionLog.decision(decisionId));
        assertEquals(List.of(), decisionLog.decisions(p, null, 10));
    }

    @Test
    void stepThatThrowsAnErrorPersistsNothing() {
        String p = uniq("throws-error");
        Error boom = new StepError("step failed hard");
        Throwable thrown = assertThrows(Throwable.class, () -> steps.coordinate(p, T, view -> {
            throw boom;
        }));
        assertCausedBy(thrown, boom);
        assertEquals(Optional.empty(), steps.pipelineState(p), "nothing of a failed step may be committed");
        assertEquals(List.of(), decisionLog.decisions(p, null, 10));
    }

    @Test
    void stepThatThrowsPersistsNothingOnAnExistingPipeline() {
        String p = uniq("throws-old");
        Deferred d = new Deferred(request(p, T), T.plus(Duration.ofMinutes(10)), newId());
        String approvalId = newId();
        steps.coordinate(p, T, view -> launchEffects(view, newId(), T).withDeferred(DeferredChange.put(d)));
        openApproval(p, Approval.open(approvalId, p, ApprovalType.TRAINING_REVIEW, T, newId(), "review", driftRequest(p, T)), T);
        PipelineState before = steps.pipelineState(p).orElseThrow();
        List<Decision> decisionsBefore = decisionLog.decisions(p, null, 100);

        RuntimeException boom = new IllegalArgumentException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> steps.coordinate(p, T.plusSeconds(10), view -> {
            assertEquals(1, view.state().trainingsToday());
            throw boom;
        }));
        assertCausedBy(thrown, boom);
        assertEquals(Optional.of(before), steps.pipelineState(p));
        assertEquals(decisionsBefore, decisionLog.decisions(p, null, 100));
        assertEquals(Optional.of(d), steps.deferred(p));
        assertEquals(List.of(approvalId), approvalIds(approvalLog.approvals(p, ApprovalStatus.PENDING, 10)));
    }

    @Test
    void resolvingAnApprovalThatIsNoLongerPendingConflictsAndPersistsNothing() {
        String p = uniq("conflict");
        TrainingRequest req = driftRequest(p, T);
        Approval open = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T, newId(), "critical drift on " + p, req);
        openApproval(p, open, T);

        // First resolution wins.
        Instant t1 = T.plus(Duration.ofMinutes(5));
        Approval approved = open.resolved(ApprovalStatus.APPROVED, t1, "alice", "go");
        String approvedDecision = newId();
        steps.coordinate(p, t1, view -> {
            Approval pending = view.pendingApproval(open.id()).orElseThrow();
            assertEquals(open, pending);
            return launchEffects(view, approvedDecision, t1).resolving(pending.resolved(ApprovalStatus.APPROVED, t1, "alice", "go"));
        });
        assertEquals(Optional.of(approved), approvalLog.approval(open.id()));
        assertEquals(List.of(), approvalLog.approvals(p, ApprovalStatus.PENDING, 10));
        assertEquals(List.of(), steps.pipelineState(p).orElseThrow().pendingApprovals());

        PipelineState before = steps.pipelineState(p).orElseThrow();
        Optional<Deferred> deferredBefore = steps.deferred(p);
        List<Decision> decisionsBefore = decisionLog.decisions(p, null, 100);

        // A second resolution of the same item (e.g. a stale reviewer) fails, with all its other effects.
        Instant t2 = T.plus(Duration.ofMinutes(6));
        String lateDecision = newId();
        Approval another = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, t2, lateDecision, "model", null);
        Deferred d = new Deferred(request(p, t2), t2.plus(Duration.ofMinutes(30)), lateDecision);
        assertThrows(ApprovalConflictException.class, () -> steps.coordinate(p, t2, view -> {
            assertTrue(view.pendingApproval(open.id()).isEmpty(), "a resolved item is not pending");
            return launchEffects(view, lateDecision, t2)
                    .withDeferred(DeferredChange.put(d))
                    .opening(another)
                    .resolving(open.resolved(ApprovalStatus.REJECTED, t2, "bob", "no"));
        }));

        assertEquals(Optional.of(approved), approvalLog.approval(open.id()), "the first resolution stands");
        assertEquals(Optional.empty(), decisionLog.decision(lateDecision));
        assertEquals(Optional.empty(), approvalLog.approval(another.id()));
        assertEquals(Optional.of(before), steps.pipelineState(p));
        assertEquals(deferredBefore, steps.deferred(p));
        assertEquals(decisionsBefore, decisionLog.decisions(p, null, 100));
    }

    @Test
    void resolvingAnUnknownApprovalConflicts() {
        String p = uniq("conflict-unknown");
        Approval ghost = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T, newId(), "never opened", null);
        String decisionId = newId();
        assertThrows(ApprovalConflictException.class, () -> steps.coordinate(p, T, view -> StepEffects.NOTHING
                .withDecision(decision(decisionId, p, Outcome.LOGGED, T, null))
                .resolving(ghost.resolved(ApprovalStatus.APPROVED, T, "alice", null))));
        assertEquals(Optional.empty(), decisionLog.decision(decisionId));
        assertEquals(Optional.empty(), approvalLog.approval(ghost.id()));
    }

    @Test
    void concurrentResolutionsOfOneApprovalLetExactlyOneWin() throws Exception {
        String p = uniq("conflict-race");
        Approval open = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T, newId(), "race", driftRequest(p, T));
        openApproval(p, open, T);

        int threads = 4;
        AtomicInteger conflicts = new AtomicInteger();
        List<Object> results = runConcurrently(threads, i -> {
            Instant now = T.plusSeconds(60 + i);
            try {
                // The step resolves the item even if the view says it is gone: the store must refuse.
                return steps.coordinate(p, now, view -> StepEffects.NOTHING
                        .withDecision(decision(newId(), p, Outcome.LOGGED, now, null))
                        .resolving(open.resolved(ApprovalStatus.APPROVED, now, "reviewer-" + i, null)));
            } catch (ApprovalConflictException e) {
                conflicts.incrementAndGet();
                return e;
            }
        });
        assertEquals(threads, results.size());
        assertEquals(threads - 1, conflicts.get(), "all resolutions but one conflict");
        assertEquals(ApprovalStatus.APPROVED, approvalLog.approval(open.id()).orElseThrow().status());
        assertEquals(1, decisionLog.decisions(p, Outcome.LOGGED, 100).size(), "only the winner's decision is recorded");
    }

    @Test
    void viewCountersRollToTheUtcDayOfNow() {
        String p = uniq("rollover");
        Instant lateOnD = Instant.parse("2025-03-10T23:30:00Z");
        Instant earlyOnNextDay = Instant.parse("2025-03-11T00:10:00Z");
        String approvalId = newId();

        steps.coordinate(p, lateOnD, view -> launchEffects(view, newId(), lateOnD));
        openApproval(p, Approval.open(approvalId, p, ApprovalType.MODEL_APPROVAL, lateOnD, newId(), "model", null), lateOnD);

        // Same UTC day: counters as written.
        steps.coordinate(p, Instant.parse("2025-03-10T23:59:59Z"), view -> {
            assertEquals(LocalDate.parse("2025-03-10"), view.state().day());
            assertEquals(1, view.state().trainingsToday());
            assertEquals(COST, view.state().spendToday(), 1e-9);
            return StepEffects.NOTHING;
        });

        // Next UTC day: a fresh day's counters; the last training and the sequence stay.
        List<PipelineView> seen = new ArrayList<>();
        steps.coordinate(p, earlyOnNextDay, view -> {
            seen.add(view);
            return StepEffects.NOTHING;
        });
        PipelineView v = seen.get(seen.size() - 1);
        assertEquals(LocalDate.parse("2025-03-11"), v.state().day());
        assertEquals(0, v.state().trainingsToday());
        assertEquals(0.0, v.state().spendToday(), 1e-9);
        assertEquals(lateOnD, v.state().lastTrainingAt());
        assertEquals(1, v.state().sequence());
        assertEquals(List.of(approvalId), v.state().pendingApprovals());
        assertEquals(List.of(approvalId), approvalIds(v.pendingApprovals()));

        // Not written back by a step that wrote no state: pipelineState is the state as last written.
        PipelineState stored = steps.pipelineState(p).orElseThrow();
        assertEquals(LocalDate.parse("2025-03-10"), stored.day());
        assertEquals(1, stored.trainingsToday());

        // A launch on the new day counts from zero and continues the sequence.
        steps.coordinate(p, earlyOnNextDay, view -> launchEffects(view, newId(), earlyOnNextDay));
        PipelineState after = steps.pipelineState(p).orElseThrow();
        assertEquals(LocalDate.parse("2025-03-11"), after.day());
        assertEquals(1, after.trainingsToday());
        assertEquals(COST, after.spendToday(), 1e-9);
        assertEquals(earlyOnNextDay, after.lastTrainingAt());
        assertEquals(2, after.sequence());
    }

    @Test
    void viewListsOnlyOpenApprovalsOfThePipeline() {
        String p = uniq("pending");
        String other = uniq("pending-other");
        Approval a1 = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T, newId(), "one", driftRequest(p, T));
        Approval a2 = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, T.plusSeconds(1), newId(), "two", null);
        Approval a3 = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, T.plusSeconds(2), newId(), "three", null);
        Approval elsewhere = Approval.open(newId(), other, ApprovalType.MODEL_APPROVAL, T, newId(), "other", null);
        openApproval(p, a1, T);
        openApproval(p, a2, T.plusSeconds(1));
        openApproval(p, a3, T.plusSeconds(2));
        openApproval(other, elsewhere, T);
        Instant t = T.plusSeconds(3);
        steps.coordinate(p, t, view -> StepEffects.NOTHING.resolving(view.pendingApproval(a2.id()).orElseThrow()
                .resolved(ApprovalStatus.REJECTED, t, "carol", "bad model")));

        steps.coordinate(p, T.plusSeconds(4), view -> {
            assertEquals(Set.of(a1, a3), Set.copyOf(view.pendingApprovals()));
            assertEquals(Set.of(a1.id(), a3.id()), Set.copyOf(view.state().pendingApprovals()));
            assertTrue(view.pendingApproval(a2.id()).isEmpty());
            assertTrue(view.pendingApproval(elsewhere.id()).isEmpty());
            return StepEffects.NOTHING;
        });
        assertEquals(Set.of(a1.id(), a3.id()), Set.copyOf(steps.pipelineState(p).orElseThrow().pendingApprovals()));
        assertEquals(List.of(elsewhere.id()), steps.pipelineState(other).orElseThrow().pendingApprovals());
    }

    @Test
    void pipelineStateOfAnUnknownPipelineIsEmpty() {
        assertEquals(Optional.empty(), steps.pipelineState(uniq("unknown")));
    }

    @Test
    void pipelineStateIsTheStateAsLastWritten() {
        String p = uniq("state");
        PipelineState written = new PipelineState(p, LocalDate.parse("2025-03-09"), 3, 42.75,
                Instant.parse("2025-03-09T18:45:12.345Z"), 17, List.of("ignored"));
        steps.coordinate(p, T, view -> StepEffects.NOTHING.withState(written));
        PipelineState s = steps.pipelineState(p).orElseThrow();
        assertEquals(p, s.pipeline());
        assertEquals(LocalDate.parse("2025-03-09"), s.day(), "pipelineState does not roll the day");
        assertEquals(3, s.trainingsToday());
        assertEquals(42.75, s.spendToday(), 1e-9);
        assertEquals(Instant.parse("2025-03-09T18:45:12.345Z"), s.lastTrainingAt());
        assertEquals(17, s.sequence());
        assertEquals(List.of(), s.pendingApprovals(), "pendingApprovals come from open approvals, not from the state written");
    }

    @Test
    void deferredRequestsAndWhichAreDue() {
        String past = uniq("due-past");
        String exact = uniq("due-exact");
        String future = uniq("due-future");
        Instant now = T.plus(Duration.ofHours(2));
        Deferred dPast = new Deferred(request(past, T), now.minusSeconds(60), newId());
        Deferred dExact = new Deferred(driftRequest(exact, T), now, newId());
        Deferred dFuture = new Deferred(request(future, T), now.plusSeconds(60), newId());
        steps.coordinate(past, T, view -> StepEffects.NOTHING.withDeferred(DeferredChange.put(dPast)));
        steps.coordinate(exact, T, view -> StepEffects.NOTHING.withDeferred(DeferredChange.put(dExact)));
        steps.coordinate(future, T, view -> StepEffects.NOTHING.withDeferred(DeferredChange.put(dFuture)));

        assertEquals(Optional.of(dPast), steps.deferred(past));
        assertEquals(Optional.of(dExact), steps.deferred(exact));
        assertEquals(Optional.of(dFuture), steps.deferred(future));
        assertEquals(Optional.empty(), steps.deferred(uniq("due-none")));

        List<String> due = steps.pipelinesWithDueDeferred(now);
        assertTrue(due.contains(past), "due before now");
        assertTrue(due.contains(exact), "due at now");
        assertFalse(due.contains(future), "not due yet");
        assertEquals(1, due.stream().filter(past::equals).count(), "each pipeline once");

        assertTrue(steps.pipelinesWithDueDeferred(now.plusSeconds(60)).contains(future));
        List<String> early = steps.pipelinesWithDueDeferred(now.minusSeconds(61));
        assertFalse(early.contains(past) || early.contains(exact) || early.contains(future));

        steps.coordinate(past, now, view -> StepEffects.NOTHING.withDeferred(DeferredChange.delete()));
        assertFalse(steps.pipelinesWithDueDeferred(now).contains(past), "a deleted request is not due");
        assertEquals(Optional.empty(), steps.deferred(past));
    }

    /**
     * The coordinator's guarantee: eight replicas deciding for one pipeline at once launch once. The step
     * launches only on a day without trainings, so a store that lets two steps read the same state launches twice.
     */
    @RepeatedTest(3)
    void concurrentStepsOnANewPipelineLaunchExactlyOnce() throws Exception {
        assertExactlyOneLaunch(uniq("race-new"), T);
    }

    @RepeatedTest(3)
    void concurrentStepsOnAnExistingPipelineLaunchExactlyOnce() throws Exception {
        String p = uniq("race-old");
        // Yesterday's training: rolled away today, so every thread's first look says "no training today".
        Instant yesterday = T.minus(Duration.ofDays(1));
        steps.coordinate(p, yesterday, view -> launchEffects(view, newId(), yesterday));
        assertExactlyOneLaunch(p, T);
        PipelineState s = steps.pipelineState(p).orElseThrow();
        assertEquals(2, s.sequence());
        assertEquals(PipelineState.utcDay(T), s.day());
    }

    private void assertExactlyOneLaunch(String p, Instant now) throws Exception {
        int threads = 8;
        long sequenceBefore = steps.pipelineState(p).map(PipelineState::sequence).orElse(0L);
        long launchedBefore = decisionLog.decisions(p, Outcome.LAUNCHED, 1000).size();
        List<Object> results = runConcurrently(threads, i -> steps.coordinate(p, now, view -> {
            if (view.state().trainingsToday() == 0) {
                return launchEffects(view, newId(), now);
            }
            return StepEffects.NOTHING.withDecision(new Decision(newId(), p, TriggerType.DATA_ARRIVAL, 3, Outcome.REJECTED,
                    List.of("daily training limit reached (" + view.state().trainingsToday() + ")"), now, null, COST, request(p, now), null));
        }));

        long launchedResults = results.stream().map(r -> (StepEffects) r)
                .filter(e -> e.decision().map(d -> d.outcome() == Outcome.LAUNCHED).orElse(false)).count();
        assertEquals(1, launchedResults, "exactly one coordinate() call reports a launch");

        PipelineState s = steps.pipelineState(p).orElseThrow();
        assertEquals(1, s.trainingsToday(), "trainingsToday");
        assertEquals(COST, s.spendToday(), 1e-9);
        assertEquals(sequenceBefore + 1, s.sequence(), "sequence");
        assertEquals(launchedBefore + 1, decisionLog.decisions(p, Outcome.LAUNCHED, 1000).size(), "LAUNCHED decisions");
        assertEquals(threads - 1, decisionLog.decisions(p, Outcome.REJECTED, 1000).size(), "REJECTED decisions");
    }

    /**
     * One decision id, eight concurrent steps (a redelivered event, a batch decided again by another replica):
     * exactly one runs, the others find its decision; the counters move once.
     */
    @RepeatedTest(3)
    void concurrentStepsWithOneDecisionIdRecordItOnce() throws Exception {
        String p = uniq("once");
        String id = newId();
        List<Object> results = runConcurrently(8, i -> steps.coordinate(p, T, id, view -> launchEffects(view, id, T)));
        long ran = results.stream().map(r -> (StepEffects) r).filter(e -> !e.replayed()).count();
        assertEquals(1, ran, "steps that ran");
        for (Object r : results) assertEquals(id, ((StepEffects) r).decision().orElseThrow().id());
        assertEquals(1, steps.pipelineState(p).orElseThrow().trainingsToday());
        assertEquals(1, decisionLog.decisions(p, null, 100).size());
        // later, too: the step does not run again
        StepEffects again = steps.coordinate(p, T.plusSeconds(60), id, view -> launchEffects(view, id, T.plusSeconds(60)));
        assertTrue(again.replayed());
        assertEquals(1, steps.pipelineState(p).orElseThrow().trainingsToday());
    }

    /**
     * A permanent refusal ends the launch and releases its counters in one step; of senders racing to record
     * it, one does: the counters are released once, never twice, and a launch answered meanwhile is left alone.
     */
    @Test
    void endingALaunchAndReleasingItsCountersIsOneStepTakenOnce() throws Exception {
        String p = uniq("end-launch");
        String first = newId();
        String second = newId();
        steps.coordinate(p, T, view -> launchEffects(view, first, T));
        steps.coordinate(p, T.plusSeconds(1), view -> launchEffects(view, second, T.plusSeconds(1)));
        assertEquals(2, steps.pipelineState(p).orElseThrow().trainingsToday());
        Decision pending = decisionLog.decision(first).orElseThrow();
        Decision failed = pending.failed(pending.launch().failed("launch_failed: refused", T.plusSeconds(2)), "launch_failed: refused");
        List<Object> results = runConcurrently(8, i -> steps.coordinate(p, T.plusSeconds(2), view -> StepEffects.NOTHING
                .withState(new PipelineState(p, view.state().day(), view.state().trainingsToday() - 1, view.state().spendToday() - COST,
                        view.state().lastTrainingAt(), view.state().sequence(), view.state().pendingApprovals()))
                .endingLaunch(failed)));
        assertEquals(1, results.stream().filter(r -> ((StepEffects) r).endedLaunch().isPresent()).count(), "steps that ended it");
        PipelineState after = steps.pipelineState(p).orElseThrow();
        assertEquals(1, after.trainingsToday(), "released once");
        assertEquals(COST, after.spendToday(), 0.001);
        Decision recorded = decisionLog.decision(first).orElseThrow();
        assertEquals(Outcome.FAILED, recorded.outcome());
        assertEquals(LaunchStatus.FAILED, recorded.launch().status());
        assertEquals(List.of(first), ids(decisionLog.decisions(p, Outcome.FAILED, 10)));
        assertFalse(leases.claimLaunch(first, "late", T.plusSeconds(3), T.plusSeconds(120)), "no longer pending");

        decisionLog.updateLaunch(second, Outcome.LAUNCHED, List.of("sent"), pendingLaunch(2).submitted("exec-2", T));
        Decision other = decisionLog.decision(second).orElseThrow();
        StepEffects late = steps.coordinate(p, T.plusSeconds(4), view -> StepEffects.NOTHING
                .withState(new PipelineState(p, view.state().day(), 0, 0, null, view.state().sequence(), List.of()))
                .endingLaunch(other.failed(pendingLaunch(2).failed("refused late", T), "refused late")));
        assertTrue(late.endedLaunch().isEmpty(), "an answered launch is not ended");
        assertEquals(1, steps.pipelineState(p).orElseThrow().trainingsToday(), "nor its counters released");
        assertEquals(LaunchStatus.SUBMITTED, decisionLog.decision(second).orElseThrow().launch().status());
    }
}
