package io.retraintrigger.ingest.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.retraintrigger.testing.TestTls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.azure.servicebus.ServiceBusEndpoint;
import reactor.core.publisher.Mono;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one Azure profile (one Quarkus boot) of AzureServiceBusRouteTest, AzureEndToEndTest and AzureGuardrailsTest: the Azure
 * source on (queue {@value #QUEUE} of {@value #NAMESPACE}), Azure Resource Manager played by WireMock
 * ({@link ArmWireMock}), the {@code azureCredential} bean replaced by {@link FakeAzureCredential}. No Service
 * Bus emulator runs here (it needs Docker): the tests replace the consumer with a direct endpoint, once per
 * boot ({@link #replaceConsumer}), and send the documented payloads through the route. Each test has
 * pipelines of its own and looks only at what they did.
 * <p>
 * AzureServiceBusRouteTest: az-data (the blobs of {@code testcontainer}, window 1 h), az-sched. AzureEndToEndTest:
 * one pipeline {@value #PIPELINE} of target azureml fed by the blobs under {@link #DATA_SOURCE} (the longer
 * prefix: they are not az-data's), whose batch closes {@value #WINDOW} after its first event; no other
 * pipeline has monitors or schedules that Azure events could reach.
 */
public class AzureProfile implements QuarkusTestProfile {
    public static final String NAMESPACE = "retrain-test.servicebus.windows.net";
    public static final String QUEUE = "retrain-test-events";

    /** The Service Bus route, and the direct endpoint that replaces its consumer. */
    public static final String ROUTE = "ingest-azure-servicebus";
    public static final String IN = "direct:azure-servicebus-test";

    public static final String PIPELINE = "az-e2e";
    /** AzureGuardrailsTest's pipeline. */
    public static final String GUARDED = "az-guarded";
    public static final String DATA_SOURCE = "https://my-storage-account.blob.core.windows.net/testcontainer/az-e2e/";
    public static final String WINDOW = "2s";

    public static final String SUBSCRIPTION = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    public static final String RESOURCE_GROUP = "rg-mlops-e2e";
    public static final String WORKSPACE = "ws-retrain-e2e";
    public static final String COMPONENT = "azureml:train_pipeline:3";
    public static final String EXPERIMENT = "retrain-az-e2e";
    public static final String COMPUTE = "cpu-cluster";
    public static final String API_VERSION = "2024-04-01";

    /** The token every request for a token gets. */
    public static final String FAKE_TOKEN = "fake-entra-token-az-e2e";

    @Override
    public Map<String, String> getConfigOverrides() {
        String p = "retrain.pipelines." + PIPELINE + ".";
        return Map.ofEntries(
                Map.entry("retrain.sources.azure.enabled", "true"),
                Map.entry("retrain.sources.azure.namespace", NAMESPACE),
                Map.entry("retrain.sources.azure.queue", QUEUE),
                Map.entry("retrain.azure.ml-api-version", API_VERSION),

                // ---- AzureServiceBusRouteTest
                Map.entry("retrain.pipelines.az-data.data-sources", "https://my-storage-account.blob.core.windows.net/testcontainer/"),
                Map.entry("retrain.pipelines.az-data.batch.window", "1h"),
                Map.entry("retrain.pipelines.az-sched.coordinator.min-interval", "0s"),

                // ---- AzureEndToEndTest
                Map.entry(p + "target", "azureml"),
                Map.entry(p + "data-sources", DATA_SOURCE),
                Map.entry(p + "batch.window", WINDOW),
                Map.entry(p + "azureml.subscription-id", SUBSCRIPTION),
                Map.entry(p + "azureml.resource-group", RESOURCE_GROUP),
                Map.entry(p + "azureml.workspace", WORKSPACE),
                Map.entry(p + "azureml.component-id", COMPONENT),
                Map.entry(p + "azureml.experiment-name", EXPERIMENT),
                Map.entry(p + "azureml.compute", COMPUTE),

                // ---- AzureGuardrailsTest (its report-uri comes with the server's port: ArmWireMock)
                Map.entry("retrain.pipelines." + GUARDED + ".target", "azureml"),
                Map.entry("retrain.pipelines." + GUARDED + ".azureml.subscription-id", SUBSCRIPTION),
                Map.entry("retrain.pipelines." + GUARDED + ".azureml.resource-group", RESOURCE_GROUP),
                Map.entry("retrain.pipelines." + GUARDED + ".azureml.workspace", WORKSPACE),
                Map.entry("retrain.pipelines." + GUARDED + ".azureml.component-id", COMPONENT),
                Map.entry("retrain.pipelines." + GUARDED + ".coordinator.min-interval", "0s"),
                Map.entry("retrain.pipelines." + GUARDED + ".coordinator.max-daily-trainings", "100"),
                Map.entry("retrain.pipelines." + GUARDED + ".coordinator.daily-budget", "100000"));
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeAzureCredential.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ArmWireMock.class));
    }

    /** The consumer endpoint as configured, once {@link #replaceConsumer} has replaced it. */
    private static ServiceBusEndpoint configured;

    /**
     * Replaces the Service Bus consumer of {@value #ROUTE} with {@value #IN} (AdviceWith), the first time a
     * test of this boot asks; returns the consumer's endpoint as the application configured it.
     */
    public static synchronized ServiceBusEndpoint replaceConsumer(CamelContext camel) throws Exception {
        if (configured == null) {
            ServiceBusEndpoint endpoint = (ServiceBusEndpoint) camel.getRoute(ROUTE).getEndpoint();
            AdviceWith.adviceWith(camel, ROUTE, a -> a.replaceFromWith(IN));
            configured = endpoint;
        }
        return configured;
    }

    /**
     * Replaces the {@code azureCredential} that {@code AzureClients} produces (DefaultAzureCredential) in
     * the tests of this profile: a fixed token, valid for an hour, for any scope; the scopes asked for are
     * kept.
     */
    @Alternative
    @ApplicationScoped
    @Named("azureCredential")
    public static class FakeAzureCredential implements TokenCredential {
        public static final List<String> SCOPES = new CopyOnWriteArrayList<>();

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            SCOPES.add(String.join(" ", request.getScopes()));
            return Mono.just(new AccessToken(FAKE_TOKEN, OffsetDateTime.now().plusHours(1)));
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            return getToken(request).block();
        }
    }

    /** Marks the test field that receives the WireMock server of {@link ArmWireMock}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectArm {
    }

    /**
     * WireMock on a free loopback port as Azure Resource Manager (retrain.azure.resource-manager-endpoint).
     * No stubs: the test adds them.
     */
    public static class ArmWireMock implements QuarkusTestResourceLifecycleManager {
        private WireMockServer server;

        @Override
        public Map<String, String> start() {
            // HTTPS: azure-core's bearer token policy sends tokens over nothing else
            server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                    .keystorePath(TestTls.serverKeyStore()).keystoreType("PKCS12").keystorePassword(TestTls.PASSWORD).keyManagerPassword(TestTls.PASSWORD));
            server.start();
            String base = "https://127.0.0.1:" + server.httpsPort();
            return Map.of("retrain.azure.resource-manager-endpoint", base,
                    // AzureGuardrailsTest: its reports on the same server, as Blob Storage
                    "retrain.pipelines." + GUARDED + ".guardrails.report-uri", base + "/reports/{pipeline}/{executionId}/evaluation.json");
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectArm.class, WireMockServer.class));
        }

        @Override
        public void stop() {
            if (server != null) server.stop();
        }
    }
}
