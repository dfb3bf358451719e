package io.retraintrigger.model;

import jakarta.annotation.Nullable;
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
        @Nullable String id,
        @Nullable Instant receivedAt,
        @Nullable String source,
        int status,
        @Nullable String reason,
        @Nullable String payload,
        Map<String, String> headers) {

    public DeadLetter {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
