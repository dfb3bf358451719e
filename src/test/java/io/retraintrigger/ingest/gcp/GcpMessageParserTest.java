package io.retraintrigger.ingest.gcp;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.ingest.gcp.GcpFixtures.message;
import static io.retraintrigger.ingest.gcp.GcpFixtures.with;
import static io.retraintrigger.ingest.gcp.GcpFixtures.withData;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GcpMessageParserTest {
    private final GcpMessageParser parser = new GcpMessageParser();

    private TriggerEvent one(PubSubMessage m) {
        List<TriggerEvent> events = parser.parse(m.data(), m.attributes(), m.messageId(), m.publishTime());
        assertEquals(1, events.size(), () -> m + " gave " + events);
        return events.get(0);
    }

    private TriggerEvent one(String fixture) {
        return one(message(fixture));
    }

    @Test
    void detectsEachFormat() {
        assertEquals(EventKind.DATA_ARRIVAL, one("gcs-object-finalize-json-api-v1.json").kind());
        assertEquals(EventKind.DATA_ARRIVAL, one("gcs-object-finalize-none.json").kind());
        assertEquals(EventKind.DATA_ARRIVAL, one("gcs-object-finalize-overwrite.json").kind());
        assertEquals(EventKind.IGNORED, one("gcs-object-delete-json-api-v1.json").kind());
        assertEquals(EventKind.IGNORED, one("gcs-object-archive-none.json").kind());
        assertEquals(EventKind.ALERT_RESOLVED, one("monitoring-incident-closed-documented.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("monitoring-incident-vertex-endpoint-open.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("vertex-model-monitoring-anomaly.json").kind());
        assertEquals(EventKind.LAUNCH_STATUS, one("vertex-pipeline-job-succeeded.json").kind());
        assertEquals(EventKind.IGNORED, one("vertex-pipeline-job-task-event.json").kind());
        assertEquals(EventKind.SCHEDULE_TICK, one("cloud-scheduler-data-pipeline.json").kind());
        assertEquals(EventKind.SCHEDULE_TICK, one("cloud-scheduler-attribute-pipeline.json").kind());
        assertEquals(EventKind.SCHEDULE_TICK, one("cloud-scheduler-job-name.json").kind());
    }

    @Test
    void everyEventIsFromGoogleCloudWithTheParsersIds() {
        assertEquals(Cloud.GCP, one("gcs-object-finalize-json-api-v1.json").cloud());
        assertEquals("gs://mlops-data-prod/labels/2026-03-10/part-0001.parquet#1773129601395814", one("gcs-object-finalize-json-api-v1.json").id());
        assertEquals("0.opqiw61fsv7p/closed", one("monitoring-incident-closed-documented.json").id());
        assertEquals("log-entry:model-monitoring-demo/b0e9c0e9-0979-4aff-a5d3-4c0912469f9a@a1#2022-02-03T19:00:00Z",
                one("vertex-model-monitoring-anomaly.json").id());
        assertEquals("cloud-scheduler:2345678901234567", one("cloud-scheduler-data-pipeline.json").id());
        assertEquals(Cloud.GCP, one("vertex-pipeline-job-succeeded.json").cloud());
    }

    @Test
    void anEmptyMessageWithAPipelineAttributeIsATick() {
        TriggerEvent e = one(new PubSubMessage(null, Map.of("pipeline", "fraud"), "55", Instant.parse("2026-03-08T02:00:00Z")));
        assertEquals(EventKind.SCHEDULE_TICK, e.kind());
        assertEquals("fraud", e.pipeline());
    }

    @Test
    void storageAttributesWinOverTheData() {
        assertEquals(EventKind.DATA_ARRIVAL, one(withData("gcs-object-finalize-none.json", "{\"pipeline\": \"fraud\"}")).kind());
    }

    @Test
    void anAnomalyDetectedByItsPayloadTypeAlone() {
        PubSubMessage m = with("vertex-model-monitoring-anomaly.json", "data.logName", "projects/p/logs/exported-anomalies");
        assertEquals(EventKind.DRIFT_ALERT, one(m).kind());
    }

    @Test
    void unknownShapesAre422NamingWhatWasSeen() {
        refused(422, "unrecognized GCP message: the data is a JSON object with fields [hello, count] and attributes []",
                () -> parser.parse("{\"hello\":\"world\",\"count\":3}", Map.of(), "1", null));
        refused(422, "the data is a JSON array", () -> parser.parse("[1,2]", Map.of(), "1", null));
        refused(422, "the data is not JSON ('Hello world!') and attributes [origin]",
                () -> parser.parse("Hello world!", Map.of("origin", "test"), "1", null));
        refused(422, "unrecognized GCP message: no data and attributes [origin]", () -> parser.parse("", Map.of("origin", "test"), "1", null));
        refused(422, "unrecognized GCP message: no data and attributes []", () -> parser.parse(null, null, "1", null));
        refused(422, "a Cloud Logging entry of log 'cloudaudit.googleapis.com/activity' (resource type gce_instance)",
                () -> parser.parse("{\"logName\":\"projects/p/logs/cloudaudit.googleapis.com%2Factivity\",\"insertId\":\"x\","
                        + "\"resource\":{\"type\":\"gce_instance\"}}", Map.of(), "1", null));
    }

    @Test
    void malformedJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse("{\"incident\": {", Map.of(), "1", null));
        refused(400, "malformed JSON", () -> parser.parse("[1, 2", Map.of(), "1", null));
        refused(400, "malformed JSON in Cloud Storage notification data", () -> parser.parse("{\"name\": ", Map.of("eventType", "OBJECT_FINALIZE",
                "payloadFormat", "JSON_API_V1", "bucketId", "b", "objectId", "o", "objectGeneration", "1"), "1", null));
    }

    @Test
    void missingFieldsOfADetectedFormatAreNamed() {
        refused(422, "missing field: data.incident.state", () -> one(GcpFixtures.without("monitoring-incident-vertex-endpoint-open.json", "data.incident.state")));
        refused(422, "missing field: attributes.objectId", () -> one(GcpFixtures.without("gcs-object-finalize-none.json", "attributes.objectId")));
        refused(422, "missing field: data.jsonPayload.featureAnomalies",
                () -> one(GcpFixtures.without("vertex-model-monitoring-anomaly.json", "data.jsonPayload.featureAnomalies")));
        refused(422, "missing field: data.jsonPayload.state", () -> one(GcpFixtures.without("vertex-pipeline-job-succeeded.json", "data.jsonPayload.state")));
    }
}
