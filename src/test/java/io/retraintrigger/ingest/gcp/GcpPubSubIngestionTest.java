package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.testing.PubSubEmulatorResource;
import io.retraintrigger.testing.QuietLogs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.admin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages published to Pub/Sub (Google's emulator), as Google's services publish them, through to decisions. */
@QuarkusTest
@TestProfile(GcpProfile.class)
class GcpPubSubIngestionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode fixture(String name) {
        try (InputStream in = GcpPubSubIngestionTest.class.getResourceAsStream("/fixtures/gcp/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> attributes(JsonNode f) {
        Map<String, String> a = new LinkedHashMap<>();
        f.path("attributes").fields().forEachRemaining(e -> a.put(e.getKey(), e.getValue().asText()));
        return a;
    }

    private static String data(JsonNode f) {
        JsonNode d = f.path("data");
        return d.isMissingNode() || d.isNull() ? "" : d.isTextual() ? d.asText() : d.toString();
    }

    /** The documented GCS notification, for another object of the same bucket. */
    private static void publishObjectFinalized(String object, long generation, long size) {
        JsonNode f = fixture("gcs-object-finalize-json-api-v1.json");
        Map<String, String> a = attributes(f);
        a.put("objectId", object);
        a.put("objectGeneration", Long.toString(generation));
        ObjectNode d = (ObjectNode) f.get("data").deepCopy();
        d.put("name", object).put("generation", Long.toString(generation)).put("size", Long.toString(size));
        PubSubEmulatorResource.publish(d.toString(), a);
    }

    private static List<Map<String, Object>> decisions(String pipeline) {
        return TestApi.decisions(pipeline);
    }

    @Test
    @SuppressWarnings("unchecked")
    void finalizedObjectsAreBatchedIntoOneRequest() {
        publishObjectFinalized("labels/2026-11-27/a.parquet", 1001, 100);
        publishObjectFinalized("labels/2026-11-27/b.parquet", 1002, 200);
        List<Map<String, Object>> d = await().atMost(Duration.ofSeconds(30)).until(() -> decisions("gcp-data"), l -> !l.isEmpty());
        Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) d.get(0).get("request")).get("metadata");
        assertEquals(2, metadata.get("eventCount"));
        assertTrue(((List<String>) metadata.get("dataUris")).containsAll(List.of(
                "gs://mlops-data-prod/labels/2026-11-27/a.parquet", "gs://mlops-data-prod/labels/2026-11-27/b.parquet")));
        assertEquals(300, ((Number) metadata.get("totalBytes")).intValue());
    }

    @Test
    void aPoisonMessageIsDeadLetteredAndAcknowledgedAndTheNextGoesOn() {
        String poison = "{\"half\": ";
        PubSubEmulatorResource.publish(poison, Map.of());
        PubSubEmulatorResource.publish("{\"pipeline\":\"gcp-sched\"}", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions("gcp-sched").stream().anyMatch(x -> "SCHEDULED".equals(x.get("triggerType"))));
        List<Map<String, Object>> letters = admin().get("/api/dead-letters?limit=1000").then().statusCode(200).extract().jsonPath().getList("$");
        List<Map<String, Object>> mine = letters.stream().filter(l -> poison.equals(l.get("payload"))).toList();
        assertEquals(1, mine.size(), "acknowledged once: kept once, not redelivered");
        assertEquals("gcp-pubsub", mine.get(0).get("source"));
        assertEquals(400, mine.get(0).get("status"));
    }

    /** The usual Cloud Scheduler job publishes its own data, no pipeline: a pipeline claims it by an attribute or by its subscription. */
    @Test
    void schedulerMessagesWithoutAPipelineAreClaimedByAttributeAndBySubscription() {
        String jobData = "{\"trigger_type\": \"scheduled\", \"data_window_days\": 7}";
        PubSubEmulatorResource.publish(jobData, Map.of("scheduler-job", "gcp-nightly-retrain"));
        PubSubEmulatorResource.publish(GcpProfile.SCHEDULER_TOPIC, jobData, Map.of());
        for (String pipeline : List.of("gcp-job-attr", "gcp-job-sub")) {
            Map<String, Object> d = await().atMost(Duration.ofSeconds(30)).until(() -> decisions(pipeline).stream().findFirst(), java.util.Optional::isPresent)
                    .orElseThrow();
            assertEquals("SCHEDULED", d.get("triggerType"), pipeline);
            assertEquals("LAUNCHED", d.get("outcome"), pipeline);
        }
        // on the shared subscription, a message of no known shape that no attribute claims is still refused
        String stray = "{\"trigger_type\": \"scheduled\"}";
        PubSubEmulatorResource.publish(stray, Map.of("scheduler-job", "someone-elses-job"));
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(30)).until(() -> admin().get("/api/dead-letters?limit=1000")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(l -> stray.equals(l.get("payload"))).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertEquals(422, letter.get("status"));
        assertTrue(String.valueOf(letter.get("reason")).contains("no pipeline claims it by subscription or attribute"), String.valueOf(letter.get("reason")));
    }

    @Test
    void aNackedMessageIsRedeliveredUntilItSucceeds() throws InterruptedException {
        int before = decisions("gcp-sched").size();
        // the message fails (and is redelivered) some thirty times while the coordinator is stopped: this test's
        // failures, not on the console
        try (var quiet = QuietLogs.off(QuietLogs.CAMEL_ERROR_HANDLER, QuietLogs.CAMEL_QUARTZ_JOB, QuietLogs.PUBSUB_CONSUMER)) {
            admin().post("/api/routes/coordinator/stop").then().statusCode(200);
            try {
                PubSubEmulatorResource.publish("{\"pipeline\":\"gcp-sched\"}", Map.of());
                Thread.sleep(3000);
                assertEquals(before, decisions("gcp-sched").size(), "no decision while the coordinator is down");
            } finally {
                admin().post("/api/routes/coordinator/start").then().statusCode(200);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions("gcp-sched").size() == before + 1);
        String route = "ingest-gcp-" + PubSubEmulatorResource.subscription();
        int failed = admin().get("/api/routes").then().extract().path("find { it.id == '" + route + "' }.exchangesFailed");
        assertTrue(failed > 0, "the message failed (and was nacked) before it succeeded");
    }

    @Test
    void anOpenIncidentIsADriftAlertAndItsCloseIsRecorded() {
        JsonNode open = fixture("monitoring-incident-vertex-endpoint-open.json");
        // The fixture's policy (fraud-feature-drift) is also a monitor of the built-in pipeline fraud: this
        // test's pipeline gcp-drift has a policy of its own (GcpProfile).
        ((ObjectNode) open.get("data").get("incident")).put("policy_name", GcpProfile.DRIFT_POLICY);
        PubSubEmulatorResource.publish(data(open), attributes(open));
        Map<String, Object> alert = await().atMost(Duration.ofSeconds(30)).until(
                () -> decisions("gcp-drift").stream().filter(x -> "LAUNCHED".equals(x.get("outcome"))).findFirst().orElse(null), x -> x != null);
        assertEquals(2, alert.get("priority"), "0.42 is high drift");
        ObjectNode closed = (ObjectNode) open.get("data").deepCopy();
        ((ObjectNode) closed.get("incident")).put("state", "closed").put("ended_at", 1773136800L);
        PubSubEmulatorResource.publish(closed.toString(), Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> decisions("gcp-drift").stream()
                .anyMatch(x -> "LOGGED".equals(x.get("outcome")) && x.get("reasons").toString().contains("alert_resolved")));
    }
}
