package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.ApprovalType;
import io.retraintrigger.model.BatchItem;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.OpenBatch;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.store.AppendResult;
import io.retraintrigger.store.Arrival;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.BatchStoreContract;
import io.retraintrigger.store.Deferred;
import io.retraintrigger.store.AuditMarks;
import io.retraintrigger.store.AuditMarksContract;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.DeadLetterStoreContract;
import io.retraintrigger.store.SignalTimes;
import io.retraintrigger.store.SignalTimesContract;
import io.retraintrigger.store.EventArchive;
import io.retraintrigger.store.EventArchiveContract;
import io.retraintrigger.store.StateAdapters;
import io.retraintrigger.store.StateContracts;
import io.retraintrigger.store.StepEffects.DeferredChange;
import io.retraintrigger.store.StepEffects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every store contract on DynamoDB (dynalite, one per class, tables under a random prefix), nested, and what is DynamoDB's own. */
class DynamoDbStateStoreTest extends StateContracts {
    private static Dynalite dynalite;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
    }

    @AfterAll
    static void stopDynalite() {
        if (dynalite != null) dynalite.close();
        dynalite = null;
    }

    private static DynamoDbPipelineSteps newSteps() {
        return new DynamoDbPipelineSteps(dynalite.client, dynalite.tables, true, 64);
    }

    private static StateAdapters adapters() {
        return new StateAdapters(newSteps(), new DynamoDbDecisionLog(dynalite.client, dynalite.tables, true),
                new DynamoDbLaunchLeases(dynalite.client, dynalite.tables), new DynamoDbApprovalLog(dynalite.client, dynalite.tables, true));
    }

    @Override
    protected StateAdapters newAdapters() {
        return adapters();
    }

    /** The audit marks contract on the same store. */
    @Nested
    class Audit extends AuditMarksContract {
        @Override
        protected AuditMarks newStore() {
            return new DynamoDbAuditMarks(dynalite.client, dynalite.tables);
        }
    }

    /** The signal times contract on the same dynalite. */
    @Nested
    class Signals extends SignalTimesContract {
        @Override
        protected SignalTimes newStore() {
            return new DynamoDbSignalTimes(dynalite.client, dynalite.tables);
        }
    }

    /** The dead letter store contract on the same dynalite. */
    @Nested
    class DeadLetters extends DeadLetterStoreContract {
        @Override
        protected DeadLetterStore newStore() {
            return new DynamoDbDeadLetterStore(dynalite.client, dynalite.tables, true);
        }
    }

    /** The event archive contract on the same dynalite. */
    @Nested
    class Events extends EventArchiveContract {
        @Override
        protected EventArchive newArchive() {
            return new DynamoDbEventArchive(dynalite.client, dynalite.tables, true);
        }
    }

    private Map<String, AttributeValue> rawItem(String table, String keyName, String key) {
        return dynalite.client.getItem(b -> b.tableName(table).key(Map.of(keyName, AttributeValue.fromS(key))).consistentRead(true)).item();
    }

    @Test
    void tableCreationIsIdempotent() {
        assertDoesNotThrow(() -> DynamoDbTables.create(dynalite.client, dynalite.tables));
    }

    /** A replica that dies between a step's commit and the copy-out of its records loses nothing: the next reader rolls it forward. */
    @Test
    void aStepCommittedButNotCopiedOutIsRolledForward() {
        String p = uniq("crash");
        String decisionId = newId();
        String approvalId = newId();
        Approval approval = Approval.open(approvalId, p, ApprovalType.MODEL_APPROVAL, T, decisionId, "model", null);
        DynamoDbPipelineSteps dying = newSteps();
        dying.copyOutAfterCommit = false;
        dying.coordinate(p, T, view -> launchEffects(view, decisionId, T).opening(approval));

        // Committed: the counters and the pending approval are there; the records are still in the outbox.
        assertEquals(1, steps.pipelineState(p).orElseThrow().trainingsToday());
        assertEquals(List.of(approvalId), steps.pipelineState(p).orElseThrow().pendingApprovals());
        assertEquals(Optional.empty(), decisionLog.decision(decisionId));
        assertTrue(rawItem(dynalite.tables.pipelines(), "pipeline", p).containsKey("outbox"));

        // The resend sweep (pendingLaunches) rolls every pipeline forward.
        assertTrue(decisionLog.pendingLaunches(T.plusSeconds(1), 10_000).stream().anyMatch(d -> d.id().equals(decisionId)));
        assertEquals(Outcome.LAUNCHED, decisionLog.decision(decisionId).orElseThrow().outcome());
        assertEquals(Optional.of(approval), approvalLog.approval(approvalId));
        assertFalse(rawItem(dynalite.tables.pipelines(), "pipeline", p).containsKey("outbox"), "outbox cleared");
    }

    /** A refusal committed with its release, the replica dying before the decision item follows: the sweep ends the launch, and does not resend it. */
    @Test
    void anEndedLaunchCommittedButNotCopiedOutIsRolledForward() {
        String p = uniq("crash-end");
        String decisionId = newId();
        steps.coordinate(p, T, view -> launchEffects(view, decisionId, T));
        Decision pending = decisionLog.decision(decisionId).orElseThrow();
        Decision failed = pending.failed(pending.launch().failed("launch_failed: refused", T.plusSeconds(5)), "launch_failed: refused");
        DynamoDbPipelineSteps dying = newSteps();
        dying.copyOutAfterCommit = false;
        StepEffects e = dying.coordinate(p, T.plusSeconds(5), view -> StepEffects.NOTHING
                .withState(new PipelineState(p, view.state().day(), 0, 0, null, view.state().sequence(), List.of())).endingLaunch(failed));
        assertTrue(e.endedLaunch().isPresent());
        assertEquals(0, steps.pipelineState(p).orElseThrow().trainingsToday(), "released with the commit");
        assertEquals(LaunchStatus.PENDING, decisionLog.decision(decisionId).orElseThrow().launch().status(), "not copied out yet");

        assertTrue(decisionLog.pendingLaunches(T.plusSeconds(600), 10_000).stream().noneMatch(d -> d.id().equals(decisionId)), "rolled forward, not resent");
        assertEquals(Outcome.FAILED, decisionLog.decision(decisionId).orElseThrow().outcome());
        assertEquals(0, steps.pipelineState(p).orElseThrow().trainingsToday(), "released once");
    }

    @Test
    void theNextStepRollsForwardTheLastOneBeforeItReads() {
        String p = uniq("crash-step");
        String decisionId = newId();
        Approval approval = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T, decisionId, "review", driftRequest(p, T));
        DynamoDbPipelineSteps dying = newSteps();
        dying.copyOutAfterCommit = false;
        dying.coordinate(p, T, view -> StepEffects.NOTHING
                .withDecision(new Decision(decisionId, p, TriggerType.DRIFT, 1, Outcome.AWAITING_APPROVAL, List.of("critical"), T, null, 0,
                        approval.request(), null))
                .opening(approval));

        Instant t = T.plusSeconds(30);
        steps.coordinate(p, t, view -> {
            assertEquals(List.of(approval), view.pendingApprovals());
            return StepEffects.NOTHING.resolving(view.pendingApproval(approval.id()).orElseThrow()
                    .resolved(ApprovalStatus.APPROVED, t, "alice", null));
        });
        assertEquals(ApprovalStatus.APPROVED, approvalLog.approval(approval.id()).orElseThrow().status());
        assertEquals(Outcome.AWAITING_APPROVAL, decisionLog.decision(decisionId).orElseThrow().outcome());
        assertEquals(List.of(), approvalLog.approvals(p, ApprovalStatus.PENDING, 10));
    }

    @Test
    void largeRequestsAreStoredCompressed() {
        String p = uniq("large");
        List<String> uris = IntStream.range(0, 20_000).mapToObj(i -> "s3://mlops-data-prod/labels/2025/03/10/part-" + i + ".parquet").toList();
        TrainingRequest big = new TrainingRequest(p, TriggerType.DATA_ARRIVAL, 3, "batch", T,
                RequestMetadata.batch(uris, uris.size(), 1_000_000_000L, "batch_size_reached"));
        String decisionId = newId();
        Deferred deferred = new Deferred(big, T.plus(Duration.ofHours(6)), decisionId);
        Decision d = new Decision(decisionId, p, TriggerType.DATA_ARRIVAL, 3, Outcome.DEFERRED, List.of("cooldown"), T,
                deferred.dueAt(), COST, big, null);
        steps.coordinate(p, T, view -> StepEffects.NOTHING.withDecision(d).withDeferred(DeferredChange.put(deferred)));
        assertEquals(Optional.of(d), decisionLog.decision(decisionId));
        assertEquals(Optional.of(deferred), steps.deferred(p));
        assertNotNull(rawItem(dynalite.tables.decisions(), "id", decisionId).get("body").b(), "kept compressed");
    }

    @Test
    void deadLetterPayloadsAreCutToFitAnItem() {
        String payload = "é".repeat(300_000); // 600 KB of UTF-8
        DeadLetter letter = new DeadLetter(newId(), Instant.now().plus(Duration.ofDays(7300)), "api", 413, "too large", payload,
                Map.of("content-type", "text/plain"));
        // tables of its own: this letter is not the newest the contract's dead letter tests expect to see
        DynamoDbTables.Names own = DynamoDbTables.Names.withPrefix("cut" + UUID.randomUUID().toString().substring(0, 8) + "-");
        DynamoDbTables.create(dynalite.client, own);
        DeadLetterStore deadLetters = new DynamoDbDeadLetterStore(dynalite.client, own, true);
        deadLetters.addDeadLetter(letter);
        DeadLetter stored = deadLetters.deadLetters(1).get(0);
        assertEquals(letter.id(), stored.id());
        assertTrue(stored.payload().length() < payload.length(), "cut");
        assertTrue(stored.payload().length() > 150_000, "but most of it kept: " + stored.payload().length());
        assertTrue(payload.startsWith(stored.payload()));
        assertEquals(letter.headers(), stored.headers());
    }

    @Test
    void longExecutionIdsAreLookedUpByTheirHash() {
        String p = uniq("exec-long");
        String id = newId();
        String execId = "exec-" + id + "-" + "x".repeat(5000);
        steps.coordinate(p, T, view -> launchEffects(view, id, T));
        Decision d = decisionLog.decision(id).orElseThrow();
        decisionLog.updateLaunch(id, Outcome.LAUNCHED, d.reasons(), d.launch().submitted(execId, T.plusSeconds(1)));
        assertEquals("Executing", decisionLog.recordExecutionStatus(execId, "Executing", T.plusSeconds(2)).orElseThrow()
                .launch().executionStatus());
        assertEquals(Optional.empty(), decisionLog.recordExecutionStatus(execId + "y", "Failed", T.plusSeconds(3)));
        assertTrue(rawItem(dynalite.tables.decisions(), "id", Items.boundedKey(DecisionItems.EXECUTION_PREFIX + execId))
                .get("id").s().startsWith("#sha256:"));
    }

    @Test
    void anExecutionLookupWhoseDecisionMovedOnFindsNothing() {
        String p = uniq("exec-moved");
        String id = newId();
        steps.coordinate(p, T, view -> launchEffects(view, id, T));
        Decision d = decisionLog.decision(id).orElseThrow();
        decisionLog.updateLaunch(id, Outcome.LAUNCHED, d.reasons(), d.launch().submitted("exec-a-" + id, T.plusSeconds(1)));
        decisionLog.updateLaunch(id, Outcome.LAUNCHED, d.reasons(), d.launch().submitted("exec-b-" + id, T.plusSeconds(2)));
        assertEquals(Optional.empty(), decisionLog.recordExecutionStatus("exec-a-" + id, "Failed", T.plusSeconds(3)));
        assertEquals("Executing", decisionLog.recordExecutionStatus("exec-b-" + id, "Executing", T.plusSeconds(3)).orElseThrow()
                .launch().executionStatus());
    }

    @Test
    void pendingApprovalsOfAPipelineComeFromItsState() {
        String p = uniq("pending-state");
        Approval a1 = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, T, newId(), "one", null);
        Approval a2 = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, T.plusSeconds(1), newId(), "two", null);
        openApproval(p, a1, T);
        openApproval(p, a2, T.plusSeconds(1));
        assertEquals(List.of(a2, a1), approvalLog.approvals(p, ApprovalStatus.PENDING, 10));
        assertEquals(List.of(a2), approvalLog.approvals(p, ApprovalStatus.PENDING, 1));
        assertEquals(List.of(), approvalLog.approvals(uniq("none"), ApprovalStatus.PENDING, 10));
    }

    /** The resend sweep's roll-forward finds every pipeline whose last step was not copied out, and copies it. */
    @Test
    void rollForwardAllCopiesOutEveryLeftOutbox() {
        String p = uniq("crash-all");
        String decisionId = newId();
        DynamoDbPipelineSteps dying = newSteps();
        dying.copyOutAfterCommit = false;
        dying.coordinate(p, T, view -> launchEffects(view, decisionId, T));
        assertTrue(rawItem(dynalite.tables.pipelines(), "pipeline", p).containsKey("outbox"));

        PipelineItems items = new PipelineItems(dynalite.client, dynalite.tables, new TableReads(dynalite.client, true));
        assertTrue(items.rollForwardAll() >= 1);
        assertFalse(rawItem(dynalite.tables.pipelines(), "pipeline", p).containsKey("outbox"), "copied out and cleared");
        assertEquals(Outcome.LAUNCHED, decisionLog.decision(decisionId).orElseThrow().outcome());
        assertEquals(0, items.rollForwardAll(), "nothing left to roll forward");
    }

    /** The batch store contract on the same dynalite, and what is DynamoDB's own: processes that die between its writes. */
    @Nested
    class Batches extends BatchStoreContract {
        @Override
        protected BatchStore newStore(Duration lease) {
            return new DynamoDbBatchStore(dynalite.client, dynalite.tables, lease);
        }

        private DynamoDbBatchStore dying(DynamoDbBatchStore.Step after) {
            DynamoDbBatchStore s = (DynamoDbBatchStore) newStore(LEASE);
            s.crashAfter = after;
            return s;
        }

        private DynamoDbBatchStore impatient() {
            DynamoDbBatchStore s = (DynamoDbBatchStore) newStore(LEASE);
            s.slotGrace = Duration.ofMillis(50);
            return s;
        }

        private List<String> keysOf(ClosedBatch b) {
            return allItems(b.id()).stream().map(BatchItem::eventKey).toList();
        }

        private List<String> arrive(String p, int n, int size, Instant at) {
            List<String> keys = IntStream.range(0, n).mapToObj(i -> uniq(p + "-k")).toList();
            store.append(keys.stream().map(k -> arrival(p, k, size)).toList(), at);
            return keys;
        }

        private Optional<ClosedBatch> claimed(Instant at, String pipeline, int attempts) {
            return store.claimUndecided(at, LEASE, 10_000).stream().filter(c -> c.batch().pipeline().equals(pipeline))
                    .peek(c -> assertEquals(attempts, c.attempts(), "attempts")).map(BatchStore.Claimed::batch).findFirst();
        }

        @Test
        void aCloserThatDiesAfterItsCutIsTakenOverAfterItsLease() {
            String p = uniq("die-cut");
            List<String> first = arrive(p, 5, 100, T);
            long seq = store.open(p).orElseThrow().seq();
            Instant closing = T.plus(WINDOW);
            assertThrows(DynamoDbBatchStore.SimulatedCrash.class, () -> dying(DynamoDbBatchStore.Step.CUT).close(p, seq, ClosedBatch.WINDOW, closing));

            // the cut was made: later arrivals open the next batch, and nobody else closes this one
            assertEquals(Optional.empty(), store.open(p));
            assertEquals(Optional.empty(), store.close(p, seq, ClosedBatch.WINDOW, closing));
            List<String> next = arrive(p, 2, 100, closing);
            assertEquals(seq + 1, store.open(p).orElseThrow().seq());
            assertEquals(2, store.open(p).orElseThrow().count());
            assertEquals(Optional.empty(), claimed(closing.plus(LEASE).minusSeconds(1), p, 0), "the closer's lease holds");

            ClosedBatch b = claimed(closing.plus(LEASE), p, 2).orElseThrow();
            assertEquals(seq, b.seq());
            assertEquals(first, keysOf(b));
            assertEquals(5, b.count());
            assertEquals(50, b.totalBytes());
            assertEquals(T, b.openedAt());
            assertEquals(closing, b.closedAt());
            assertEquals(ClosedBatch.WINDOW, b.reason());
            assertEquals(first.stream().map(k -> "s3://bucket/" + k).toList(), b.preview());
            assertEquals(Optional.of(b), store.closed(b.id()));

            ClosedBatch second = store.close(p, seq + 1, ClosedBatch.WINDOW, closing).orElseThrow();
            assertEquals(next, keysOf(second));
        }

        @Test
        void aCloserThatDiesBeforeItsCutLeavesNoBatchStuck() {
            String p = uniq("die-intent");
            List<String> keys = new ArrayList<>(arrive(p, 3, 5, T));
            long seq = store.open(p).orElseThrow().seq();
            assertThrows(DynamoDbBatchStore.SimulatedCrash.class, () -> dying(DynamoDbBatchStore.Step.INTENT).close(p, seq, ClosedBatch.WINDOW, T));

            // not cut yet: arrivals still join it up to its size, and the one that fills it makes the cut
            assertEquals(3, store.open(p).orElseThrow().count());
            assertEquals(List.of(), store.append(List.of(arrival(p, keys.get(0) + "-4", 5)), T).closed());
            keys.add(keys.get(0) + "-4");
            assertEquals(4, store.open(p).orElseThrow().count());
            AppendResult r = store.append(List.of(arrival(p, keys.get(0) + "-5", 5), arrival(p, uniq("late"), 5)), T);
            keys.add(keys.get(0) + "-5");
            assertEquals(List.of(), r.closed(), "the batch is the dead closer's");
            OpenBatch open = store.open(p).orElseThrow();
            assertEquals(seq + 1, open.seq());
            assertEquals(1, open.count());

            ClosedBatch b = claimed(T.plus(LEASE), p, 2).orElseThrow();
            assertEquals(keys, keysOf(b));
            assertEquals(ClosedBatch.WINDOW, b.reason());
            store.markDecided(b.id());
            assertEquals(Optional.empty(), claimed(T.plus(LEASE.multipliedBy(3)), p, 0));
        }

        @Test
        void anAppenderThatDiesHoldingATicketLeavesAVoidSlotAndItsRetryRecordsItOnce() {
            String p = uniq("die-ticket");
            DynamoDbBatchStore closer = impatient();
            String k0 = uniq("k");
            String k1 = uniq("k");
            store.append(List.of(arrival(p, k0, 100)), T);
            assertThrows(DynamoDbBatchStore.SimulatedCrash.class,
                    () -> dying(DynamoDbBatchStore.Step.TICKET).append(List.of(arrival(p, k1, 100)), T));
            assertEquals(2, store.open(p).orElseThrow().count(), "a dead appender's ticket counts until the close");

            ClosedBatch b = closer.close(p, store.open(p).orElseThrow().seq(), ClosedBatch.WINDOW, T.plus(WINDOW)).orElseThrow();
            assertEquals(List.of(k0), keysOf(b));
            assertEquals(1, b.count());
            assertEquals(10, b.totalBytes());

            // the redelivery finds no record of k1: it is new, in the next batch
            assertEquals(Set.of(), store.append(List.of(arrival(p, k1, 100)), T.plus(WINDOW)).duplicates());
            ClosedBatch next = closer.close(p, store.open(p).orElseThrow().seq(), ClosedBatch.WINDOW, T.plus(WINDOW)).orElseThrow();
            assertEquals(List.of(k1), keysOf(next));
        }

        @Test
        void anAppenderThatDiesBeforeItsSlotIsCompletedByItsRetryInTheNextBatch() {
            String p = uniq("die-event");
            DynamoDbBatchStore closer = impatient();
            String k0 = uniq("k");
            String k1 = uniq("k");
            store.append(List.of(arrival(p, k0, 100)), T);
            assertThrows(DynamoDbBatchStore.SimulatedCrash.class,
                    () -> dying(DynamoDbBatchStore.Step.EVENT).append(List.of(arrival(p, k1, 100)), T));

            // k1 is recorded and points at slot 2, which nobody writes: the closer voids it after its grace
            ClosedBatch b = closer.close(p, store.open(p).orElseThrow().seq(), ClosedBatch.WINDOW, T.plus(WINDOW)).orElseThrow();
            assertEquals(List.of(k0), keysOf(b));
            assertEquals(Optional.empty(), store.open(p));

            // the redelivery is a duplicate of the record, which it moves into the open batch
            assertEquals(Set.of(k1), store.append(List.of(arrival(p, k1, 100)), T.plus(WINDOW)).duplicates());
            assertEquals(1, store.open(p).orElseThrow().count());
            ClosedBatch next = closer.close(p, store.open(p).orElseThrow().seq(), ClosedBatch.WINDOW, T.plus(WINDOW)).orElseThrow();
            assertEquals(List.of(k1), keysOf(next));
            assertEquals(Set.of(k1), store.append(List.of(arrival(p, k1, 100)), T.plus(WINDOW)).duplicates());
            assertEquals(Optional.empty(), store.open(p));
        }

        @Test
        void aRetryBeforeTheCloseWritesTheSlotTheDeadAppenderDidNot() {
            String p = uniq("die-retry");
            String k0 = uniq("k");
            String k1 = uniq("k");
            assertThrows(DynamoDbBatchStore.SimulatedCrash.class,
                    () -> dying(DynamoDbBatchStore.Step.EVENT).append(List.of(arrival(p, k0, 3), arrival(p, k1, 3)), T));
            // the retry of the delivery: k0 was recorded (reported a duplicate, its slot written now), k1 is new
            AppendResult r = store.append(List.of(arrival(p, k0, 3), arrival(p, k1, 3)), T);
            assertEquals(Set.of(k0), r.duplicates());
            assertEquals(2, store.open(p).orElseThrow().count());
            ClosedBatch b = store.close(p, store.open(p).orElseThrow().seq(), ClosedBatch.WINDOW, T.plus(WINDOW)).orElseThrow();
            assertEquals(List.of(k0, k1), keysOf(b));
        }

        @Test
        void longKeysAreDedupedByTheirHash() {
            String p = uniq("long");
            String k = uniq("k") + "x".repeat(5000);
            store.append(List.of(arrival(p, k, 100)), T);
            assertEquals(Set.of(k), store.append(List.of(arrival(p, k, 100)), T).duplicates());
            assertEquals(Set.of(), store.append(List.of(arrival(p, k + "y", 100)), T).duplicates());
            ClosedBatch b = store.close(p, store.open(p).orElseThrow().seq(), ClosedBatch.WINDOW, T).orElseThrow();
            assertEquals(List.of(k, k + "y"), keysOf(b));
        }
    }

    /**
     * The contract again, with closers that do not wait at all for a slot handed out but not written yet:
     * in the race they void the slots of appenders in flight, which then move their events to the next batch.
     * Its own tables: the contract's purge counts every decided batch of its table.
     */
    @Nested
    class BatchesWithImpatientClosers extends BatchStoreContract {
        private static DynamoDbTables.Names tables;
        private static Dynalite tablesOn;

        @Override
        protected BatchStore newStore(Duration lease) {
            synchronized (BatchesWithImpatientClosers.class) {
                if (tablesOn != dynalite) {
                    tablesOn = dynalite;
                    tables = DynamoDbTables.Names.withPrefix(dynalite.tables.batches().replace("batches", "impatient-"));
                    DynamoDbTables.create(dynalite.client, tables);
                }
            }
            DynamoDbBatchStore s = new DynamoDbBatchStore(dynalite.client, tables, lease);
            s.slotGrace = Duration.ZERO;
            return s;
        }

        /**
         * Writers and closers that die at random steps: a delivery whose append died is delivered again (to a
         * store that does not die), a batch whose closer died is finished by the claim after its lease. In
         * the end every key is in exactly one batch, and what the survivors returned agrees with the store.
         */
        @Test
        void writersAndClosersDyingAnywhereLoseAndDoubleNothing() throws Exception {
            String p = uniq("crashes");
            int writers = 6;
            int perWriter = 60;
            int size = 13;
            DynamoDbBatchStore.Step[] steps = DynamoDbBatchStore.Step.values();
            ConcurrentLinkedQueue<ClosedBatch> returned = new ConcurrentLinkedQueue<>();
            AtomicInteger crashes = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    futures.add(pool.submit(() -> {
                        Random random = new Random(writer);
                        BatchStore healthy = newStore(LEASE);
                        for (int i = 0; i < perWriter; i += 3) {
                            List<Arrival> delivery = new ArrayList<>();
                            for (int j = i; j < Math.min(perWriter, i + 3); j++) delivery.add(arrival(p, p + "-" + writer + "-" + j, size));
                            delivery.add(arrival(p, p + "-" + ((writer + 1) % writers) + "-" + i, size));
                            DynamoDbBatchStore s = (DynamoDbBatchStore) newStore(LEASE);
                            if (random.nextInt(4) == 0) s.crashAfter = steps[random.nextInt(steps.length)];
                            try {
                                returned.addAll(s.append(delivery, T).closed());
                            } catch (DynamoDbBatchStore.SimulatedCrash died) {
                                crashes.incrementAndGet();
                                returned.addAll(healthy.append(delivery, T).closed()); // the redelivery
                            }
                        }
                        return null;
                    }));
                }
                futures.add(pool.submit(() -> {
                    Random random = new Random(99);
                    while (!done.get()) {
                        DynamoDbBatchStore s = (DynamoDbBatchStore) newStore(LEASE);
                        if (random.nextInt(4) == 0) s.crashAfter = random.nextBoolean() ? DynamoDbBatchStore.Step.INTENT : DynamoDbBatchStore.Step.CUT;
                        try {
                            s.open(p).flatMap(b -> s.close(p, b.seq(), ClosedBatch.WINDOW, T)).ifPresent(returned::add);
                        } catch (DynamoDbBatchStore.SimulatedCrash died) {
                            crashes.incrementAndGet();
                        }
                    }
                    return null;
                }));
                for (int w = 0; w < writers; w++) futures.get(w).get(5, TimeUnit.MINUTES);
                done.set(true);
                futures.get(writers).get(1, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            store.open(p).flatMap(b -> store.close(p, b.seq(), ClosedBatch.WINDOW, T)).ifPresent(returned::add);
            // every batch is undecided (nobody decides here): after the leases one claim returns them all, finishing the dead closers' ones
            Map<String, ClosedBatch> all = new TreeMap<>();
            for (BatchStore.Claimed c : store.claimUndecided(T.plus(LEASE), LEASE, 100_000)) {
                if (c.batch().pipeline().equals(p)) assertEquals(null, all.put(c.batch().id(), c.batch()), "claimed twice");
            }
            assertTrue(crashes.get() > 0, "nobody died");
            Set<String> returnedIds = new HashSet<>();
            for (ClosedBatch b : returned) {
                assertTrue(returnedIds.add(b.id()), "batch " + b.id() + " returned twice");
                assertEquals(b, all.get(b.id()), "what the closer returned is what the store has");
            }
            assertEachKeyInOneBatch(all.values(), p, writers, perWriter, size);
        }
    }
}
