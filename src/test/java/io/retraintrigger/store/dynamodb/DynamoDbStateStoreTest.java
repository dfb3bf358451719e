package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.ApprovalType;
import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.store.Deferred;
import io.retraintrigger.store.StateStore;
import io.retraintrigger.store.StateStoreContract;
import io.retraintrigger.store.StepEffects;
import io.retraintrigger.store.StepEffects.DeferredChange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state store contract on DynamoDB (dynalite, one per class, tables under a random prefix), and what is DynamoDB's own. */
class DynamoDbStateStoreTest extends StateStoreContract {
    private static final Duration RETENTION = Duration.ofDays(7);
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

    @Override
    protected StateStore newStore() {
        return new DynamoDbStateStore(dynalite.client, dynalite.tables, RETENTION, true, 64);
    }

    private DynamoDbStateStore dynamoStore() {
        return (DynamoDbStateStore) store;
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
        DynamoDbStateStore dying = (DynamoDbStateStore) newStore();
        dying.copyOutAfterCommit = false;
        dying.coordinate(p, T, view -> launchEffects(view, decisionId, T).opening(approval));

        // Committed: the counters and the pending approval are there; the records are still in the outbox.
        assertEquals(1, store.pipelineState(p).orElseThrow().trainingsToday());
        assertEquals(List.of(approvalId), store.pipelineState(p).orElseThrow().pendingApprovals());
        assertEquals(Optional.empty(), store.decision(decisionId));
        assertTrue(rawItem(dynalite.tables.pipelines(), "pipeline", p).containsKey("outbox"));

        // The resend sweep (pendingLaunches) rolls every pipeline forward.
        assertTrue(store.pendingLaunches(T.plusSeconds(1), 10_000).stream().anyMatch(d -> d.id().equals(decisionId)));
        assertEquals(Outcome.LAUNCHED, store.decision(decisionId).orElseThrow().outcome());
        assertEquals(Optional.of(approval), store.approval(approvalId));
        assertFalse(rawItem(dynalite.tables.pipelines(), "pipeline", p).containsKey("outbox"), "outbox cleared");
    }

    @Test
    void theNextStepRollsForwardTheLastOneBeforeItReads() {
        String p = uniq("crash-step");
        String decisionId = newId();
        Approval approval = Approval.open(newId(), p, ApprovalType.TRAINING_REVIEW, T, decisionId, "review", driftRequest(p, T));
        DynamoDbStateStore dying = (DynamoDbStateStore) newStore();
        dying.copyOutAfterCommit = false;
        dying.coordinate(p, T, view -> StepEffects.NOTHING
                .withDecision(new Decision(decisionId, p, TriggerType.DRIFT, 1, Outcome.AWAITING_APPROVAL, List.of("critical"), T, null, 0,
                        approval.request(), null))
                .opening(approval));

        Instant t = T.plusSeconds(30);
        store.coordinate(p, t, view -> {
            assertEquals(List.of(approval), view.pendingApprovals());
            return StepEffects.NOTHING.resolving(view.pendingApproval(approval.id()).orElseThrow()
                    .resolved(ApprovalStatus.APPROVED, t, "alice", null));
        });
        assertEquals(ApprovalStatus.APPROVED, store.approval(approval.id()).orElseThrow().status());
        assertEquals(Outcome.AWAITING_APPROVAL, store.decision(decisionId).orElseThrow().outcome());
        assertEquals(List.of(), store.approvals(p, ApprovalStatus.PENDING, 10));
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
        store.coordinate(p, T, view -> StepEffects.NOTHING.withDecision(d).withDeferred(DeferredChange.put(deferred)));
        assertEquals(Optional.of(d), store.decision(decisionId));
        assertEquals(Optional.of(deferred), store.deferred(p));
        assertNotNull(rawItem(dynalite.tables.decisions(), "id", decisionId).get("body").b(), "kept compressed");
    }

    @Test
    void deadLetterPayloadsAreCutToFitAnItem() {
        String payload = "é".repeat(300_000); // 600 KB of UTF-8
        DeadLetter letter = new DeadLetter(newId(), Instant.now().plus(Duration.ofDays(7300)), "api", 413, "too large", payload,
                Map.of("content-type", "text/plain"));
        store.addDeadLetter(letter);
        DeadLetter stored = store.deadLetters(1).get(0);
        assertEquals(letter.id(), stored.id());
        assertTrue(stored.payload().length() < payload.length(), "cut");
        assertTrue(stored.payload().length() > 150_000, "but most of it kept: " + stored.payload().length());
        assertTrue(payload.startsWith(stored.payload()));
        assertEquals(letter.headers(), stored.headers());
    }

    @Test
    void processedKeysExpireByTtlAndLongKeysAreHashed() {
        String key = uniq("ttl");
        Instant at = Instant.parse("2025-03-10T12:00:00.123Z");
        assertTrue(store.addProcessedKey(key, at));
        Map<String, AttributeValue> item = rawItem(dynalite.tables.processedEvents(), "id", key);
        assertEquals(Long.toString(at.getEpochSecond() + RETENTION.toSeconds()), item.get("expiresAt").n());
        assertEquals("2025-03-10", item.get("seenDay").s());

        String longKey = uniq("long") + "x".repeat(5000);
        assertTrue(store.addProcessedKey(longKey, at));
        assertFalse(store.addProcessedKey(longKey, at));
        assertTrue(store.containsProcessedKey(longKey));
        assertFalse(store.containsProcessedKey(longKey + "y"));
        assertTrue(store.removeProcessedKey(longKey));
    }

    @Test
    void anExecutionLookupWhoseDecisionMovedOnFindsNothing() {
        String p = uniq("exec-moved");
        String id = newId();
        store.coordinate(p, T, view -> launchEffects(view, id, T));
        Decision d = store.decision(id).orElseThrow();
        store.updateLaunch(id, Outcome.LAUNCHED, d.reasons(), d.launch().submitted("exec-a-" + id, T.plusSeconds(1)));
        store.updateLaunch(id, Outcome.LAUNCHED, d.reasons(), d.launch().submitted("exec-b-" + id, T.plusSeconds(2)));
        assertEquals(Optional.empty(), store.recordExecutionStatus("exec-a-" + id, "Failed", T.plusSeconds(3)));
        assertEquals("Executing", store.recordExecutionStatus("exec-b-" + id, "Executing", T.plusSeconds(3)).orElseThrow()
                .launch().executionStatus());
    }

    @Test
    void pendingApprovalsOfAPipelineComeFromItsState() {
        String p = uniq("pending-state");
        Approval a1 = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, T, newId(), "one", null);
        Approval a2 = Approval.open(newId(), p, ApprovalType.MODEL_APPROVAL, T.plusSeconds(1), newId(), "two", null);
        openApproval(p, a1, T);
        openApproval(p, a2, T.plusSeconds(1));
        assertEquals(List.of(a2, a1), store.approvals(p, ApprovalStatus.PENDING, 10));
        assertEquals(List.of(a2), store.approvals(p, ApprovalStatus.PENDING, 1));
        assertEquals(List.of(), store.approvals(uniq("none"), ApprovalStatus.PENDING, 10));
    }

    @Test
    void rollForwardOfNothingIsNothing() {
        assertTrue(dynamoStore().rollForwardAll() >= 0);
    }
}
