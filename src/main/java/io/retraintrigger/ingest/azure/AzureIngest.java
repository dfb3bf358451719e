package io.retraintrigger.ingest.azure;

import io.retraintrigger.ingest.DeliveryParser;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Service Bus deliveries: one message (body, application properties, id) to events. */
@ApplicationScoped
public class AzureIngest implements DeliveryParser {
    public static final String SOURCE = "azure-servicebus";
    private final AzureMessageParser parser = new AzureMessageParser();

    @Override
    public String source() {
        return SOURCE;
    }

    /** Headers of Camel's azure-servicebus consumer. */
    @Override
    @SuppressWarnings("unchecked")
    public List<TriggerEvent> parse(byte[] body, Map<String, Object> headers) {
        return parse(body == null ? "" : new String(body, StandardCharsets.UTF_8),
                (Map<String, Object>) headers.get("CamelAzureServiceBusApplicationProperties"), (String) headers.get("CamelAzureServiceBusMessageId"));
    }

    public List<TriggerEvent> parse(String body, Map<String, Object> applicationProperties, String messageId) {
        return parser.parse(body, applicationProperties == null ? Map.of() : applicationProperties, messageId);
    }
}
