package io.retraintrigger.store;

import io.retraintrigger.model.BatchItem;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.OpenBatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The batches of data arrivals, and with them the dedup of data events. Adapters: JDBC (H2,
 * PostgreSQL) and DynamoDB; all pass {@code BatchStoreContract}.
 *
 * <p>Invariants every adapter keeps, whatever the concurrency (threads, replicas) and wherever a
 * process dies:
 * <ul>
 *   <li>an arrival is recorded together with its batch membership, atomically: after {@link #append}
 *       returns it is in exactly one batch; if it throws, a retry records it exactly once;</li>
 *   <li>a batch closes once: {@link #close} and a size completion inside {@link #append} are atomic
 *       claims, and an arrival recorded during a close is in the closing batch or in the next, never both;</li>
 *   <li>work per arrival does not grow with the batch: an arrival is appended, a batch is never rewritten.</li>
 * </ul>
 */
public interface BatchStore {

    /**
     * Records the arrivals of one delivery (a request, a message), in one atomic step where the store
     * allows. Each arrival not seen before (by key) joins the open batch of its pipeline, opening it
     * (window from now) if there is none; a batch that reaches its size closes in the same step. An
     * arrival whose key was recorded before changes nothing and is reported as a duplicate.
     */
    AppendResult append(List<Arrival> arrivals, java.time.Instant now);

    /**
     * Closes the open batch {@code seq} of {@code pipeline} if it is still open and not empty. Exactly one of
     * concurrent callers (and of the size completion) gets it; the others get empty.
     */
    Optional<ClosedBatch> close(String pipeline, long seq, String reason, Instant now);

    /** Open batches whose window has ended at {@code now}, oldest first. */
    List<OpenBatch> expired(Instant now, int limit);

    /** The open batch of a pipeline, if one is open. */
    Optional<OpenBatch> open(String pipeline);

    /**
     * Closed batches not marked decided whose lease has ended at {@code now}, claimed for {@code lease}:
     * a batch is handed to one claimant at a time. A batch is leased to its closer when it closes, so
     * this returns only those whose closer did not finish (a crash, a failed decision).
     * {@link Claimed#attempts()} counts the claims of that batch, this one included.
     */
    List<Claimed> claimUndecided(Instant now, Duration lease, int limit);

    /** A closed batch and how often it has been claimed for its decision. */
    record Claimed(ClosedBatch batch, int attempts) {
    }

    /** The batch is decided (its decision is recorded): no claim returns it again. Idempotent. */
    void markDecided(String batchId);

    /** A closed batch, decided or not. */
    Optional<ClosedBatch> closed(String batchId);

    /** Items of a closed batch in arrival order, the first at slot {@code fromSlot} or later. */
    List<BatchItem> items(String batchId, long fromSlot, int limit);

    /** Forgets decided batches closed before {@code before}, with their items (and so their dedup keys); returns how many. */
    int purgeDecided(Instant before);
}
