package io.retraintrigger.ingest.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Named;
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
 * The Azure source on, and one pipeline {@value #PIPELINE} of target azureml fed by the blobs under
 * {@link #DATA_SOURCE}, whose batch closes {@value #WINDOW} after its first event. Azure Resource Manager
 * is WireMock ({@link ArmWireMock}); the {@code azureCredential} bean is {@link FakeAzureCredential}
 * (enabled for this profile only). No other pipeline (application.properties, %test) has a data source
 * under {@code my-storage-account}, nor monitors or schedules that Azure events could reach.
 */
public class AzureEndToEndProfile implements QuarkusTestProfile {
    public static final String NAMESPACE = "retrain-e2e.servicebus.windows.net";
    public static final String QUEUE = "retrain-e2e-events";

    public static final String PIPELINE = "az-e2e";
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
                Map.entry(p + "target", "azureml"),
                Map.entry(p + "data-sources", DATA_SOURCE),
                Map.entry(p + "batch.window", WINDOW),
                Map.entry(p + "azureml.subscription-id", SUBSCRIPTION),
                Map.entry(p + "azureml.resource-group", RESOURCE_GROUP),
                Map.entry(p + "azureml.workspace", WORKSPACE),
                Map.entry(p + "azureml.component-id", COMPONENT),
                Map.entry(p + "azureml.experiment-name", EXPERIMENT),
                Map.entry(p + "azureml.compute", COMPUTE));
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeAzureCredential.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ArmWireMock.class));
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
            server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
            server.start();
            return Map.of("retrain.azure.resource-manager-endpoint", "http://127.0.0.1:" + server.port());
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
