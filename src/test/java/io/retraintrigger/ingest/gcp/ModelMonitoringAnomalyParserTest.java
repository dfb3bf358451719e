package io.retraintrigger.ingest.gcp;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.testing.JsonFixtures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.ingest.gcp.GcpFixtures.message;
import static io.retraintrigger.ingest.gcp.GcpFixtures.with;
import static io.retraintrigger.ingest.gcp.GcpFixtures.withData;
import static io.retraintrigger.ingest.gcp.GcpFixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelMonitoringAnomalyParserTest {
    private static final String ANOMALY = "vertex-model-monitoring-anomaly.json";
    private static final String JOB = "projects/677687165274/locations/us-central1/modelDeploymentMonitoringJobs/6680511704087920640";
    private final ModelMonitoringAnomalyParser parser = new ModelMonitoringAnomalyParser();

    @Test
    void documentedAnomalyEntryIsADriftAlertWithOneScorePerFeature() {
        TriggerEvent e = parser.parse(message(ANOMALY));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals(Cloud.GCP, e.cloud());
        assertEquals("aiplatform.googleapis.com", e.source());
        assertNull(e.pipeline());
        assertEquals(List.of(new FeatureScore("age", 0.9), new FeatureScore("education", 0.6)), e.features());
        assertEquals(JOB, e.monitor());
        assertEquals("vertex-monitoring-job:6680511704087920640,vertex-deployed-model:1645828169292316672", e.attributes().get("monitorAliases"));
        assertEquals(Instant.parse("2022-02-03T19:00:00Z"), e.occurredAt());
        assertEquals("log-entry:model-monitoring-demo/b0e9c0e9-0979-4aff-a5d3-4c0912469f9a@a1#2022-02-03T19:00:00Z", e.id());
        Map<String, String> a = e.attributes();
        assertEquals("RAW_FEATURE_SKEW", a.get("anomalyObjective"));
        assertEquals("1645828169292316672", a.get("deployedModelId"));
        assertEquals("age=0.7,education=0.3", a.get("thresholds"));
        assertEquals("2022-02-03T18:00:00Z", a.get("windowStart"));
        assertEquals("2022-02-03T19:00:00Z", a.get("windowEnd"));
        assertTrue(a.get("evidence").startsWith("Vertex AI Model Monitoring anomaly log entry b0e9c0e9-0979-4aff-a5d3-4c0912469f9a@a1 (RAW_FEATURE_SKEW)"),
                a.get("evidence"));
    }

    @Test
    void theIdFollowsCloudLoggingsOwnIdentityOfAnEntry() {
        TriggerEvent e = parser.parse(message(ANOMALY));
        assertEquals(e.id(), parser.parse(with(ANOMALY, "messageId", "4412345678909999")).id(), "a sink exporting the entry again");
        assertNotEquals(e.id(), parser.parse(with(ANOMALY, "data.timestamp", "2022-02-03T20:00:00Z")).id(),
                "the same insertId at another time is another entry");
    }

    @Test
    void aDriftObjectiveAndAProductionLogNameAreReadAlike() {
        PubSubMessage m = message(JsonFixtures.set(JsonFixtures.set(GcpFixtures.tree(ANOMALY), "data.jsonPayload.anomalyObjective", "RAW_FEATURE_DRIFT"),
                "data.logName", "projects/mlops-prod/logs/aiplatform.googleapis.com%2Fmodel_monitoring_anomaly"));
        TriggerEvent e = parser.parse(m);
        assertEquals("RAW_FEATURE_DRIFT", e.attributes().get("anomalyObjective"));
        assertTrue(e.id().startsWith("log-entry:mlops-prod/"), e.id());
    }

    @Test
    void aFeatureListedTwiceKeepsItsLargerDeviation() {
        TriggerEvent e = parser.parse(with(ANOMALY, "data.jsonPayload.featureAnomalies", List.of(
                Map.of("featureDisplayName", "age", "deviation", 0.4, "threshold", 0.3),
                Map.of("featureDisplayName", "age", "deviation", 0.55, "threshold", 0.3))));
        assertEquals(List.of(new FeatureScore("age", 0.55)), e.features());
    }

    @Test
    void withoutTheJobNameInThePayloadTheResourceLabelsBuildIt() {
        TriggerEvent e = parser.parse(without(ANOMALY, "data.jsonPayload.modelDeploymentMonitoringJob"));
        assertEquals(JOB, e.monitor());
        assertEquals("vertex-monitoring-job:6680511704087920640,vertex-deployed-model:1645828169292316672", e.attributes().get("monitorAliases"));
    }

    @Test
    void anEndpointInThePayloadAddsItsAlias() {
        TriggerEvent e = parser.parse(with(ANOMALY, "data.jsonPayload.endpoint", "projects/677687165274/locations/us-central1/endpoints/987654321"));
        assertTrue(e.attributes().get("monitorAliases").endsWith(",vertex-endpoint:987654321"), e.attributes().get("monitorAliases"));
    }

    @Test
    void withoutAnEntryTimestampTheSinksTimestampAttributeServes() {
        TriggerEvent e = parser.parse(without(ANOMALY, "data.timestamp"));
        assertEquals(Instant.parse("2022-02-03T19:00:00Z"), e.occurredAt(), "attribute logging.googleapis.com/timestamp");
        assertEquals(parser.parse(message(ANOMALY)).id(), e.id());
    }

    @Test
    void missingAndInvalidFieldsAreNamed() {
        refused(422, "missing field: data.insertId", () -> parser.parse(without(ANOMALY, "data.insertId")));
        refused(422, "missing field: data.jsonPayload", () -> parser.parse(without(ANOMALY, "data.jsonPayload")));
        refused(422, "missing field: data.jsonPayload.featureAnomalies", () -> parser.parse(without(ANOMALY, "data.jsonPayload.featureAnomalies")));
        refused(422, "invalid field data.jsonPayload.featureAnomalies: lists no feature",
                () -> parser.parse(with(ANOMALY, "data.jsonPayload.featureAnomalies", List.of())));
        refused(422, "missing field: data.jsonPayload.featureAnomalies[1].featureDisplayName",
                () -> parser.parse(without(ANOMALY, "data.jsonPayload.featureAnomalies.1.featureDisplayName")));
        refused(422, "missing field: data.jsonPayload.featureAnomalies[0].deviation",
                () -> parser.parse(without(ANOMALY, "data.jsonPayload.featureAnomalies.0.deviation")));
        refused(422, "invalid field data.jsonPayload.featureAnomalies[0].deviation",
                () -> parser.parse(with(ANOMALY, "data.jsonPayload.featureAnomalies.0.deviation", -0.2)));
        refused(422, "invalid field data.jsonPayload.featureAnomalies[0].deviation",
                () -> parser.parse(with(ANOMALY, "data.jsonPayload.featureAnomalies.0.deviation", "high")));
        refused(422, "invalid field data.timestamp", () -> parser.parse(with(ANOMALY, "data.timestamp", "noon")));
        PubSubMessage noJob = message(JsonFixtures.remove(JsonFixtures.remove(GcpFixtures.tree(ANOMALY), "data.jsonPayload.modelDeploymentMonitoringJob"),
                "data.resource"));
        refused(422, "missing field: data.jsonPayload.modelDeploymentMonitoringJob", () -> parser.parse(noJob));
    }

    @Test
    void malformedJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse(withData(ANOMALY, "{\"insertId\": \"x\",")));
    }
}
