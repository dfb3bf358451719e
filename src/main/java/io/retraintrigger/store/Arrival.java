package io.retraintrigger.store;

import java.time.Duration;
import java.util.Objects;

/**
 * A data arrival to record: its dedup key (the source's stable id of the object), its pipeline, and the
 * limits of that pipeline's batches.
 */
public record Arrival(String key, String pipeline, String uri, long sizeBytes, int batchSize, Duration window) {
    public Arrival {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(window, "window");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
}
