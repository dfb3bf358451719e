package io.retraintrigger.store;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.ApprovalType;
import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.Severity;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.store.StepEffects.DeferredChange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract every {@link StateStore} adapter passes. A subclass supplies {@link #newStore()}
 * (called before each test; all stores of one subclass may share one database). Tests use random
 * pipeline names and ids, and assert on global queries (decisions(null, ..), pendingLaunches,
 * pipelinesWithDueDeferred, deadLetters) only in ways that data of other tests cannot break.
 */
public abstract class StateStoreContract {

    /** A fixed noon (UTC) for the coordinator tests. */
    protected static final Instant T = Instant.parse("2025-03-10T12:00:00Z");
    protected static final double COST = 12.5;

    protected StateStore store;

    /** A store on the adapter's backing database (already migrated / created). Called before each test. */
    protected abstract StateStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    // ------------------------------------------------------------------ fixtures

    protected static String uniq(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    protected static String newId() {
        return UUID.randomUUID().toString();
    }

    protected static TrainingRequest request(String pipeline, Instant at) {
        return new TrainingRequest(pipeline, TriggerType.DATA_ARRIVAL, 3, "new data", at,
                RequestMetadata.batch(List.of("s3://bucket/" + pipeline + "/part-1.parquet", "s3://bucket/" + pipeline + "/part-2.parquet"),
                        2, 2_000_000_000L, "batch_size_reached"));
    }

    protected static TrainingRequest driftRequest(String pipeline, Instant at) {
        return new TrainingRequest(pipeline, TriggerType.DRIFT, 1, "drift", at,
                RequestMetadata.drift(Severity.CRITICAL, 0.93, List.of("age", "income"), true));
    }

    protected static Launch pendingLaunch(long sequence) {
        return Launch.pending("dry-run", sequence, Map.of("pipeline_sequence", Long.toString(sequence), "reason", "test"));
    }

    protected static Decision decision(String id, String pipeline, Outcome outcome, Instant at, Launch launch) {
        return new Decision(id, pipeline, TriggerType.DATA_ARRIVAL, 3, outcome, List.of("reason of " + outcome),
                at, outcome == Outcome.DEFERRED ? at.plus(Duration.ofHours(1)) : null, COST, request(pipeline, at), launch);
    }

    /** Effects of a launch on {@code view}: LAUNCHED decision (launch PENDING) and counters advanced. */
    protected static StepEffects launchEffects(PipelineView view, String decisionId, Instant now) {
        PipelineState next = view.state().afterLaunch(now, COST);
        return StepEffects.NOTHING
                .withDecision(decision(decisionId, view.state().pipeline(), Outcome.LAUNCHED, now, pendingLaunch(next.sequence())))
                .withState(next);
    }

    protected StepEffects openApproval(String pipeline, Approval approval, Instant now) {
        return store.coordinate(pipeline, now, view -> StepEffects.NOTHING
                .withDecision(new Decision(approval.decisionId(), pipeline, TriggerType.DRIFT, 1, Outcome.AWAITING_APPROVAL,
                        List.of("critical drift"), now, null, 0, approval.request(), null))
                .opening(approval));
    }

    private static List<String> ids(List<Decision> decisions) {
        return decisions.stream().map(Decision::id).toList();
    }

    private static List<String> approvalIds(List<Approval> approvals) {
        return approvals.stream().map(Approval::id).toList();
    }

    // ------------------------------------------------------------------ coordinate

    @Test
    void coordinatePersistsAllEffectsOfAStepTogether() {
        String p = uniq("atomic");
        String decisionId = newId();
        String approvalId = newId();
        TrainingRequest req = driftRequest(p, T);
        Deferred deferred = new Deferred(request(p, T.minusSeconds(30)), T.plus(Duration.ofMinutes(45)), decisionId);
        Approval approval = Approval.open(approvalId, p, ApprovalType.MODEL_APPROVAL, T, decisionId, "approve the model of " + p, req);

        List<PipelineView> seen = new ArrayList<>();
        StepEffects returned = store.coordinate(p, T, view -> {
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

        PipelineState state = store.pipelineState(p).orElseThrow();
        assertEquals(p, state.pipeline());
        assertEquals(LocalDate.parse("2025-03-10"), state.day());
        assertEquals(1, state.trainingsToday());
        assertEquals(COST, state.spendToday(), 1e-9);
        assertEquals(T, state.lastTrainingAt());
        assertEquals(1, state.sequence());
        assertEquals(List.of(approvalId), state.pendingApprovals());

        assertEquals(Optional.of(expected), store.decision(decisionId));
        assertEquals(Optional.of(deferred), store.deferred(p));
        assertEquals(Optional.of(approval), store.approval(approvalId));
        assertEquals(List.of(approval), store.approvals(p, ApprovalStatus.PENDING, 10));

        // The next step sees all of it.
        store.coordinate(p, T.plusSeconds(60), view -> {
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
        store.coordinate(p, T, view -> launchEffects(view, newId(), T));
        String logged = newId();
        store.coordinate(p, T.plusSeconds(5), view -> StepEffects.NOTHING
                .withDecision(decision(logged, p, Outcome.REJECTED, T.plusSeconds(5), null)));
        PipelineState s = store.pipelineState(p).orElseThrow();
        assertEquals(1, s.trainingsToday());
        assertEquals(1, s.sequence());
        assertEquals(T, s.lastTrainingAt());
        assertEquals(Outcome.REJECTED, store.decision(logged).orElseThrow().outcome());
    }

    @Test
    void stateWithoutLastTrainingRoundTrips() {
        String p = uniq("nolast");
        PipelineState written = new PipelineState(p, LocalDate.parse("2025-03-10"), 0, 3.25, null, 7, List.of());
        store.coordinate(p, T, view -> StepEffects.NOTHING.withState(written));
        PipelineState s = store.pipelineState(p).orElseThrow();
        assertNull(s.lastTrainingAt());
        assertEquals(3.25, s.spendToday(), 1e-9);
        assertEquals(7, s.sequence());
    }

    @Test
    void deferredPutReplacesDeleteRemovesKeepKeeps() {
        String p = uniq("deferred");
        Deferred d1 = new Deferred(request(p, T), T.plus(Duration.ofMinutes(10)), newId());
        Deferred d2 = new Deferred(driftRequest(p, T.plusSeconds(1)), T.plus(Duration.ofMinutes(20)), newId());

        store.coordinate(p, T, view -> StepEffects.NOTHING.withDeferred(DeferredChange.put(d1)));
        assertEquals(Optional.of(d1), store.deferred(p));

        store.coordinate(p, T.plusSeconds(1), view -> {
            assertEquals(Optional.of(d1), view.deferred());
            return StepEffects.NOTHING.withDeferred(DeferredChange.put(d2));
        });
        assertEquals(Optional.of(d2), store.deferred(p), "PUT replaces the pipeline's one deferred request");

        store.coordinate(p, T.plusSeconds(2), view -> StepEffects.NOTHING
                .withDecision(decision(newId(), p, Outcome.LOGGED, T.plusSeconds(2), null))
                .withDeferred(DeferredChange.keep()));
        assertEquals(Optional.of(d2), store.deferred(p), "KEEP keeps it");

        store.coordinate(p, T.plusSeconds(3), view -> {
            assertEquals(Optional.of(d2), view.deferred());
            return StepEffects.NOTHING.withDeferred(DeferredChange.delete());
        });
        assertEquals(Optional.empty(), store.deferred(p), "DELETE removes it");

        store.coordinate(p, T.plusSeconds(4), view -> {
            assertEquals(Optional.empty(), view.deferred());
            return StepEffects.NOTHING.withDeferred(DeferredChange.delete());
        });
        assertEquals(Optional.empty(), store.deferred(p), "DELETE of nothing is fine");
    }

    @Test
    void stepThatThrowsPersistsNothingOnANewPipeline() {
        String p = uniq("throws-new");
        String decisionId = newId();
        RuntimeException boom = new IllegalStateException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> store.coordinate(p, T, view -> {
            launchEffects(view, decisionId, T);
            throw boom;
        }));
        assertCausedBy(thrown, boom);
        assertEquals(Optional.empty(), store.pipelineState(p));
        assertEquals(Optional.empty(), store.decision(decisionId));
        assertEquals(List.of(), store.decisions(p, null, 10));
    }

    @Test
    void stepThatThrowsAnErrorPersistsNothing() {
        String p = uniq("throws-error");
        Error boom = new StepError("step failed hard");
        Throwable thrown = assertThrows(Throwable.class, () -> store.coordinate(p, T, view -> {
            throw boom;
        }));
        assertCausedBy(thrown, boom);
        assertEquals(Optional.empty(), store.pipelineState(p), "nothing of a failed step may be committed");
        assertEquals(List.of(), store.decisions(p, null, 10));
    }

    @Test
    void stepThatThrowsPersistsNothingOnAnExistingPipeline() {
        String p = uniq("throws-old");
        Deferred d = new Deferred(request(p, T), T.plus(Duration.ofMinutes(10)), newId());
        String approvalId = newId();
        store.coordinate(p, T, view -> launchEffects(view, newId(), T).withDeferred(DeferredChange.put(d)));
        openApproval(p, Approval.open(approvalId, p, ApprovalType.TRAINING_REVIEW, T, newId(), "review", driftRequest(p, T)), T);
        PipelineState before = store.pipelineState(p).orElseThrow();
        List<Decision> decisionsBefore = store.decisions(p, null, 100);

        RuntimeException boom = new IllegalArgumentException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> store.coordinate(p, T.plusSeconds(10), view -> {
            assertEquals(1, view.state().trainingsToday());
            throw boom;
        }));
        assertCausedBy(thrown, boom);
        assertEquals(Optional.of(before), store.pipelineState(p));
        assertEquals(decisionsBefore, store.decisions(p, null, 100));
        assertEquals(Optional.of(d), store.deferred(p));
        assertEquals(List.of(approvalId), approvalIds(store.approvals(p, ApprovalStatus.PENDING, 10)));
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
        store.coordinate(p, t1, view -> {
            Approval pending = view.pendingApproval(open.id()).orElseThrow();
            assertEquals(open, pending);
            return launchEffects(view, approvedDecision, t1).resolving(pending.resolved(ApprovalStatus.APPROVED, t1, "alice", "go"));
        });
        assertEquals(Optional.of(approved), store.approval(open.id()));
        assertEquals(List.of(), store.approvals(p, ApprovalStatus.PENDING, 10));
        assertEquals(List.of(), store.pipelineState(p).orElseThrow().pendingApprovals());

        PipelineState before = store.pipelineState(p).orElseThrow();
        Optional<Deferred> deferredBefore = store.deferred(p);
        List<Decision> decisionsBefore = store.decisions(p, null, 100);

        // A second resolution of the same item (e.g. a stale reviewer) fails, with all its other effects.
        Instant t2 = T.plus(Duration.ofMinutes(6));
        String lateDecision = newId();
        Approval another = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, t2, lateDecision, "model", null);
        Deferred d = new Deferred(request(p, t2), t2.plus(Duration.ofMinutes(30)), lateDecision);
        assertThrows(ApprovalConflictException.class, () -> store.coordinate(p, t2, view -> {
            assertTrue(view.pendingApproval(open.id()).isEmpty(), "a resolved item is not pending");
            return launchEffects(view, lateDecision, t2)
                    .withDeferred(DeferredChange.put(d))
                    .opening(another)
                    .resolving(open.resolved(ApprovalStatus.REJECTED, t2, "bob", "no"));
        }));

        assertEquals(Optional.of(approved), store.approval(open.id()), "the first resolution stands");
        assertEquals(Optional.empty(), store.decision(lateDecision));
        assertEquals(Optional.empty(), store.approval(another.id()));
        assertEquals(Optional.of(before), store.pipelineState(p));
        assertEquals(deferredBefore, store.deferred(p));
        assertEquals(decisionsBefore, store.decisions(p, null, 100));
    }

    @Test
    void resolvingAnUnknownApprovalConflicts() {
        String p = uniq("conflict-unknown");
        Approval ghost = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T, newId(), "never opened", null);
        String decisionId = newId();
        assertThrows(ApprovalConflictException.class, () -> store.coordinate(p, T, view -> StepEffects.NOTHING
                .withDecision(decision(decisionId, p, Outcome.LOGGED, T, null))
                .resolving(ghost.resolved(ApprovalStatus.APPROVED, T, "alice", null))));
        assertEquals(Optional.empty(), store.decision(decisionId));
        assertEquals(Optional.empty(), store.approval(ghost.id()));
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
                return store.coordinate(p, now, view -> StepEffects.NOTHING
                        .withDecision(decision(newId(), p, Outcome.LOGGED, now, null))
                        .resolving(open.resolved(ApprovalStatus.APPROVED, now, "reviewer-" + i, null)));
            } catch (ApprovalConflictException e) {
                conflicts.incrementAndGet();
                return e;
            }
        });
        assertEquals(threads, results.size());
        assertEquals(threads - 1, conflicts.get(), "all resolutions but one conflict");
        assertEquals(ApprovalStatus.APPROVED, store.approval(open.id()).orElseThrow().status());
        assertEquals(1, store.decisions(p, Outcome.LOGGED, 100).size(), "only the winner's decision is recorded");
    }

    // ------------------------------------------------------------------ the view: UTC day, pending approvals

    @Test
    void viewCountersRollToTheUtcDayOfNow() {
        String p = uniq("rollover");
        Instant lateOnD = Instant.parse("2025-03-10T23:30:00Z");
        Instant earlyOnNextDay = Instant.parse("2025-03-11T00:10:00Z");
        String approvalId = newId();

        store.coordinate(p, lateOnD, view -> launchEffects(view, newId(), lateOnD));
        openApproval(p, Approval.open(approvalId, p, ApprovalType.MODEL_APPROVAL, lateOnD, newId(), "model", null), lateOnD);

        // Same UTC day: counters as written.
        store.coordinate(p, Instant.parse("2025-03-10T23:59:59Z"), view -> {
            assertEquals(LocalDate.parse("2025-03-10"), view.state().day());
            assertEquals(1, view.state().trainingsToday());
            assertEquals(COST, view.state().spendToday(), 1e-9);
            return StepEffects.NOTHING;
        });

        // Next UTC day: a fresh day's counters; the last training and the sequence stay.
        List<PipelineView> seen = new ArrayList<>();
        store.coordinate(p, earlyOnNextDay, view -> {
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
        PipelineState stored = store.pipelineState(p).orElseThrow();
        assertEquals(LocalDate.parse("2025-03-10"), stored.day());
        assertEquals(1, stored.trainingsToday());

        // A launch on the new day counts from zero and continues the sequence.
        store.coordinate(p, earlyOnNextDay, view -> launchEffects(view, newId(), earlyOnNextDay));
        PipelineState after = store.pipelineState(p).orElseThrow();
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
        store.coordinate(p, t, view -> StepEffects.NOTHING.resolving(view.pendingApproval(a2.id()).orElseThrow()
                .resolved(ApprovalStatus.REJECTED, t, "carol", "bad model")));

        store.coordinate(p, T.plusSeconds(4), view -> {
            assertEquals(Set.of(a1, a3), Set.copyOf(view.pendingApprovals()));
            assertEquals(Set.of(a1.id(), a3.id()), Set.copyOf(view.state().pendingApprovals()));
            assertTrue(view.pendingApproval(a2.id()).isEmpty());
            assertTrue(view.pendingApproval(elsewhere.id()).isEmpty());
            return StepEffects.NOTHING;
        });
        assertEquals(Set.of(a1.id(), a3.id()), Set.copyOf(store.pipelineState(p).orElseThrow().pendingApprovals()));
        assertEquals(List.of(elsewhere.id()), store.pipelineState(other).orElseThrow().pendingApprovals());
    }

    @Test
    void pipelineStateOfAnUnknownPipelineIsEmpty() {
        assertEquals(Optional.empty(), store.pipelineState(uniq("unknown")));
    }

    @Test
    void pipelineStateIsTheStateAsLastWritten() {
        String p = uniq("state");
        PipelineState written = new PipelineState(p, LocalDate.parse("2025-03-09"), 3, 42.75,
                Instant.parse("2025-03-09T18:45:12.345Z"), 17, List.of("ignored"));
        store.coordinate(p, T, view -> StepEffects.NOTHING.withState(written));
        PipelineState s = store.pipelineState(p).orElseThrow();
        assertEquals(p, s.pipeline());
        assertEquals(LocalDate.parse("2025-03-09"), s.day(), "pipelineState does not roll the day");
        assertEquals(3, s.trainingsToday());
        assertEquals(42.75, s.spendToday(), 1e-9);
        assertEquals(Instant.parse("2025-03-09T18:45:12.345Z"), s.lastTrainingAt());
        assertEquals(17, s.sequence());
        assertEquals(List.of(), s.pendingApprovals(), "pendingApprovals come from open approvals, not from the state written");
    }

    // ------------------------------------------------------------------ decisions

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
        for (Decision d : List.of(d3, d1, q1, d4, d2)) store.recordDecision(d);

        assertEquals(Optional.of(d2), store.decision(d2.id()));
        assertEquals(Optional.empty(), store.decision(newId()));
        assertEquals(List.of(d4, d3, d2, d1), store.decisions(p, null, 10));
        assertEquals(List.of(d4, d3), store.decisions(p, null, 2));
        assertEquals(List.of(d3, d1), store.decisions(p, Outcome.LOGGED, 10));
        assertEquals(List.of(d2), store.decisions(p, Outcome.REJECTED, 10));
        assertEquals(List.of(), store.decisions(p, Outcome.LAUNCHED, 10));
        assertEquals(List.of(q1), store.decisions(q, null, 10));

        List<Decision> allLogged = store.decisions(null, Outcome.LOGGED, 10_000);
        assertTrue(allLogged.containsAll(List.of(d3, d1, q1)));
        assertTrue(allLogged.stream().allMatch(d -> d.outcome() == Outcome.LOGGED));
        List<String> mine = ids(allLogged).stream().filter(id -> Set.of(d1.id(), d3.id(), q1.id()).contains(id)).toList();
        assertEquals(List.of(d3.id(), q1.id(), d1.id()), mine, "newest first across pipelines");
        assertEquals(1, store.decisions(null, null, 1).size());
    }

    @Test
    void decisionWithoutPipelineOrRequestRoundTrips() {
        Decision bad = new Decision(newId(), null, null, 0, Outcome.REJECTED, List.of("unreadable event: missing pipeline"),
                T, null, 0, null, null);
        store.recordDecision(bad);
        assertEquals(Optional.of(bad), store.decision(bad.id()));
        assertTrue(store.decisions(null, Outcome.REJECTED, 10_000).contains(bad));
    }

    @Test
    void updateLaunchChangesOutcomeReasonsAndLaunch() {
        String p = uniq("update");
        String id = newId();
        store.coordinate(p, T, view -> launchEffects(view, id, T));
        Decision launched = store.decision(id).orElseThrow();
        assertEquals(LaunchStatus.PENDING, launched.launch().status());

        Launch submitted = launched.launch().submitted("exec-123", T.plusSeconds(2));
        List<String> reasons = List.of("within budget", "submitted to dry-run");
        store.updateLaunch(id, Outcome.LAUNCHED, reasons, submitted);
        Decision afterSubmit = store.decision(id).orElseThrow();
        assertEquals(new Decision(id, p, launched.triggerType(), launched.priority(), Outcome.LAUNCHED, reasons, launched.decidedAt(),
                launched.deferredUntil(), launched.estimatedCost(), launched.request(), submitted), afterSubmit);
        assertFalse(ids(store.pendingLaunches(T.plusSeconds(3600), 10_000)).contains(id), "a submitted launch is not pending");

        Launch failed = launched.launch().failed("quota exceeded", T.plusSeconds(3));
        List<String> failReasons = List.of("within budget", "launcher refused: quota exceeded");
        store.updateLaunch(id, Outcome.FAILED, failReasons, failed);
        Decision afterFail = store.decision(id).orElseThrow();
        assertEquals(Outcome.FAILED, afterFail.outcome());
        assertEquals(failReasons, afterFail.reasons());
        assertEquals(failed, afterFail.launch());
        assertEquals(T, afterFail.decidedAt());
        assertEquals(List.of(afterFail), store.decisions(p, Outcome.FAILED, 10));
        assertEquals(List.of(), store.decisions(p, Outcome.LAUNCHED, 10));
        assertEquals(List.of(afterFail), store.decisions(p, null, 10), "the decision keeps its id: no second record");
    }

    @Test
    void executionStatusIsRecordedAgainstTheLaunchThatStartedIt() {
        String p = uniq("exec");
        String id = newId();
        store.coordinate(p, T, view -> launchEffects(view, id, T));
        Decision launched = store.decision(id).orElseThrow();
        String executionId = "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p/execution/" + newId();
        store.updateLaunch(id, Outcome.LAUNCHED, launched.reasons(), launched.launch().submitted(executionId, T.plusSeconds(1)));

        Decision running = store.recordExecutionStatus(executionId, "Executing", T.plusSeconds(5)).orElseThrow();
        assertEquals(id, running.id());
        assertEquals("Executing", running.launch().executionStatus());
        Decision done = store.recordExecutionStatus(executionId, "Succeeded", T.plusSeconds(600)).orElseThrow();
        assertEquals("Succeeded", done.launch().executionStatus());
        assertEquals(T.plusSeconds(600), done.launch().executionUpdatedAt());
        assertEquals(done, store.decision(id).orElseThrow());
        assertEquals(LaunchStatus.SUBMITTED, done.launch().status());
        assertEquals(Optional.empty(), store.recordExecutionStatus("arn:unknown-" + newId(), "Failed", T));
    }

    @Test
    void updateLaunchOfAnUnknownDecisionFails() {
        String id = newId();
        assertThrows(RuntimeException.class, () -> store.updateLaunch(id, Outcome.FAILED, List.of("x"), pendingLaunch(1)));
        assertEquals(Optional.empty(), store.decision(id));
    }

    @Test
    void pendingLaunchesAreLaunchedDecisionsWithAPendingLaunchDecidedBefore() {
        String p = uniq("pending-launch");
        Instant cutoff = T.plus(Duration.ofMinutes(10));
        String viaCoordinate = newId();
        store.coordinate(p, T, view -> launchEffects(view, viaCoordinate, T));
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
            store.recordDecision(d);
        }

        List<Decision> all = store.pendingLaunches(cutoff, 10_000);
        for (Decision d : all) {
            assertEquals(Outcome.LAUNCHED, d.outcome());
            assertEquals(LaunchStatus.PENDING, d.launch().status());
            assertTrue(d.decidedAt().isBefore(cutoff));
        }
        Set<String> mine = all.stream().filter(d -> p.equals(d.pipeline())).map(Decision::id).collect(Collectors.toSet());
        assertEquals(Set.of(viaCoordinate, pendingEarly.id()), mine);
        assertEquals(1, store.pendingLaunches(cutoff, 1).size(), "limit");

        store.updateLaunch(viaCoordinate, Outcome.LAUNCHED, List.of("ok"), pendingLaunch(1).submitted("exec-1", T.plusSeconds(5)));
        Set<String> afterUpdate = store.pendingLaunches(cutoff, 10_000).stream()
                .filter(d -> p.equals(d.pipeline())).map(Decision::id).collect(Collectors.toSet());
        assertEquals(Set.of(pendingEarly.id()), afterUpdate);
        Set<String> withLaterCutoff = store.pendingLaunches(cutoff.plusSeconds(3600), 10_000).stream()
                .filter(d -> p.equals(d.pipeline())).map(Decision::id).collect(Collectors.toSet());
        assertEquals(Set.of(pendingEarly.id(), atCutoff.id(), later.id()), withLaterCutoff);
    }

    // ------------------------------------------------------------------ deferred requests

    @Test
    void deferredRequestsAndWhichAreDue() {
        String past = uniq("due-past");
        String exact = uniq("due-exact");
        String future = uniq("due-future");
        Instant now = T.plus(Duration.ofHours(2));
        Deferred dPast = new Deferred(request(past, T), now.minusSeconds(60), newId());
        Deferred dExact = new Deferred(driftRequest(exact, T), now, newId());
        Deferred dFuture = new Deferred(request(future, T), now.plusSeconds(60), newId());
        store.coordinate(past, T, view -> StepEffects.NOTHING.withDeferred(DeferredChange.put(dPast)));
        store.coordinate(exact, T, view -> StepEffects.NOTHING.withDeferred(DeferredChange.put(dExact)));
        store.coordinate(future, T, view -> StepEffects.NOTHING.withDeferred(DeferredChange.put(dFuture)));

        assertEquals(Optional.of(dPast), store.deferred(past));
        assertEquals(Optional.of(dExact), store.deferred(exact));
        assertEquals(Optional.of(dFuture), store.deferred(future));
        assertEquals(Optional.empty(), store.deferred(uniq("due-none")));

        List<String> due = store.pipelinesWithDueDeferred(now);
        assertTrue(due.contains(past), "due before now");
        assertTrue(due.contains(exact), "due at now");
        assertFalse(due.contains(future), "not due yet");
        assertEquals(1, due.stream().filter(past::equals).count(), "each pipeline once");

        assertTrue(store.pipelinesWithDueDeferred(now.plusSeconds(60)).contains(future));
        List<String> early = store.pipelinesWithDueDeferred(now.minusSeconds(61));
        assertFalse(early.contains(past) || early.contains(exact) || early.contains(future));

        store.coordinate(past, now, view -> StepEffects.NOTHING.withDeferred(DeferredChange.delete()));
        assertFalse(store.pipelinesWithDueDeferred(now).contains(past), "a deleted request is not due");
        assertEquals(Optional.empty(), store.deferred(past));
    }

    // ------------------------------------------------------------------ approvals

    @Test
    void approvalsAreNewestFirstAndFilteredByStatus() {
        String p = uniq("approvals");
        String q = uniq("approvals-other");
        Approval a1 = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T, newId(), "one", driftRequest(p, T));
        Approval a2 = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, T.plusSeconds(1), newId(), "two", null);
        Approval a3 = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T.plusSeconds(2), newId(), "three", request(p, T));
        Approval a4 = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, T.plusSeconds(3), newId(), "four", null);
        Approval qa = Approval.open(newId(), q, ApprovalType.MODEL_APPROVAL, T.plusSeconds(1), newId(), "other", null);
        openApproval(p, a1, T);
        openApproval(p, a2, T.plusSeconds(1));
        openApproval(p, a3, T.plusSeconds(2));
        openApproval(p, a4, T.plusSeconds(3));
        openApproval(q, qa, T.plusSeconds(1));
        Instant t = T.plusSeconds(10);
        Approval a2approved = a2.resolved(ApprovalStatus.APPROVED, t, "alice", "looks good");
        Approval a4rejected = a4.resolved(ApprovalStatus.REJECTED, t.plusSeconds(1), "bob", null);
        store.coordinate(p, t, view -> StepEffects.NOTHING.resolving(a2approved));
        store.coordinate(p, t.plusSeconds(1), view -> StepEffects.NOTHING.resolving(a4rejected));

        assertEquals(Optional.of(a2approved), store.approval(a2.id()));
        assertEquals(Optional.empty(), store.approval(newId()));
        assertEquals(List.of(a4rejected, a3, a2approved, a1), store.approvals(p, null, 10));
        assertEquals(List.of(a4rejected, a3), store.approvals(p, null, 2));
        assertEquals(List.of(a3, a1), store.approvals(p, ApprovalStatus.PENDING, 10));
        assertEquals(List.of(a2approved), store.approvals(p, ApprovalStatus.APPROVED, 10));
        assertEquals(List.of(a4rejected), store.approvals(p, ApprovalStatus.REJECTED, 10));
        assertEquals(List.of(qa), store.approvals(q, null, 10));

        List<Approval> allPending = store.approvals(null, ApprovalStatus.PENDING, 10_000);
        assertTrue(allPending.containsAll(List.of(a1, a3, qa)));
        assertFalse(allPending.contains(a2approved) || allPending.stream().anyMatch(a -> a.id().equals(a2.id())));
        assertTrue(allPending.stream().allMatch(a -> a.status() == ApprovalStatus.PENDING));
    }

    // ------------------------------------------------------------------ health

    @Test
    void pingSucceeds() {
        assertDoesNotThrow(() -> store.ping());
    }

    // ------------------------------------------------------------------ concurrency

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
        store.coordinate(p, yesterday, view -> launchEffects(view, newId(), yesterday));
        assertExactlyOneLaunch(p, T);
        PipelineState s = store.pipelineState(p).orElseThrow();
        assertEquals(2, s.sequence());
        assertEquals(PipelineState.utcDay(T), s.day());
    }

    private void assertExactlyOneLaunch(String p, Instant now) throws Exception {
        int threads = 8;
        long sequenceBefore = store.pipelineState(p).map(PipelineState::sequence).orElse(0L);
        long launchedBefore = store.decisions(p, Outcome.LAUNCHED, 1000).size();
        List<Object> results = runConcurrently(threads, i -> store.coordinate(p, now, view -> {
            if (view.state().trainingsToday() == 0) {
                return launchEffects(view, newId(), now);
            }
            return StepEffects.NOTHING.withDecision(new Decision(newId(), p, TriggerType.DATA_ARRIVAL, 3, Outcome.REJECTED,
                    List.of("daily training limit reached (" + view.state().trainingsToday() + ")"), now, null, COST, request(p, now), null));
        }));

        long launchedResults = results.stream().map(r -> (StepEffects) r)
                .filter(e -> e.decision().map(d -> d.outcome() == Outcome.LAUNCHED).orElse(false)).count();
        assertEquals(1, launchedResults, "exactly one coordinate() call reports a launch");

        PipelineState s = store.pipelineState(p).orElseThrow();
        assertEquals(1, s.trainingsToday(), "trainingsToday");
        assertEquals(COST, s.spendToday(), 1e-9);
        assertEquals(sequenceBefore + 1, s.sequence(), "sequence");
        assertEquals(launchedBefore + 1, store.decisions(p, Outcome.LAUNCHED, 1000).size(), "LAUNCHED decisions");
        assertEquals(threads - 1, store.decisions(p, Outcome.REJECTED, 1000).size(), "REJECTED decisions");
    }

    /**
     * One decision id, eight concurrent steps (a redelivered event, a batch decided again by another replica):
     * exactly one runs, the others find its decision; the counters move once.
     */
    @RepeatedTest(3)
    void concurrentStepsWithOneDecisionIdRecordItOnce() throws Exception {
        String p = uniq("once");
        String id = newId();
        List<Object> results = runConcurrently(8, i -> store.coordinate(p, T, id, view -> launchEffects(view, id, T)));
        long ran = results.stream().map(r -> (StepEffects) r).filter(e -> !e.replayed()).count();
        assertEquals(1, ran, "steps that ran");
        for (Object r : results) assertEquals(id, ((StepEffects) r).decision().orElseThrow().id());
        assertEquals(1, store.pipelineState(p).orElseThrow().trainingsToday());
        assertEquals(1, store.decisions(p, null, 100).size());
        // later, too: the step does not run again
        StepEffects again = store.coordinate(p, T.plusSeconds(60), id, view -> launchEffects(view, id, T.plusSeconds(60)));
        assertTrue(again.replayed());
        assertEquals(1, store.pipelineState(p).orElseThrow().trainingsToday());
    }

    @Test
    void recordingADecisionTwiceKeepsTheFirst() {
        String p = uniq("logged");
        Decision first = decision(newId(), p, Outcome.LOGGED, T, null);
        assertEquals(first, store.recordDecision(first));
        Decision second = new Decision(first.id(), p, TriggerType.DRIFT, 5, Outcome.LOGGED, List.of("another reason"), T.plusSeconds(5), null,
                0, null, null);
        assertEquals(first.reasons(), store.recordDecision(second).reasons());
        assertEquals(first.reasons(), store.decision(first.id()).orElseThrow().reasons());
    }

    /** Of replicas that find one PENDING launch, one claims its sending; again only after the lease. */
    @Test
    void aPendingLaunchIsClaimedByOneSenderAtATime() throws Exception {
        String p = uniq("claim-launch");
        String id = newId();
        store.coordinate(p, T, view -> launchEffects(view, id, T));
        Instant until = T.plusSeconds(120);
        List<Object> claims = runConcurrently(8, i -> store.claimLaunch(id, "sender-" + i, T, until));
        assertEquals(1, claims.stream().filter(Boolean.TRUE::equals).count());
        assertFalse(store.claimLaunch(id, "late", T.plusSeconds(119), T.plusSeconds(300)), "the lease still runs");
        assertTrue(store.claimLaunch(id, "next", until, until.plusSeconds(120)), "the lease ended");
        store.updateLaunch(id, Outcome.LAUNCHED, List.of("sent"), pendingLaunch(1).submitted("exec-1", T));
        assertFalse(store.claimLaunch(id, "after", T.plus(Duration.ofDays(1)), T.plus(Duration.ofDays(2))), "not pending any more");
        assertFalse(store.claimLaunch(newId(), "unknown", T, until), "unknown decision");
    }

    /** A sender that renews its lease keeps the launch from every other claimant; only its holder can renew it. */
    @Test
    void onlyTheHolderRenewsASendLease() {
        String p = uniq("renew-launch");
        String id = newId();
        store.coordinate(p, T, view -> launchEffects(view, id, T));
        assertTrue(store.claimLaunch(id, "a", T, T.plusSeconds(120)));
        assertTrue(store.renewLaunch(id, "a", T.plusSeconds(300)), "the holder renews");
        assertFalse(store.renewLaunch(id, "b", T.plusSeconds(900)), "another sender cannot");
        assertFalse(store.claimLaunch(id, "b", T.plusSeconds(200), T.plusSeconds(320)), "renewed: the lease runs past the first end");
        assertTrue(store.claimLaunch(id, "b", T.plusSeconds(300), T.plusSeconds(420)), "the renewed lease ended");
        assertFalse(store.renewLaunch(id, "a", T.plusSeconds(600)), "lost: the old holder cannot renew it back");
        store.updateLaunch(id, Outcome.LAUNCHED, List.of("sent"), pendingLaunch(1).submitted("exec-r", T));
        assertFalse(store.renewLaunch(id, "b", T.plusSeconds(600)), "not pending any more");
        assertFalse(store.renewLaunch(newId(), "b", T.plusSeconds(600)), "unknown decision");
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
        store.coordinate(p, T, view -> launchEffects(view, first, T));
        store.coordinate(p, T.plusSeconds(1), view -> launchEffects(view, second, T.plusSeconds(1)));
        assertEquals(2, store.pipelineState(p).orElseThrow().trainingsToday());
        Decision pending = store.decision(first).orElseThrow();
        Decision failed = pending.failed(pending.launch().failed("launch_failed: refused", T.plusSeconds(2)), "launch_failed: refused");
        List<Object> results = runConcurrently(8, i -> store.coordinate(p, T.plusSeconds(2), view -> StepEffects.NOTHING
                .withState(new PipelineState(p, view.state().day(), view.state().trainingsToday() - 1, view.state().spendToday() - COST,
                        view.state().lastTrainingAt(), view.state().sequence(), view.state().pendingApprovals()))
                .endingLaunch(failed)));
        assertEquals(1, results.stream().filter(r -> ((StepEffects) r).endedLaunch().isPresent()).count(), "steps that ended it");
        PipelineState after = store.pipelineState(p).orElseThrow();
        assertEquals(1, after.trainingsToday(), "released once");
        assertEquals(COST, after.spendToday(), 0.001);
        Decision recorded = store.decision(first).orElseThrow();
        assertEquals(Outcome.FAILED, recorded.outcome());
        assertEquals(LaunchStatus.FAILED, recorded.launch().status());
        assertEquals(List.of(first), ids(store.decisions(p, Outcome.FAILED, 10)));
        assertFalse(store.claimLaunch(first, "late", T.plusSeconds(3), T.plusSeconds(120)), "no longer pending");

        store.updateLaunch(second, Outcome.LAUNCHED, List.of("sent"), pendingLaunch(2).submitted("exec-2", T));
        Decision other = store.decision(second).orElseThrow();
        StepEffects late = store.coordinate(p, T.plusSeconds(4), view -> StepEffects.NOTHING
                .withState(new PipelineState(p, view.state().day(), 0, 0, null, view.state().sequence(), List.of()))
                .endingLaunch(other.failed(pendingLaunch(2).failed("refused late", T), "refused late")));
        assertTrue(late.endedLaunch().isEmpty(), "an answered launch is not ended");
        assertEquals(1, store.pipelineState(p).orElseThrow().trainingsToday(), "nor its counters released");
        assertEquals(LaunchStatus.SUBMITTED, store.decision(second).orElseThrow().launch().status());
    }


    /** Runs {@code task(i)} on {@code threads} threads released together; fails on any exception or hang. */
    protected static List<Object> runConcurrently(int threads, IndexedTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                Callable<Object> c = () -> {
                    ready.countDown();
                    if (!go.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("start signal not given");
                    return task.run(n);
                };
                futures.add(pool.submit(c));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "threads did not start");
            go.countDown();
            List<Object> results = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (Future<Object> f : futures) {
                try {
                    results.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            if (!failures.isEmpty()) {
                AssertionError err = new AssertionError(failures.size() + " of " + threads + " concurrent calls failed: " + failures.get(0));
                failures.forEach(err::addSuppressed);
                throw err;
            }
            return results;
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) fail("worker threads did not end");
        }
    }

    @FunctionalInterface
    protected interface IndexedTask {
        Object run(int i) throws Exception;
    }

    private static void assertCausedBy(Throwable thrown, Throwable expected) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t == expected) return;
        }
        assertSame(expected, thrown, "the step's exception (or one caused by it) is thrown");
    }

    /** An Error from a step (not a RuntimeException). */
    private static final class StepError extends Error {
        StepError(String message) {
            super(message);
        }
    }
}
