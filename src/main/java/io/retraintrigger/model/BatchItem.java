package io.retraintrigger.model;

import java.time.Instant;

/** One data arrival in a batch: the object, its size, and its position (1-based) in the batch. */
public record BatchItem(long slot, String eventKey, String uri, long sizeBytes, Instant receivedAt) {
}
