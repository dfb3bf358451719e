package io.retraintrigger.model;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Decision ids. A decision that an event or a batch causes takes an id derived from that event's dedup
 * key or that batch's id: the same signal delivered twice, or a closed batch decided again after a
 * crash, finds the decision already recorded under that id and changes nothing. The id is also the
 * launch's idempotency key (SageMaker ClientRequestToken, Vertex AI job id, Azure ML job name), so it
 * keeps the shape {@code dec-<uuid>} that all three accept.
 */
public final class DecisionIds {
    private DecisionIds() {
    }

    public static String random() {
        return "dec-" + UUID.randomUUID();
    }

    /** The decision caused by the event whose dedup key is {@code eventKey}. */
    public static String forEvent(String eventKey) {
        return derived("event:" + eventKey);
    }

    /** The decision of the closed batch {@code batchId}. */
    public static String forBatch(String batchId) {
        return derived("batch:" + batchId);
    }

    /** The finding of a missing signal, named by what it is about (pipeline, signal, since when). */
    public static String forFinding(String name) {
        return derived("finding:" + name);
    }

    private static String derived(String name) {
        return "dec-" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
