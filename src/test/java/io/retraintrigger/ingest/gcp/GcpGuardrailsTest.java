package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.cloud.aiplatform.v1.GetModelRequest;
import com.google.cloud.aiplatform.v1.MergeVersionAliasesRequest;
import com.google.protobuf.Message;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.testing.FakeVertexModelService;
import io.retraintrigger.testing.FakeVertexPipelineService;
import io.retraintrigger.testing.FakeVertexResource;
import io.retraintrigger.testing.GcsWireMockResource;
import io.retraintrigger.testing.JsonFixtures;
import io.retraintrigger.testing.PubSubEmulatorResource;
import io.retraintrigger.testing.PubSubEmulatorResource.Received;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.ingest.gcp.GcpProfile.NOTIFY_TOPIC;
import static io.retraintrigger.ingest.gcp.GcpProfile.REGION;
import static io.retraintrigger.ingest.gcp.GcpProfile.REPORT_BUCKET;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guardrails end to end on Google Cloud: a Vertex AI pipeline job's PIPELINE_STATE_SUCCEEDED (its job-events log
 * entry on Google's Pub/Sub emulator) → the evaluation report read from Cloud Storage (WireMock) → the checks →
 * the champion alias moved in the Vertex AI Model Registry (the fake ModelService over gRPC), the requests
 * asserted exactly; a failing check → no Model Registry request, a notification on Pub/Sub, REJECT.
 */
@QuarkusTest
@TestProfile(GcpProfile.class)
class GcpGuardrailsTest {
    static final String PIPELINE = "gcp-guarded";

    /** A manual training of gcp-guarded on (fake) Vertex; its report on GCS; its job's SUCCEEDED state on Pub/Sub. */
    private String trainedAndSucceeded(String report) {
        String id = TestApi.trigger(PIPELINE, 3).then().statusCode(200).extract().path("id");
        String job = await().atMost(Duration.ofSeconds(15)).until(() -> admin().get("/api/decisions/" + id).jsonPath().getString("launch.executionId"),
                j -> j != null);
        assertEquals("projects/" + FakeVertexPipelineService.PROJECT_NUMBER + "/locations/" + REGION + "/pipelineJobs/" + id, job);
        WireMockServer gcs = GcsWireMockResource.server();
        gcs.stubFor(get(urlPathMatching("/download/storage/v1/b/" + REPORT_BUCKET + "/o/" + PIPELINE + "(/|%2F)" + id + "(/|%2F)evaluation\\.json"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(report)));
        JsonNode entry = GcpFixtures.tree("vertex-pipeline-job-succeeded.json");
        JsonFixtures.set(entry, "data.resource.labels.pipeline_job_id", id);
        JsonFixtures.set(entry, "data.resource.labels.resource_container", "projects/" + FakeVertexPipelineService.PROJECT_NUMBER);
        JsonFixtures.set(entry, "data.resource.labels.location", REGION);
        JsonFixtures.set(entry, "data.insertId", "guarded-" + id);
        var message = GcpFixtures.message(entry);
        PubSubEmulatorResource.publish(message.data(), message.attributes());
        return id;
    }

    private static String report(String model, double golden) {
        return "{\"model\":\"" + model + "\",\"goldenSet\":{\"accuracy\":" + golden + "},\"candidate\":{\"accuracy\":0.9},"
                + "\"baseline\":{\"accuracy\":0.86},\"predictions\":{\"candidate\":{\"churn\":0.2,\"stay\":0.8},"
                + "\"baseline\":{\"churn\":0.22,\"stay\":0.78}},\"errors\":{\"false_positive\":12,\"false_negative\":10}}";
    }

    @Test
    void aSucceededJobWhoseReportPassesMovesTheChampionAlias() {
        FakeVertexModelService registry = FakeVertexResource.models();
        String model = "projects/mlops-e2e/locations/" + REGION + "/models/churn-" + System.nanoTime();
        registry.versions(model, "1", "2");
        registry.models.get(model).get("1").add("champion");

        String id = trainedAndSucceeded(report(model + "@2", 0.93));
        JsonPath d = await().atMost(Duration.ofSeconds(30)).until(() -> admin().get("/api/decisions/" + id).jsonPath(),
                j -> "PROMOTED".equals(j.getString("evaluation.promotion.status")));
        assertEquals("PIPELINE_STATE_SUCCEEDED", d.getString("launch.executionStatus"));
        assertEquals("gs://" + REPORT_BUCKET + "/" + PIPELINE + "/" + id + "/evaluation.json", d.getString("evaluation.source"));
        List<Message> mine = registry.requests.stream().filter(r -> r.toString().contains(model)).toList();
        assertEquals(List.<Message>of(
                GetModelRequest.newBuilder().setName(model + "@champion").build(),
                MergeVersionAliasesRequest.newBuilder().setName(model + "@1").addVersionAliases("-champion").build(),
                MergeVersionAliasesRequest.newBuilder().setName(model + "@2").addVersionAliases("champion").build()), mine);
        assertEquals(List.of("champion"), registry.aliases(model, "2"));
        assertEquals(List.of(), registry.aliases(model, "1"));
    }

    @Test
    void aFailingCheckTouchesNoRegistryAndIsNotifiedOnPubSub() throws Exception {
        FakeVertexModelService registry = FakeVertexResource.models();
        String model = "projects/mlops-e2e/locations/" + REGION + "/models/churn-bad-" + System.nanoTime();
        registry.versions(model, "1");
        String id = trainedAndSucceeded(report(model + "@1", 0.61));
        JsonPath d = await().atMost(Duration.ofSeconds(30)).until(() -> admin().get("/api/decisions/" + id).jsonPath(),
                j -> "REJECT".equals(j.getString("evaluation.outcome")));
        assertEquals("reject: 1 of 4 checks failed (golden_set: accuracy 0.61 < 0.85); the model is not promoted", d.getString("evaluation.reasons[0]"));
        Received notified = GcpEndToEndTest.awaitMessage(NOTIFY_TOPIC, m -> id.equals(m.attributes().get("decisionId")));
        assertTrue(notified.data().contains("\"type\":\"guardrails.reject\""), notified.data());
        assertEquals(List.of(), registry.requests.stream().filter(r -> r.toString().contains(model)).toList(), "no Model Registry request");
    }
}
