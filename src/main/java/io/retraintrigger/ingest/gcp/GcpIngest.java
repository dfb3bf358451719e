package io.retraintrigger.ingest.gcp;

import com.google.protobuf.Timestamp;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The Pub/Sub routes' bean: one received message (data, attributes, id, publish time) to events. */
@ApplicationScoped
@Named("gcpIngest")
public class GcpIngest {
    private final GcpMessageParser parser = new GcpMessageParser();

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
