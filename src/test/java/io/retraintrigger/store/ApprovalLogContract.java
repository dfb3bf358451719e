package io.retraintrigger.store;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.ApprovalType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of every {@link ApprovalLog} adapter: approvals newest first, by pipeline and status. Each adapter runs it as a nested class (H2, PostgreSQL, dynalite).
 */
public abstract class ApprovalLogContract extends StateContractFixtures {

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
        steps.coordinate(p, t, view -> StepEffects.NOTHING.resolving(a2approved));
        steps.coordinate(p, t.plusSeconds(1), view -> StepEffects.NOTHING.resolving(a4rejected));

        assertEquals(Optional.of(a2approved), approvalLog.approval(a2.id()));
        assertEquals(Optional.empty(), approvalLog.approval(newId()));
        assertEquals(List.of(a4rejected, a3, a2approved, a1), approvalLog.approvals(p, null, 10));
        assertEquals(List.of(a4rejected, a3), approvalLog.approvals(p, null, 2));
        assertEquals(List.of(a3, a1), approvalLog.approvals(p, ApprovalStatus.PENDING, 10));
        assertEquals(List.of(a2approved), approvalLog.approvals(p, ApprovalStatus.APPROVED, 10));
        assertEquals(List.of(a4rejected), approvalLog.approvals(p, ApprovalStatus.REJECTED, 10));
        assertEquals(List.of(qa), approvalLog.approvals(q, null, 10));

        List<Approval> allPending = approvalLog.approvals(null, ApprovalStatus.PENDING, 10_000);
        assertTrue(allPending.containsAll(List.of(a1, a3, qa)));
        assertFalse(allPending.contains(a2approved) || allPending.stream().anyMatch(a -> a.id().equals(a2.id())));
        assertTrue(allPending.stream().allMatch(a -> a.status() == ApprovalStatus.PENDING));
    }
}
