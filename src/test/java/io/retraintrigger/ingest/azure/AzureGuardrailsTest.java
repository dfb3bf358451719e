package io.retraintrigger.ingest.azure;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.ingest.azure.AzureProfile.InjectArm;
import io.retraintrigger.launch.azureml.AzureMlLauncher;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.azure.servicebus.ServiceBusConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.ingest.azure.AzureProfile.FAKE_TOKEN;
import static io.retraintrigger.ingest.azure.AzureProfile.GUARDED;
import static io.retraintrigger.ingest.azure.AzureProfile.RESOURCE_GROUP;
import static io.retraintrigger.ingest.azure.AzureProfile.SUBSCRIPTION;
import static io.retraintrigger.ingest.azure.AzureProfile.WORKSPACE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guardrails end to end on Azure: the job's documented RunCompleted (Event Grid, through the Service Bus route) →
 * the evaluation report read from Blob Storage (WireMock, Storage token) → the checks → the model versions'
 * promotion tag moved in the workspace (Model Versions - List, Get, Create Or Update on WireMock as Resource
 * Manager), asserted exactly; a failing check → no model version written, a notification, REJECT.
 */
@QuarkusTest
@TestProfile(AzureProfile.class)
class AzureGuardrailsTest {
    private static final String WORKSPACE_PATH = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP
            + "/providers/Microsoft.MachineLearningServices/workspaces/" + WORKSPACE;
    private static final String SAMPLE_EVENT_ID = "831e1650-001e-001b-66ab-eeb76e069631";
    private static final String SAMPLE_RUN_ID = "AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5";

    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate template;
    @InjectArm
    WireMockServer arm;

    @BeforeEach
    void consumerAndJobs() throws Exception {
        AzureProfile.replaceConsumer(camel);
        arm.stubFor(put(urlPathMatching(WORKSPACE_PATH + "/jobs/[^/]+")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"id\": \"{{request.path}}\", \"name\": \"{{request.pathSegments.[9]}}\","
                        + " \"type\": \"Microsoft.MachineLearningServices/workspaces/jobs\", \"properties\": {\"jobType\": \"Pipeline\"}}")));
    }

    /** A manual training of az-guarded, submitted; its report on "Blob Storage"; its job's RunCompleted. */
    private String trainedAndCompleted(String report) {
        String id = TestApi.trigger(GUARDED, 3).then().statusCode(200).extract().path("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> admin().get("/api/decisions/" + id).jsonPath().getString("launch.executionId"), id::equals);
        arm.stubFor(get(urlPathEqualTo("/reports/" + GUARDED + "/" + id + "/evaluation.json"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(report)));
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(fixture("ml-run-completed-eventgrid.json").replace(SAMPLE_EVENT_ID, UUID.randomUUID().toString()).replace(SAMPLE_RUN_ID, id));
        e.getMessage().setHeader(ServiceBusConstants.MESSAGE_ID, UUID.randomUUID().toString());
        e.getMessage().setHeader(ServiceBusConstants.APPLICATION_PROPERTIES, Map.of());
        assertNull(template.send(AzureProfile.IN, e).getException(), "RunCompleted delivered");
        return id;
    }

    private static String report(String model, double golden) {
        return "{\"model\":\"" + model + "\",\"goldenSet\":{\"accuracy\":" + golden + "},\"candidate\":{\"accuracy\":0.9},"
                + "\"baseline\":{\"accuracy\":0.89},\"predictions\":{\"candidate\":{\"a\":0.3,\"b\":0.7},\"baseline\":{\"a\":0.31,\"b\":0.69}},"
                + "\"errors\":{\"fp\":5,\"fn\":5}}";
    }

    private static String version(String versions, String v, String tags) {
        return "{\"id\":\"" + versions + "/" + v + "\",\"name\":\"" + v + "\",\"properties\":{\"modelUri\":\"azureml://jobs/j" + v
                + "/outputs/model\",\"tags\":" + tags + "}}";
    }

    @Test
    void aCompletedJobWhoseReportPassesGetsTheChampionTagMovedToItsModel() {
        String name = "fraud-" + UUID.randomUUID().toString().substring(0, 8);
        String versions = WORKSPACE_PATH + "/models/" + name + "/versions";
        arm.stubFor(get(urlPathEqualTo(versions)).withQueryParam("tags", equalTo("stage=champion")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"value\":[" + version(versions, "1", "{\"stage\":\"champion\"}") + "]}")));
        arm.stubFor(get(urlPathEqualTo(versions + "/1")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(version(versions, "1", "{\"stage\":\"champion\"}"))));
        arm.stubFor(get(urlPathEqualTo(versions + "/2")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(version(versions, "2", "{}"))));
        arm.stubFor(put(urlPathMatching(versions + "/[12]")).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{}")));

        String id = trainedAndCompleted(report("azureml:" + name + ":2", 0.94));
        JsonPath d = await().atMost(Duration.ofSeconds(30)).until(() -> admin().get("/api/decisions/" + id).jsonPath(),
                j -> "PROMOTED".equals(j.getString("evaluation.promotion.status")));
        assertEquals("Completed", d.getString("launch.executionStatus"));
        assertTrue(d.getString("evaluation.source").endsWith("/reports/" + GUARDED + "/" + id + "/evaluation.json"), d.getString("evaluation.source"));
        arm.verify(1, getRequestedFor(urlPathEqualTo("/reports/" + GUARDED + "/" + id + "/evaluation.json"))
                .withHeader("Authorization", equalTo("Bearer " + FAKE_TOKEN)).withHeader("x-ms-version", equalTo(AzureMlLauncher.BLOB_SERVICE_VERSION)));
        arm.verify(1, putRequestedFor(urlPathEqualTo(versions + "/1")).withQueryParam("api-version", equalTo(AzureProfile.API_VERSION))
                .withRequestBody(equalToJson("{\"properties\":{\"modelUri\":\"azureml://jobs/j1/outputs/model\",\"tags\":{}}}")));
        arm.verify(1, putRequestedFor(urlPathEqualTo(versions + "/2")).withQueryParam("api-version", equalTo(AzureProfile.API_VERSION))
                .withHeader("Authorization", equalTo("Bearer " + FAKE_TOKEN))
                .withRequestBody(equalToJson("{\"properties\":{\"modelUri\":\"azureml://jobs/j2/outputs/model\",\"tags\":{\"stage\":\"champion\"}}}")));
    }

    @Test
    void aFailingCheckWritesNoModelVersionAndIsNotified() {
        String name = "fraud-bad-" + UUID.randomUUID().toString().substring(0, 8);
        String id = trainedAndCompleted(report("azureml:" + name + ":1", 0.5));
        JsonPath d = await().atMost(Duration.ofSeconds(30)).until(() -> admin().get("/api/decisions/" + id).jsonPath(),
                j -> "REJECT".equals(j.getString("evaluation.outcome")));
        assertEquals("reject: 1 of 4 checks failed (golden_set: accuracy 0.5 < 0.85); the model is not promoted", d.getString("evaluation.reasons[0]"));
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getEndpoint("mock:notify", MockEndpoint.class).getExchanges().stream()
                .map(x -> x.getMessage().getBody(String.class)).anyMatch(b -> b.contains(id) && b.contains("\"type\":\"guardrails.reject\"")));
        arm.verify(0, putRequestedFor(urlPathMatching(WORKSPACE_PATH + "/models/" + name + "/.*")));
        arm.verify(0, getRequestedFor(urlPathMatching(WORKSPACE_PATH + "/models/" + name + "/.*")));
    }

    private static String fixture(String name) {
        try (InputStream in = AzureGuardrailsTest.class.getResourceAsStream("/fixtures/azure/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
