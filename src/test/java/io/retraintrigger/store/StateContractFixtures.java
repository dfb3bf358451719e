package io.retraintrigger.store;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.Severity;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the state contracts share: the adapters of one store under test, and fixtures. A subclass supplies
 * {@link #newAdapters()} (called before each test; all adapters of one subclass may share one database).
 * Tests use random pipeline names and ids, and assert on global queries (decisions(null, ..),
 * pendingLaunches, pipelinesWithDueDeferred) only in ways that data of other tests cannot break.
 */
public abstract class StateContractFixtures {

    /** A fixed noon (UTC) for the coordinator tests. */
    protected static final Instant T = Instant.parse("2025-03-10T12:00:00Z");
    protected static final double COST = 12.5;

    protected PipelineSteps steps;
    protected DecisionLog decisionLog;
    protected LaunchLeases leases;
    protected ApprovalLog approvalLog;

    /** The adapters of one store on its backing database (already migrated / created). Called before each test. */
    protected abstract StateAdapters newAdapters();

    @BeforeEach
    void openAdapters() {
        StateAdapters a = newAdapters();
        steps = a.steps();
        decisionLog = a.decisions();
        leases = a.leases();
        approvalLog = a.approvals();
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
        return steps.coordinate(pipeline, now, view -> StepEffects.NOTHING
                .withDecision(new Decision(approval.decisionId(), pipeline, TriggerType.DRIFT, 1, Outcome.AWAITING_APPROVAL,
                        List.of("critical drift"), now, null, 0, approval.request(), null))
                .opening(approval));
    }

    protected static List<String> ids(List<Decision> decisions) {
        return decisions.stream().map(Decision::id).toList();
    }

    protected static List<String> approvalIds(List<Approval> approvals) {
        return approvals.stream().map(Approval::id).toList();
    }

    /** Runs {@code task(i)} on {@code threads} threads released together; fails on any exception or hang. */
    public static List<Object> runConcurrently(int threads, IndexedTask task) throws Exception {
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
    public interface IndexedTask {
        Object run(int i) throws Exception;
    }

    protected static void assertCausedBy(Throwable thrown, Throwable expected) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t == expected) return;
        }
        assertSame(expected, thrown, "the step's exception (or one caused by it) is thrown");
    }

    /** An Error from a step (not a RuntimeException). */
    protected static final class StepError extends Error {
        StepError(String message) {
            super(message);
        }
    }
}
