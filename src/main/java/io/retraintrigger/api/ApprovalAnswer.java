package io.retraintrigger.api;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.Decision;
import jakarta.annotation.Nullable;

/** POST /api/approvals/{id}/{action}: the approval as resolved and the decision it led to (null when nothing else changed). */
public record ApprovalAnswer(Approval approval, @Nullable Decision decision) {
}
