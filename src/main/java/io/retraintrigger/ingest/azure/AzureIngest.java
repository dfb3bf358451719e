package io.retraintrigger.ingest.azure;

import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.List;
import java.util.Map;

/** The Service Bus route's bean: one message (body, application properties, id) to events. */
@ApplicationScoped
@Named("azureIngest")
public class AzureIngest {
    private final AzureMessageParser parser = new AzureMessageParser();

    public List<TriggerEvent> parse(String body, Map<String, Object> applicationProperties, String messageId) {
        return parser.parse(body, applicationProperties == null ? Map.of() : applicationProperties, messageId);
    }
}
