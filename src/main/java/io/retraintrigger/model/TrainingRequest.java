package io.retraintrigger.model;

import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.Objects;

/**
 * A request to train one pipeline. Priority 1 is the highest, 5 the lowest.
 */
public record TrainingRequest(
        String pipeline,
        TriggerType triggerType,
        int priority,
        String reason,
        @Nullable Instant requestedAt,
        RequestMetadata metadata) {

    public TrainingRequest {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(triggerType, "triggerType");
        if (priority < 1 || priority > 5) {
            throw new IllegalArgumentException("priority must be between 1 and 5, was " + priority);
        }
        metadata = metadata == null ? RequestMetadata.EMPTY : metadata;
        reason = reason == null ? triggerType.name().toLowerCase() : reason;
    }

    /**
     * Debounce: two requests for one pipeline become one, with the higher priority (lower number),
     * the trigger type and reason of that one, the earlier request time and the union of metadata.
     */
    public TrainingRequest mergedWith(TrainingRequest other) {
        if (!pipeline.equals(other.pipeline)) {
            throw new IllegalArgumentException("cannot merge requests of different pipelines");
        }
        TrainingRequest lead = other.priority < priority ? other : this;
        Instant earliest = requestedAt == null ? other.requestedAt
                : other.requestedAt == null || requestedAt.isBefore(other.requestedAt) ? requestedAt : other.requestedAt;
        String mergedReason = reason.equals(other.reason) ? reason : lead.reason + "; merged: " + (lead == this ? other.reason : reason);
        return new TrainingRequest(pipeline, lead.triggerType, Math.min(priority, other.priority), mergedReason,
                earliest, metadata.union(other.metadata));
    }

    public TrainingRequest withMetadata(RequestMetadata m) {
        return new TrainingRequest(pipeline, triggerType, priority, reason, requestedAt, m);
    }
}
