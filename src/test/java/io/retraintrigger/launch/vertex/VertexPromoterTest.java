package io.retraintrigger.launch.vertex;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.aiplatform.v1.GetModelRequest;
import com.google.cloud.aiplatform.v1.MergeVersionAliasesRequest;
import com.google.cloud.aiplatform.v1.ModelServiceClient;
import com.google.cloud.aiplatform.v1.ModelServiceSettings;
import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.model.EvaluationReport;
import io.retraintrigger.testing.FakeVertexModelService;
import io.retraintrigger.testing.LaunchFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Promotion in the Vertex AI Model Registry through the real GAPIC ModelServiceClient, against an in-process ModelService. */
class VertexPromoterTest {
    static final String MODEL = "projects/ml-prod/locations/europe-west4/models/fraud";
    static FakeVertexModelService registry;
    static Server server;
    static ManagedChannel channel;
    static ModelServiceClient client;
    final PipelineSettings fraud = LaunchFixtures.pipeline("vertex", "fraud");
    VertexPromoter promoter;

    @BeforeAll
    static void start() throws Exception {
        registry = new FakeVertexModelService();
        String name = "vertex-models-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(registry.definition()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        client = ModelServiceClient.create(GcpClients.promotionSettings(ModelServiceSettings.newBuilder())
                .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (channel != null) channel.shutdownNow();
        if (server != null) server.shutdownNow();
    }

    @BeforeEach
    void reset() {
        registry.requests.clear();
        registry.models.clear();
        registry.failures.clear();
        promoter = new VertexPromoter(region -> {
            assertEquals("europe-west4", region, "the client of the model's region");
            return client;
        });
    }

    static EvaluationReport report(String model) {
        return new EvaluationReport(model, Map.of("accuracy", 0.9), null, null, null, null, false);
    }

    @Test
    void theAliasMovesFromThePreviousVersionToTheNewOne() {
        registry.versions(MODEL, "3", "4");
        registry.models.get(MODEL).get("3").add("champion");
        Map<String, String> sent = promoter.promote(fraud, LaunchFixtures.drift("vertex", "fraud"), report(MODEL + "@4"));

        assertEquals(List.<Message>of(
                GetModelRequest.newBuilder().setName(MODEL + "@champion").build(),
                MergeVersionAliasesRequest.newBuilder().setName(MODEL + "@3").addVersionAliases("-champion").build(),
                MergeVersionAliasesRequest.newBuilder().setName(MODEL + "@4").addVersionAliases("champion").build()), registry.requests);
        assertEquals(List.of(), registry.aliases(MODEL, "3"));
        assertEquals(List.of("champion"), registry.aliases(MODEL, "4"));
        assertEquals(Map.of(MODEL + "@3", "-champion", MODEL + "@4", "champion"), sent);

        // sent again: the alias is there, nothing is merged
        registry.requests.clear();
        promoter.promote(fraud, LaunchFixtures.drift("vertex", "fraud"), report(MODEL + "@4"));
        assertEquals(List.<Message>of(GetModelRequest.newBuilder().setName(MODEL + "@champion").build()), registry.requests);
    }

    @Test
    void theFirstChampionOnlyGetsTheAlias() {
        registry.versions(MODEL, "1");
        promoter.promote(fraud, LaunchFixtures.drift("vertex", "fraud"), report(MODEL + "@1"));
        assertEquals(2, registry.requests.size());
        assertEquals(MergeVersionAliasesRequest.newBuilder().setName(MODEL + "@1").addVersionAliases("champion").build(), registry.requests.get(1));
        assertEquals(List.of("champion"), registry.aliases(MODEL, "1"));
    }

    @Test
    void aModelThatIsNoVersionIsRefusedWithoutARequest() {
        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> promoter.promote(fraud, LaunchFixtures.drift("vertex", "fraud"), report(MODEL)));
        assertTrue(e.getMessage().contains("is not a Vertex AI model version"), e.getMessage());
        assertEquals(List.of(), registry.requests);
    }

    @Test
    void anUnavailableRegistryIsRetryableAnUnknownVersionFinal() {
        registry.versions(MODEL, "1");
        for (int i = 0; i < 3; i++) registry.failures.add(Status.UNAVAILABLE.withDescription("try later"));
        assertThrows(RetryableLaunchException.class, () -> promoter.promote(fraud, LaunchFixtures.drift("vertex", "fraud"), report(MODEL + "@1")));
        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> promoter.promote(fraud, LaunchFixtures.drift("vertex", "fraud"), report(MODEL + "@9")));
        assertTrue(e.getMessage().contains("NOT_FOUND"), e.getMessage());
    }
}
