package io.retraintrigger.model;

import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.Objects;

/**
 * An item waiting for a human. While one is pending, its pipeline takes no new training.
 *
 * @param decisionId the decision that opened it
 * @param summary    what the reviewer is asked about
 * @param request    for a TRAINING_REVIEW, the training that approving it would ask for
 */
public record Approval(
        String id,
        String pipeline,
        ApprovalType type,
        ApprovalStatus status,
        @Nullable Instant createdAt,
        @Nullable String decisionId,
        @Nullable String summary,
        @Nullable TrainingRequest request,
        @Nullable Instant resolvedAt,
        @Nullable String resolvedBy,
        @Nullable String comment) {

    public Approval {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
    }

    public static Approval open(String id, String pipeline, ApprovalType type, Instant at, String decisionId, String summary, TrainingRequest request) {
        return new Approval(id, pipeline, type, ApprovalStatus.PENDING, at, decisionId, summary, request, null, null, null);
    }

    public Approval resolved(ApprovalStatus s, Instant at, String by, String note) {
        return new Approval(id, pipeline, type, s, createdAt, decisionId, summary, request, at, by, note);
    }
}
