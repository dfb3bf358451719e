package io.retraintrigger.ingest.gcp;

import java.time.Instant;
import java.util.Map;

/**
 * One Pub/Sub message as a subscriber receives it: the data (decoded to text; empty when the message
 * has none), the attributes, the messageId Pub/Sub assigned when it was published (it stays the same
 * on every redelivery of that message), the publishTime, and the subscription it was pulled from (null
 * when not known).
 */
public record PubSubMessage(String data, Map<String, String> attributes, String messageId, Instant publishTime, String subscription) {

    public PubSubMessage(String data, Map<String, String> attributes, String messageId, Instant publishTime) {
        this(data, attributes, messageId, publishTime, null);
    }

    public PubSubMessage {
        data = data == null ? "" : data;
        Map<String, String> a = new java.util.LinkedHashMap<>();
        if (attributes != null) attributes.forEach((k, v) -> {
            if (k != null && v != null) a.put(k, v);
        });
        attributes = java.util.Collections.unmodifiableMap(a);
    }

    boolean hasData() {
        return !data.isBlank();
    }

    String attribute(String name) {
        return GcpJson.attribute(attributes, name);
    }
}
