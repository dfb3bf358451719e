package io.retraintrigger.ingest.gcp;

import com.google.protobuf.Timestamp;
import io.retraintrigger.ingest.DeliveryParser;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Pub/Sub deliveries: one received message (data, attributes, id, publish time) to events. */
@ApplicationScoped
public class GcpIngest implements DeliveryParser {
    public static final String SOURCE = "gcp-pubsub";
    private final GcpMessageParser parser = new GcpMessageParser();

    @Override
    public String source() {
        return SOURCE;
    }

    /** Headers of Camel's google-pubsub consumer. */
    @Override
    @SuppressWarnings("unchecked")
    public List<TriggerEvent> parse(byte[] body, Map<String, Object> headers) {
        return parse(body, (Map<String, String>) headers.get("CamelGooglePubsubAttributes"),
                (String) headers.get("CamelGooglePubsubMessageId"), headers.get("CamelGooglePubsubPublishTime"));
    }

    public List<TriggerEvent> parse(byte[] data, Map<String, String> attributes, String messageId, Object publishTime) {
        String text = data == null ? "" : new String(data, StandardCharsets.UTF_8);
        return parser.parse(text, attributes == null ? Map.of() : attributes, messageId, instant(publishTime));
    }

    private static Instant instant(Object t) {
        if (t instanceof Timestamp ts) return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
        if (t instanceof Instant i) return i;
        return null;
    }
}
