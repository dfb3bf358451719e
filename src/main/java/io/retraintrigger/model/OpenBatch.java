package io.retraintrigger.model;

import java.time.Instant;

/**
 * The open batch of a pipeline: number {@code seq}, opened by its first event at {@code openedAt}; it
 * closes at {@code closesAt} (the window) unless it reaches its size first.
 */
public record OpenBatch(String pipeline, long seq, int count, long totalBytes, Instant openedAt, Instant closesAt) {
    public String id() {
        return BatchId.of(pipeline, seq);
    }
}
