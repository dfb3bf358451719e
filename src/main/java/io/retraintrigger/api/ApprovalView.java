package io.retraintrigger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.ApprovalType;
import io.retraintrigger.model.Evaluation;
import io.retraintrigger.model.TrainingRequest;
import jakarta.annotation.Nullable;

import java.time.Instant;

/**
 * GET /api/approvals: an approval; a MODEL_APPROVAL of an evaluated model carries its evaluation (checks and
 * figures) for the reviewer, the others have no evaluation field.
 */
public record ApprovalView(String id, String pipeline, ApprovalType type, ApprovalStatus status, @Nullable Instant createdAt,
                           @Nullable String decisionId, @Nullable String summary, @Nullable TrainingRequest request,
                           @Nullable Instant resolvedAt, @Nullable String resolvedBy, @Nullable String comment,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Evaluation evaluation) {

    static ApprovalView of(Approval a, Evaluation e) {
        return new ApprovalView(a.id(), a.pipeline(), a.type(), a.status(), a.createdAt(), a.decisionId(), a.summary(), a.request(),
                a.resolvedAt(), a.resolvedBy(), a.comment(), e);
    }
}
