package io.retraintrigger.model;

import java.time.Instant;
import java.util.List;

/**
 * A batch that closed: once, by one claim in the store. {@code preview} holds its first object URIs
 * (at most {@link #PREVIEW}); the whole list is paged from the store by {@link #id()}.
 *
 * @param reason {@link #SIZE} or {@link #WINDOW}
 */
public record ClosedBatch(String pipeline, long seq, int count, long totalBytes, Instant openedAt, Instant closedAt,
                          String reason, List<String> preview) {
    public static final String SIZE = "batch_size_reached";
    public static final String WINDOW = "window_expired";
    /** URIs of a batch carried inline by its decision; the rest is paged at GET /api/decisions/{id}/data. */
    public static final int PREVIEW = 100;

    public ClosedBatch {
        preview = preview == null ? List.of() : List.copyOf(preview);
    }

    public String id() {
        return BatchId.of(pipeline, seq);
    }
}
