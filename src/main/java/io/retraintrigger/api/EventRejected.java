package io.retraintrigger.api;

/**
 * The documented error of POST /api/events (4xx): the reason and the dead letter that keeps the event
 * (written by DeadLetters.record); OpenApiContractTest checks the real answers against it.
 */
public record EventRejected(String error, String deadLetterId) {
}
