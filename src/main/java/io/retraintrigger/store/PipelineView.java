package io.retraintrigger.store;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.PipelineState;

import java.util.List;
import java.util.Optional;

/**
 * What a coordinator step sees of a pipeline, read under the pipeline's lock.
 *
 * @param state            counters already rolled to the UTC day of the step; pendingApprovals filled in
 * @param deferred         its deferred request, if any
 * @param pendingApprovals the approval items still open for it
 */
public record PipelineView(PipelineState state, Optional<Deferred> deferred, List<Approval> pendingApprovals) {
    public PipelineView {
        pendingApprovals = List.copyOf(pendingApprovals);
    }

    public Optional<Approval> pendingApproval(String id) {
        return pendingApprovals.stream().filter(a -> a.id().equals(id)).findFirst();
    }
}
