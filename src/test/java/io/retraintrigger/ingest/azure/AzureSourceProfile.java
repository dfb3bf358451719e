package io.retraintrigger.ingest.azure;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The Azure source switched on. No Service Bus emulator runs here (it needs Docker): the tests replace
 * the consumer with a direct endpoint (AdviceWith) and send the documented payloads through the route.
 */
public class AzureSourceProfile implements QuarkusTestProfile {
    public static final String NAMESPACE = "retrain-test.servicebus.windows.net";
    public static final String QUEUE = "retrain-test-events";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "retrain.sources.azure.enabled", "true",
                "retrain.sources.azure.namespace", NAMESPACE,
                "retrain.sources.azure.queue", QUEUE,
                "retrain.pipelines.az-data.data-sources", "https://my-storage-account.blob.core.windows.net/testcontainer/",
                "retrain.pipelines.az-data.batch.window", "1h",
                "retrain.pipelines.az-sched.coordinator.min-interval", "0s");
    }
}
