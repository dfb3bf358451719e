package io.retraintrigger.store;

import io.retraintrigger.model.ClosedBatch;

import java.util.List;
import java.util.Set;

/**
 * What one {@link BatchStore#append} recorded.
 *
 * @param duplicates keys of the arrivals that were recorded before (they changed nothing)
 * @param closed     batches that reached their size in this step (closed by it, to be decided by the caller)
 */
public record AppendResult(Set<String> duplicates, List<ClosedBatch> closed) {
    public AppendResult {
        duplicates = Set.copyOf(duplicates);
        closed = List.copyOf(closed);
    }
}
