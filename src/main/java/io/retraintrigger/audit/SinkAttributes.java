package io.retraintrigger.audit;

import io.retraintrigger.model.Decision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message attributes of what goes to the audit and notification sinks, so that subscribers can filter
 * without parsing the body: Pub/Sub attributes, Service Bus application properties.
 */
@ApplicationScoped
@Named("sinkAttributes")
public class SinkAttributes {
    public Map<String, String> of(Decision d) {
        Map<String, String> a = new LinkedHashMap<>();
        if (d.pipeline() != null) a.put("pipeline", d.pipeline());
        a.put("outcome", d.outcome().name());
        if (d.triggerType() != null) a.put("triggerType", d.triggerType().name());
        a.put("decisionId", d.id());
        return a;
    }

    /** Resources of an EventBridge audit event: the launch's execution ARN when it has one. */
    public String resources(Decision d, String fallback) {
        String execution = d.launch() == null ? null : d.launch().executionId();
        return execution != null && execution.startsWith("arn:") ? execution : fallback;
    }
}
