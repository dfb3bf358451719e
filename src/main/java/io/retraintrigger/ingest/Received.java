package io.retraintrigger.ingest;

import java.util.Map;

/**
 * One message of a receive (several messages a consumer took from its queue at once).
 *
 * @param handle  what the source acknowledges it with (an SQS message and its receipt handle)
 * @param body    its payload
 * @param headers what a dead letter of it keeps besides the payload (its message id, ...)
 */
public record Received(Object handle, byte[] body, Map<String, Object> headers) {
    public Received {
        headers = Map.copyOf(headers);
    }
}
