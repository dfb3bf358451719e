package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.aiplatform.v1.CreatePipelineJobRequest;
import com.google.cloud.aiplatform.v1.PipelineJob;
import com.google.protobuf.Value;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.testing.FakeVertexPipelineService;
import io.retraintrigger.testing.FakeVertexResource;
import io.retraintrigger.testing.PubSubEmulatorResource.Received;
import io.retraintrigger.testing.PubSubEmulatorResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.decisions;
import static io.retraintrigger.ingest.gcp.GcpProfile.AUDIT_TOPIC;
import static io.retraintrigger.ingest.gcp.GcpProfile.BUCKET;
import static io.retraintrigger.ingest.gcp.GcpProfile.DATA_SOURCE;
import static io.retraintrigger.ingest.gcp.GcpProfile.DRIFT_PIPELINE;
import static io.retraintrigger.ingest.gcp.GcpProfile.NOTIFY_TOPIC;
import static io.retraintrigger.ingest.gcp.GcpProfile.PIPELINE;
import static io.retraintrigger.ingest.gcp.GcpProfile.PIPELINE_ROOT;
import static io.retraintrigger.ingest.gcp.GcpProfile.REGION;
import static io.retraintrigger.ingest.gcp.GcpProfile.SERVICE_ACCOUNT;
import static io.retraintrigger.ingest.gcp.GcpProfile.TEMPLATE_URI;
import static io.retraintrigger.ingest.gcp.GcpProfile.VERTEX_PROJECT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4, end to end on Google Cloud: Cloud Storage OBJECT_FINALIZE notifications (the documented
 * JSON_API_V1 sample, for two new objects) published on Google's Pub/Sub emulator → the subscription's route →
 * one batch of pipeline {@value GcpProfile#PIPELINE} (window 2 s) → the coordinator's LAUNCHED
 * decision → CreatePipelineJob received by a fake Vertex AI PipelineService on a real gRPC server
 * (retrain.gcp.vertex-endpoint) → the decision's launch SUBMITTED with the job's name; and every decision
 * published on the audit topic (retrain.audit.uri=google-pubsub:...), high drift on the notify topic, read
 * back from the emulator with a pull.
 */
@QuarkusTest
@TestProfile(GcpProfile.class)
class GcpEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Everything pulled from the sink topics so far (a pull acknowledges): other decisions are kept for later tests. */
    private static final Map<String, List<Received>> PULLED = new LinkedHashMap<>();

    @Test
    @SuppressWarnings("unchecked")
    void storageNotificationsOnPubSubBecomeOneVertexPipelineJob() throws Exception {
        FakeVertexPipelineService vertex = FakeVertexResource.service();
        assertTrue(decisions(PIPELINE).isEmpty(), "no decision of " + PIPELINE + " yet");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String objectA = "gcp-e2e/" + run + "/part-00000.parquet";
        String objectB = "gcp-e2e/" + run + "/part-00001.parquet";
        String uriA = "gs://" + BUCKET + "/" + objectA;
        String uriB = "gs://" + BUCKET + "/" + objectB;
        assertTrue(uriA.startsWith(DATA_SOURCE) && uriB.startsWith(DATA_SOURCE));

        PubSubEmulatorResource.publish(finalizeData(objectA, 1_773_129_601_000_001L, 734_003_200L), finalizeAttributes(objectA, 1_773_129_601_000_001L));
        PubSubEmulatorResource.publish(finalizeData(objectB, 1_773_129_601_000_002L, 265_996_800L), finalizeAttributes(objectB, 1_773_129_601_000_002L));

        // The window closes 2 s after the first event; the batch is decided and launched over gRPC.
        CreatePipelineJobRequest request = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> createsOf(vertex, PIPELINE), l -> !l.isEmpty()).get(0);

        List<Map<String, Object>> made = decisions(PIPELINE);
        assertEquals(1, made.size(), "one batch, one decision: " + made);
        String decisionId = (String) made.get(0).get("id");
        assertEquals(1, createsOf(vertex, PIPELINE).size(), "one CreatePipelineJob: " + vertex.creates);

        // CreatePipelineJob: parent, the decision id as job id, the job as configured
        assertEquals("projects/" + VERTEX_PROJECT + "/locations/" + REGION, request.getParent());
        assertEquals(decisionId, request.getPipelineJobId());
        PipelineJob job = request.getPipelineJob();
        assertEquals(TEMPLATE_URI, job.getTemplateUri());
        assertEquals(PIPELINE_ROOT, job.getRuntimeConfig().getGcsOutputDirectory());
        assertEquals(SERVICE_ACCOUNT, job.getServiceAccount());
        assertEquals(PIPELINE + "-data-arrival-1", job.getDisplayName());
        assertEquals(Map.of("pipeline", PIPELINE, "trigger-type", "data_arrival"), job.getLabelsMap());
        Map<String, Value> values = job.getRuntimeConfig().getParameterValuesMap();
        assertEquals(Set.of(uriA, uriB), Set.copyOf(Arrays.asList(values.get("DataPaths").getStringValue().split(","))),
                values.get("DataPaths").getStringValue());
        assertEquals(2, values.get("DataPaths").getStringValue().split(",").length);
        assertEquals(2.0, values.get("EventCount").getNumberValue());
        assertEquals(1_000_000_000.0, values.get("DataSizeBytes").getNumberValue());
        assertEquals(false, values.get("DataManifest").getBoolValue());
        assertEquals(Value.KindCase.BOOL_VALUE, values.get("DataManifest").getKindCase());
        assertEquals("DATA_ARRIVAL", values.get("TriggerType").getStringValue());
        assertEquals("data: 2 new objects in batch " + PIPELINE + "#1 (window_expired)", values.get("TriggerReason").getStringValue());
        assertEquals(3.0, values.get("Priority").getNumberValue());

        // The decision, as GET /api/decisions shows it: launched, SUBMITTED, the job's name as its execution id
        String jobName = "projects/" + FakeVertexPipelineService.PROJECT_NUMBER + "/locations/" + REGION + "/pipelineJobs/" + decisionId;
        Map<String, Object> decision = await().atMost(Duration.ofSeconds(10)).until(() -> decisions(PIPELINE).get(0),
                d -> "SUBMITTED".equals(((Map<String, Object>) d.get("launch")).get("status")));
        assertEquals("LAUNCHED", decision.get("outcome"), String.valueOf(decision));
        assertEquals("DATA_ARRIVAL", decision.get("triggerType"));
        Map<String, Object> launch = (Map<String, Object>) decision.get("launch");
        assertEquals("vertex", launch.get("target"));
        assertEquals(jobName, launch.get("executionId"));
        Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) decision.get("request")).get("metadata");
        assertEquals(2, metadata.get("eventCount"));
        assertEquals(Set.of(uriA, uriB), Set.copyOf((List<String>) metadata.get("dataUris")));
        assertTrue(vertex.jobs.containsKey("locations/" + REGION + "/pipelineJobs/" + decisionId), "the job exists: " + vertex.jobs.keySet());

        // The same decision on the audit topic: attributes to filter by, the decision's JSON as data
        Received audited = awaitMessage(AUDIT_TOPIC, m -> decisionId.equals(m.attributes().get("decisionId"))
                && m.data().contains("\"SUBMITTED\""));
        assertEquals(PIPELINE, audited.attributes().get("pipeline"));
        assertEquals("LAUNCHED", audited.attributes().get("outcome"));
        assertEquals("DATA_ARRIVAL", audited.attributes().get("triggerType"));
        assertOnlySinkAttributes(audited);
        JsonNode body = JSON.readTree(audited.data());
        assertEquals(decisionId, body.path("id").asText());
        assertEquals(PIPELINE, body.path("pipeline").asText());
        assertEquals("LAUNCHED", body.path("outcome").asText());
        assertEquals(jobName, body.path("launch").path("executionId").asText());
        assertEquals(2, body.path("request").path("metadata").path("eventCount").asInt());
    }

    @Test
    @SuppressWarnings("unchecked")
    void decisionsAreAuditedAndHighDriftIsNotifiedOnPubSub() throws Exception {
        // high drift on a dry-run pipeline: a LAUNCHED decision (approval required) and a notification
        TestApi.drift(DRIFT_PIPELINE, "amount", 0.42).then().statusCode(202);
        Map<String, Object> decision = await().atMost(Duration.ofSeconds(30))
                .until(() -> decisions(DRIFT_PIPELINE).stream().filter(d -> "LAUNCHED".equals(d.get("outcome"))).findFirst(), Optional::isPresent)
                .get();
        String decisionId = (String) decision.get("id");

        Received audited = awaitMessage(AUDIT_TOPIC, m -> decisionId.equals(m.attributes().get("decisionId")));
        assertEquals(DRIFT_PIPELINE, audited.attributes().get("pipeline"));
        assertEquals("LAUNCHED", audited.attributes().get("outcome"));
        assertEquals("DRIFT", audited.attributes().get("triggerType"));
        assertOnlySinkAttributes(audited);
        JsonNode body = JSON.readTree(audited.data());
        assertEquals(decisionId, body.path("id").asText());
        assertEquals(DRIFT_PIPELINE, body.path("pipeline").asText());
        assertEquals("LAUNCHED", body.path("outcome").asText());
        assertEquals("DRIFT", body.path("triggerType").asText());
        assertEquals(2, body.path("priority").asInt());
        Map<String, Object> fromApi = admin().get("/api/decisions/" + decisionId).then().statusCode(200).extract().jsonPath().getMap("$");
        assertEquals(fromApi.get("reasons"), JSON.convertValue(body.path("reasons"), List.class), "the audited decision is the recorded one");

        Received notified = awaitMessage(NOTIFY_TOPIC, m -> decisionId.equals(m.attributes().get("decisionId")));
        assertEquals(DRIFT_PIPELINE, notified.attributes().get("pipeline"));
        assertEquals("LAUNCHED", notified.attributes().get("outcome"));
        assertOnlySinkAttributes(notified);
        JsonNode note = JSON.readTree(notified.data());
        assertEquals("drift.retrain_requires_approval", note.path("type").asText());
        assertEquals(DRIFT_PIPELINE, note.path("pipeline").asText());
        assertEquals("HIGH", note.path("severity").asText());
        assertEquals(decisionId, note.path("decisionId").asText());
    }

    /** The CreatePipelineJob requests for jobs of one pipeline (its label), in order: other tests of the boot may launch on Vertex too. */
    private static List<CreatePipelineJobRequest> createsOf(FakeVertexPipelineService vertex, String pipeline) {
        return vertex.creates.stream().filter(r -> pipeline.equals(r.getPipelineJob().getLabelsMap().get("pipeline"))).toList();
    }

    /**
     * The attributes are the decision's (SinkAttributes) and the data's Content-Type, nothing else: the
     * google-pubsub producer makes every exchange header an attribute, so the sink routes drop the headers
     * of the API request (Authorization with the caller's Basic credentials, Host ...), of Quartz, and the
     * attributes of the Cloud Storage notification that the decision came from. With tracing on (as in
     * %test) the message also carries the W3C trace context of the decision's trace, and nothing else of it.
     */
    private static void assertOnlySinkAttributes(Received m) {
        Map<String, String> others = new LinkedHashMap<>(m.attributes());
        others.keySet().removeAll(Set.of("pipeline", "outcome", "triggerType", "decisionId"));
        String traceparent = others.remove("traceparent");
        if (traceparent != null) {
            assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), "traceparent " + traceparent);
        }
        assertEquals(Map.of("Content-Type", "application/json"), others, "attributes " + m.attributes());
    }

    /** The first message of a sink topic (through its subscription) that matches, pulled within 30 s. */
    static Received awaitMessage(String topic, Predicate<Received> match) {
        String subscription = PubSubEmulatorResource.subscriptionOf(topic);
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            synchronized (PULLED) {
                List<Received> seen = PULLED.computeIfAbsent(topic, t -> new ArrayList<>());
                seen.addAll(PubSubEmulatorResource.pull(subscription, 100));
                return seen.stream().filter(match).findFirst();
            }
        }, Optional::isPresent).get();
    }

    // ---- the documented Cloud Storage notification (JSON_API_V1), for another object of another bucket ----

    private static JsonNode fixture() {
        try (InputStream in = GcpEndToEndTest.class.getResourceAsStream("/fixtures/gcp/gcs-object-finalize-json-api-v1.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> finalizeAttributes(String object, long generation) {
        Map<String, String> a = new LinkedHashMap<>();
        fixture().path("attributes").fields().forEachRemaining(e -> a.put(e.getKey(), e.getValue().asText()));
        a.put("notificationConfig", "projects/_/buckets/" + BUCKET + "/notificationConfigs/1");
        a.put("bucketId", BUCKET);
        a.put("objectId", object);
        a.put("objectGeneration", Long.toString(generation));
        return a;
    }

    private static String finalizeData(String object, long generation, long size) {
        ObjectNode d = (ObjectNode) fixture().get("data").deepCopy();
        String escaped = object.replace("/", "%2F");
        d.put("id", BUCKET + "/" + object + "/" + generation)
                .put("selfLink", "https://www.googleapis.com/storage/v1/b/" + BUCKET + "/o/" + escaped)
                .put("mediaLink", "https://www.googleapis.com/download/storage/v1/b/" + BUCKET + "/o/" + escaped + "?generation=" + generation + "&alt=media")
                .put("name", object)
                .put("bucket", BUCKET)
                .put("generation", Long.toString(generation))
                .put("size", Long.toString(size));
        return d.toString();
    }
}
