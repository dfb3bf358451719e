package io.retraintrigger.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingRequestMergeTest {
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant T1 = Instant.parse("2026-03-10T12:05:00Z");
    private static final Instant T2 = Instant.parse("2026-03-10T12:10:00Z");

    private static TrainingRequest batch(int priority, Instant at, List<String> uris, int count, long bytes) {
        return new TrainingRequest("churn", TriggerType.DATA_ARRIVAL, priority, "batch_size_reached", at,
                RequestMetadata.batch(uris, count, bytes, "batch_size_reached"));
    }

    private static TrainingRequest drift(int priority, Instant at, Severity severity, double score, List<String> features, boolean approval) {
        return new TrainingRequest("churn", TriggerType.DRIFT, priority, "drift_" + severity.name().toLowerCase(), at,
                RequestMetadata.drift(severity, score, features, approval));
    }

    @Test
    void twoBatchesUniteTheirData() {
        TrainingRequest a = batch(4, T1, List.of("s3://b/1", "s3://b/2"), 2, 1000);
        TrainingRequest b = batch(4, T0, List.of("s3://b/2", "s3://b/3"), 2, 500);
        TrainingRequest m = a.mergedWith(b);
        assertEquals("churn", m.pipeline());
        assertEquals(TriggerType.DATA_ARRIVAL, m.triggerType());
        assertEquals(4, m.priority());
        assertEquals("batch_size_reached", m.reason());
        assertEquals(T0, m.requestedAt());
        assertEquals(List.of("s3://b/1", "s3://b/2", "s3://b/3"), m.metadata().dataUris());
        assertEquals(4, m.metadata().eventCount());
        assertEquals(1500, m.metadata().totalBytes());
        assertEquals("batch_size_reached", m.metadata().completionReason());
        assertNull(m.metadata().severity());
        assertNull(m.metadata().driftScore());
        assertFalse(m.metadata().requireApproval());
    }

    @Test
    void highestPriorityWinsWithItsTriggerTypeAndReason() {
        TrainingRequest scheduled = new TrainingRequest("churn", TriggerType.SCHEDULED, 5, null, T0, null);
        TrainingRequest high = drift(2, T2, Severity.HIGH, 0.42, List.of("amount"), true);

        for (TrainingRequest m : List.of(scheduled.mergedWith(high), high.mergedWith(scheduled))) {
            assertEquals(TriggerType.DRIFT, m.triggerType());
            assertEquals(2, m.priority());
            assertEquals(T0, m.requestedAt(), "earliest requestedAt");
            assertTrue(m.reason().startsWith("drift_high"), m.reason());
            assertTrue(m.reason().contains("merged: scheduled"), m.reason());
            assertEquals(Severity.HIGH, m.metadata().severity());
            assertEquals(0.42, m.metadata().driftScore());
            assertEquals(List.of("amount"), m.metadata().driftedFeatures());
            assertTrue(m.metadata().requireApproval());
        }
    }

    @Test
    void equalPrioritiesKeepTheFirst() {
        TrainingRequest manual = new TrainingRequest("churn", TriggerType.MANUAL, 3, "by alice", T1, null);
        TrainingRequest drift = drift(3, T0, Severity.MEDIUM, 0.15, List.of("age"), false);
        TrainingRequest m = manual.mergedWith(drift);
        assertEquals(TriggerType.MANUAL, m.triggerType());
        assertEquals(3, m.priority());
        assertEquals("by alice; merged: drift_medium", m.reason());
        assertEquals(T0, m.requestedAt());
    }

    @Test
    void driftAndBatchMergeUnitesEverything() {
        TrainingRequest data = batch(4, T0, List.of("s3://b/1", "s3://b/2"), 2, 2_000_000_000L);
        TrainingRequest medium = drift(3, T1, Severity.MEDIUM, 0.2, List.of("age", "region"), false);
        TrainingRequest high = drift(2, T2, Severity.HIGH, 0.35, List.of("amount", "age"), true);
        TrainingRequest more = batch(4, T2, List.of("s3://b/2", "s3://b/3"), 3, 1_000_000_000L);

        TrainingRequest m = data.mergedWith(medium).mergedWith(high).mergedWith(more);
        assertEquals(TriggerType.DRIFT, m.triggerType());
        assertEquals(2, m.priority());
        assertEquals(T0, m.requestedAt());
        RequestMetadata md = m.metadata();
        assertEquals(List.of("s3://b/1", "s3://b/2", "s3://b/3"), md.dataUris());
        assertEquals(2 + 1 + 1 + 3, md.eventCount());
        assertEquals(3_000_000_000L, md.totalBytes());
        assertEquals(Severity.HIGH, md.severity());
        assertEquals(0.35, md.driftScore());
        assertEquals(List.of("age", "region", "amount"), md.driftedFeatures());
        assertTrue(md.requireApproval());
        assertEquals("batch_size_reached", md.completionReason());
    }

    @Test
    void worstSeverityAndMaxScoreAreKeptWhicheverComesFirst() {
        TrainingRequest critical = drift(1, T1, Severity.CRITICAL, 0.8, List.of("amount"), false);
        TrainingRequest medium = drift(3, T0, Severity.MEDIUM, 0.12, List.of("age"), false);
        for (TrainingRequest m : List.of(critical.mergedWith(medium), medium.mergedWith(critical))) {
            assertEquals(Severity.CRITICAL, m.metadata().severity());
            assertEquals(0.8, m.metadata().driftScore());
            assertEquals(1, m.priority());
            assertEquals(T0, m.requestedAt());
            assertFalse(m.metadata().requireApproval());
        }
    }

    @Test
    void requireApprovalIsOred() {
        TrainingRequest yes = drift(2, T0, Severity.HIGH, 0.3, List.of("a"), true);
        TrainingRequest no = drift(3, T0, Severity.MEDIUM, 0.1, List.of("b"), false);
        assertTrue(no.mergedWith(yes).metadata().requireApproval());
        assertTrue(yes.mergedWith(no).metadata().requireApproval());
        assertFalse(no.mergedWith(no).metadata().requireApproval());
    }

    @Test
    void differentCompletionReasonsAreBothKept() {
        TrainingRequest a = new TrainingRequest("churn", TriggerType.DATA_ARRIVAL, 4, null, T0,
                RequestMetadata.batch(List.of("s3://b/1"), 1, 1, "batch_size_reached"));
        TrainingRequest b = new TrainingRequest("churn", TriggerType.DATA_ARRIVAL, 4, null, T1,
                RequestMetadata.batch(List.of("s3://b/2"), 1, 1, "window_expired"));
        assertEquals("batch_size_reached,window_expired", a.mergedWith(b).metadata().completionReason());
    }

    @Test
    void missingRequestTimesFallBackToTheOther() {
        TrainingRequest noTime = new TrainingRequest("churn", TriggerType.SCHEDULED, 5, null, null, null);
        TrainingRequest timed = new TrainingRequest("churn", TriggerType.SCHEDULED, 5, null, T1, null);
        assertEquals(T1, noTime.mergedWith(timed).requestedAt());
        assertEquals(T1, timed.mergedWith(noTime).requestedAt());
    }

    @Test
    void reviewIdIsKept() {
        TrainingRequest reviewed = new TrainingRequest("churn", TriggerType.DRIFT, 1, null, T0,
                RequestMetadata.drift(Severity.CRITICAL, 0.7, List.of("amount"), false).withReviewId("rev-1"));
        TrainingRequest other = new TrainingRequest("churn", TriggerType.SCHEDULED, 5, null, T1, null);
        assertEquals("rev-1", other.mergedWith(reviewed).metadata().reviewId());
        assertEquals("rev-1", reviewed.mergedWith(other).metadata().reviewId());
    }

    @Test
    void mergingDifferentPipelinesThrows() {
        TrainingRequest churn = new TrainingRequest("churn", TriggerType.SCHEDULED, 5, null, T0, null);
        TrainingRequest fraud = new TrainingRequest("fraud", TriggerType.SCHEDULED, 5, null, T0, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> churn.mergedWith(fraud));
        assertTrue(e.getMessage().contains("different pipelines"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 6, -1, 100})
    void priorityOutsideOneToFiveIsRejected(int priority) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingRequest("churn", TriggerType.MANUAL, priority, null, T0, null));
        assertTrue(e.getMessage().contains("between 1 and 5"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void priorityBoundsAreAccepted(int priority) {
        assertEquals(priority, new TrainingRequest("churn", TriggerType.MANUAL, priority, null, T0, null).priority());
    }

    @Test
    void defaults() {
        TrainingRequest r = new TrainingRequest("churn", TriggerType.DATA_ARRIVAL, 4, null, T0, null);
        assertEquals("data_arrival", r.reason());
        assertEquals(RequestMetadata.EMPTY, r.metadata());
        assertThrows(NullPointerException.class, () -> new TrainingRequest(null, TriggerType.MANUAL, 1, null, T0, null));
        assertThrows(NullPointerException.class, () -> new TrainingRequest("churn", null, 1, null, T0, null));
    }

    private static List<String> uris(String prefix, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "s3://b/" + prefix + i).toList();
    }

    /** Two batches in the store: their previews unite into one preview, and both batches are named. */
    @Test
    void batchesInTheStoreKeepAPreviewAndNameEveryBatch() {
        RequestMetadata a = RequestMetadata.of(new ClosedBatch("churn", 1, 1000, 1000, T0, T1, ClosedBatch.SIZE, uris("a", 100)));
        RequestMetadata b = RequestMetadata.of(new ClosedBatch("churn", 2, 1000, 1000, T1, T2, ClosedBatch.SIZE, uris("b", 100)));
        RequestMetadata m = a.union(b);
        assertEquals(ClosedBatch.PREVIEW, m.dataUris().size());
        assertEquals(List.of("churn#1", "churn#2"), m.batchIds());
        assertEquals(2000, m.eventCount());
        assertTrue(m.dataInStore());
    }

    /** Data carried inline (a request that names no batch) is its whole list: merged with a batch, none of it is cut. */
    @Test
    void inlineDataIsKeptWholeWhenMergedWithABatch() {
        RequestMetadata inline = RequestMetadata.batch(uris("inline", 150), 150, 150, ClosedBatch.WINDOW);
        RequestMetadata stored = RequestMetadata.of(new ClosedBatch("churn", 3, 1000, 1000, T0, T1, ClosedBatch.SIZE, uris("s", 100)));
        for (RequestMetadata m : List.of(inline.union(stored), stored.union(inline))) {
            assertTrue(m.dataUris().containsAll(uris("inline", 150)), "inline data kept whole");
            assertEquals(List.of("churn#3"), m.batchIds());
        }
    }
}
