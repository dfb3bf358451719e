package io.retraintrigger.ingest.gcp;

import com.google.protobuf.Timestamp;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.ingest.DeliveryParser;
import io.retraintrigger.model.ScheduleSource;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Pub/Sub deliveries: one received message (data, attributes, id, publish time, subscription) to events. */
@ApplicationScoped
public class GcpIngest implements DeliveryParser {
    public static final String SOURCE = "gcp-pubsub";
    /** Header the consumer route sets: the subscription the message was pulled from. */
    public static final String SUBSCRIPTION_HEADER = "RetrainPubSubSubscription";
    private final GcpMessageParser parser;

    @Inject
    public GcpIngest(PipelineRegistry pipelines) {
        this.parser = new GcpMessageParser(pipelines.all().stream().flatMap(p -> p.scheduleSources().stream())
                .filter(s -> s.startsWith(ScheduleSource.PUBSUB_SUBSCRIPTION) || s.startsWith(ScheduleSource.PUBSUB_ATTRIBUTE))
                .collect(Collectors.toSet()));
    }

    @Override
    public String source() {
        return SOURCE;
    }

    /** Headers of Camel's google-pubsub consumer. */
    @Override
    @SuppressWarnings("unchecked")
    public List<TriggerEvent> parse(byte[] body, Map<String, Object> headers) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        Map<String, String> attributes = (Map<String, String>) headers.get("CamelGooglePubsubAttributes");
        return parser.parse(new PubSubMessage(text, attributes, (String) headers.get("CamelGooglePubsubMessageId"),
                instant(headers.get("CamelGooglePubsubPublishTime")), (String) headers.get(SUBSCRIPTION_HEADER)));
    }

    private static Instant instant(Object t) {
        if (t instanceof Timestamp ts) return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
        if (t instanceof Instant i) return i;
        return null;
    }
}
