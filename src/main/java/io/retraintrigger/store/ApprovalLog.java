package io.retraintrigger.store;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;

import java.util.List;
import java.util.Optional;

/**
 * The approvals the coordinator opened and their outcome.
 */
public interface ApprovalLog {

    Optional<Approval> approval(String id);

    /** Newest first; null status matches every status. */
    List<Approval> approvals(String pipeline, ApprovalStatus status, int limit);
}
