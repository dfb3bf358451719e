package io.retraintrigger.ingest.azure;

import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.retraintrigger.ingest.azure.AzureProfile.FakeAzureCredential;
import io.retraintrigger.ingest.azure.AzureProfile.InjectArm;
import io.retraintrigger.launch.azureml.AzureMlLauncher;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.azure.servicebus.ServiceBusConstants;
import org.apache.camel.component.azure.servicebus.ServiceBusEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.retraintrigger.api.TestApi.decisions;
import static io.retraintrigger.ingest.azure.AzureProfile.COMPUTE;
import static io.retraintrigger.ingest.azure.AzureProfile.DATA_SOURCE;
import static io.retraintrigger.ingest.azure.AzureProfile.EXPERIMENT;
import static io.retraintrigger.ingest.azure.AzureProfile.FAKE_TOKEN;
import static io.retraintrigger.ingest.azure.AzureProfile.PIPELINE;
import static io.retraintrigger.ingest.azure.AzureProfile.RESOURCE_GROUP;
import static io.retraintrigger.ingest.azure.AzureProfile.SUBSCRIPTION;
import static io.retraintrigger.ingest.azure.AzureProfile.WORKSPACE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5, end to end on Azure: two documented BlobCreated deliveries (Event Grid schema, CloudEvents schema)
 * on the Service Bus route → one batch of pipeline az-e2e (window 2 s) → the coordinator's LAUNCHED decision
 * → Azure ML "Jobs - Create Or Update" on WireMock (as Resource Manager) with the fake credential's bearer
 * token → the decision's launch SUBMITTED; then the job's documented RunCompleted on the same route →
 * launch.executionStatus Completed. The Service Bus consumer is replaced by a direct endpoint (AdviceWith):
 * no Service Bus emulator runs here.
 */
@QuarkusTest
@TestProfile(AzureProfile.class)
class AzureEndToEndTest {
    private static final String IN = AzureProfile.IN;
    private static final String WORKSPACE_PATH = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP
            + "/providers/Microsoft.MachineLearningServices/workspaces/" + WORKSPACE;
    private static final String JOBS = WORKSPACE_PATH + "/jobs/[^/]+";
    /** The documented samples' event id; replaced, so that each delivery is a new event. */
    private static final String SAMPLE_EVENT_ID = "831e1650-001e-001b-66ab-eeb76e069631";
    private static final String SAMPLE_BLOB = "new-file.txt";
    private static final String SAMPLE_RUN_ID = "AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5";

    private final ObjectMapper json = new ObjectMapper();

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate template;
    @InjectArm
    WireMockServer arm;

    @BeforeEach
    void replaceConsumerOnce() throws Exception {
        ServiceBusEndpoint configured = AzureProfile.replaceConsumer(camel);
        assertEquals(AzureProfile.QUEUE, configured.getConfiguration().getTopicOrQueueName());
        assertEquals(FAKE_TOKEN, configured.getConfiguration().getTokenCredential()
                .getTokenSync(new TokenRequestContext().addScopes("https://servicebus.azure.net/.default")).getToken(),
                "the consumer's tokenCredential is the replaced azureCredential bean");
    }

    @Test
    void blobCreatedEventsBecomeAnAzureMlPipelineJobWhoseCompletionIsRecorded() throws Exception {
        // Resource Manager creates the job: 201 with the PipelineJob resource named as the request's path says.
        arm.stubFor(put(urlPathMatching(JOBS)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("""
                        {"id": "{{request.path}}", "name": "{{request.pathSegments.[9]}}",
                         "type": "Microsoft.MachineLearningServices/workspaces/jobs",
                         "properties": {"jobType": "Pipeline", "status": "NotStarted"}}""")));
        assertTrue(decisions(PIPELINE).isEmpty(), "no decision of " + PIPELINE + " yet");

        String run = UUID.randomUUID().toString().substring(0, 8);
        String blobA = "az-e2e/" + run + "/part-00000.parquet";
        String blobB = "az-e2e/" + run + "/part-00001.parquet";
        String urlA = "https://my-storage-account.blob.core.windows.net/testcontainer/" + blobA;
        String urlB = "https://my-storage-account.blob.core.windows.net/testcontainer/" + blobB;
        assertTrue(urlA.startsWith(DATA_SOURCE) && urlB.startsWith(DATA_SOURCE));

        Exchange eventGrid = receive(fixture("storage-blob-created-eventgrid.json")
                .replace(SAMPLE_EVENT_ID, UUID.randomUUID().toString()).replace(SAMPLE_BLOB, blobA));
        Exchange cloudEvents = receive(fixture("storage-blob-created-cloudevents.json")
                .replace(SAMPLE_EVENT_ID, UUID.randomUUID().toString()).replace(SAMPLE_BLOB, blobB));
        assertNull(eventGrid.getException(), "Event Grid schema delivery completed");
        assertNull(cloudEvents.getException(), "CloudEvents schema delivery completed");
        assertNull(eventGrid.getProperty(ServiceBusSettlement.SETTLEMENT), "not dead-lettered");
        assertNull(cloudEvents.getProperty(ServiceBusSettlement.SETTLEMENT), "not dead-lettered");

        // The window closes 2 s after the first event; the batch is decided and launched.
        LoggedRequest request = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> arm.findAll(putRequestedFor(urlPathMatching(JOBS))), l -> !l.isEmpty()).get(0);

        List<Map<String, Object>> made = decisions(PIPELINE);
        assertEquals(1, made.size(), "one batch, one decision: " + made);
        Map<String, Object> decision = made.get(0);
        String decisionId = (String) decision.get("id");
        assertEquals("LAUNCHED", decision.get("outcome"), String.valueOf(decision));
        assertEquals("DATA_ARRIVAL", decision.get("triggerType"));

        // Jobs - Create Or Update: PUT {arm}/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}/jobs/{name}?api-version=...
        String[] path = request.getUrl().split("\\?", 2)[0].split("/");
        assertEquals(List.of("", "subscriptions", SUBSCRIPTION, "resourceGroups", RESOURCE_GROUP, "providers",
                "Microsoft.MachineLearningServices", "workspaces", WORKSPACE, "jobs", decisionId), Arrays.asList(path),
                request.getUrl());
        assertEquals(AzureProfile.API_VERSION, request.queryParameter("api-version").firstValue());
        assertEquals("Bearer " + FAKE_TOKEN, request.getHeader("Authorization"));
        assertTrue(request.getHeader("Content-Type").startsWith("application/json"), request.getHeader("Content-Type"));
        assertTrue(FakeAzureCredential.SCOPES.contains(AzureMlLauncher.ARM_SCOPE), String.valueOf(FakeAzureCredential.SCOPES));

        JsonNode p = json.readTree(request.getBodyAsString()).path("properties");
        assertEquals("Pipeline", p.path("jobType").asText(), p.toString());
        assertEquals(WORKSPACE_PATH + "/components/train_pipeline/versions/3", p.path("componentId").asText());
        assertEquals(EXPERIMENT, p.path("experimentName").asText());
        assertEquals(WORKSPACE_PATH + "/computes/" + COMPUTE, p.path("settings").path("default_compute").asText());
        assertEquals(decisionId, p.path("tags").path("retrain-trigger.decision-id").asText());
        JsonNode inputs = p.path("inputs");
        assertEquals("literal", inputs.path("DataPaths").path("jobInputType").asText(), inputs.toString());
        assertEquals(Set.of(urlA, urlB), Set.of(inputs.path("DataPaths").path("value").asText().split(",")), inputs.toString());
        assertEquals("2", inputs.path("EventCount").path("value").asText(), inputs.toString());
        assertEquals("false", inputs.path("DataManifest").path("value").asText(), inputs.toString());
        assertEquals("DATA_ARRIVAL", inputs.path("TriggerType").path("value").asText(), inputs.toString());

        // The launch is recorded as submitted, with the job's name as its execution id.
        Map<String, Object> launch = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> launchOf(decisionId), l -> "SUBMITTED".equals(l.get("status")));
        assertEquals(AzureMlLauncher.TARGET, launch.get("target"));
        assertEquals(decisionId, launch.get("executionId"));
        assertNull(launch.get("executionStatus"));
        assertEquals(1, arm.findAll(putRequestedFor(urlPathMatching(JOBS))).size(), "one job for one decision");
        String answered = arm.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().split("\\?", 2)[0].endsWith("/jobs/" + decisionId)).findFirst().orElseThrow()
                .getResponse().getBodyAsString();
        assertEquals(decisionId, json.readTree(answered).path("name").asText(), "the stub answered with the job's name: " + answered);

        // Azure ML's RunCompleted for the job (its run id is the job name), through the same route.
        Exchange completed = receive(fixture("ml-run-completed-eventgrid.json")
                .replace(SAMPLE_EVENT_ID, UUID.randomUUID().toString()).replace(SAMPLE_RUN_ID, decisionId));
        assertNull(completed.getException(), "RunCompleted delivery completed");
        assertNull(completed.getProperty(ServiceBusSettlement.SETTLEMENT), "not dead-lettered");

        Map<String, Object> finished = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> launchOf(decisionId), l -> "Completed".equals(l.get("executionStatus")));
        assertEquals("SUBMITTED", finished.get("status"));
        assertEquals(decisionId, finished.get("executionId"));
        assertNotNull(finished.get("executionUpdatedAt"));
        assertEquals(1, decisions(PIPELINE).size(), "the run's status makes no new decision");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> launchOf(String decisionId) {
        Map<String, Object> d = decisions(PIPELINE).stream().filter(x -> decisionId.equals(x.get("id"))).findFirst().orElseThrow();
        Map<String, Object> launch = (Map<String, Object>) d.get("launch");
        return launch == null ? Map.of() : launch;
    }

    /** A message as the Service Bus consumer hands it to the route: body, message id, no application properties. */
    private Exchange receive(String body) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(body);
        e.getMessage().setHeader(ServiceBusConstants.MESSAGE_ID, UUID.randomUUID().toString());
        e.getMessage().setHeader(ServiceBusConstants.APPLICATION_PROPERTIES, Map.of());
        return template.send(IN, e);
    }

    private static String fixture(String name) {
        try (InputStream in = AzureEndToEndTest.class.getResourceAsStream("/fixtures/azure/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
