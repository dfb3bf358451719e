package io.retraintrigger.model;

import java.time.Instant;
import java.util.Map;

/**
 * A message that could not be taken in, kept with the reason so that nothing is lost silently.
 *
 * @param source  where it came from (api, aws-sqs, gcp-pubsub, ...)
 * @param status  the HTTP-like status that classifies the problem (400, 404, 413, 422, 500)
 * @param payload the message as received (cut to the store's limit)
 */
public record DeadLetter(
        String id,
        Instant receivedAt,
        String source,
        int status,
        String reason,
        String payload,
        Map<String, String> headers) {

    public DeadLetter {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
