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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitoringIncidentParserTest {
    private static final String DOCUMENTED = "monitoring-incident-closed-documented.json";
    private static final String OPEN = "monitoring-incident-vertex-endpoint-open.json";
    private final MonitoringIncidentParser parser = new MonitoringIncidentParser();

    @Test
    void documentedClosedIncidentIsAnAlertResolved() {
        TriggerEvent e = parser.parse(message(DOCUMENTED));
        assertEquals(EventKind.ALERT_RESOLVED, e.kind());
        assertEquals(Cloud.GCP, e.cloud());
        assertEquals("monitoring.googleapis.com", e.source());
        assertEquals("0.opqiw61fsv7p/closed", e.id());
        assertEquals("Monitor-Project-Cluster", e.monitor());
        assertEquals(Instant.ofEpochSecond(1577877071), e.occurredAt(), "ended_at");
        assertTrue(e.features().isEmpty());
        Map<String, String> a = e.attributes();
        assertEquals("0.opqiw61fsv7p", a.get("incidentId"));
        assertEquals("closed", a.get("state"));
        assertTrue(a.get("summary").contains("returned to normal"));
        assertEquals("https://console.cloud.google.com/monitoring/alerting/incidents/0.lxfiw61fsv7p?project=internal-project", a.get("url"));
        assertEquals("VM Instance - CPU utilization [MAX]", a.get("conditionName"));
        assertEquals("compute.googleapis.com/instance/cpu/utilization", a.get("metricType"));
        assertEquals("gce_instance", a.get("resourceType"));
        assertEquals("0.835", a.get("observedValue"));
        assertEquals("0.9", a.get("threshold"));
        assertEquals("1.2", a.get("version"));
        assertEquals("projects/internal-project/alertPolicies/1234567890123456789", a.get("monitorAliases"),
                "the policy's resource name, from condition.name; a VM has no Vertex AI alias");
    }

    @Test
    void documentedIncidentWhenOpenIsADriftAlertScoredByItsObservedValue() {
        TriggerEvent e = parser.parse(with(DOCUMENTED, "data.incident.state", "open"));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("0.opqiw61fsv7p/open", e.id());
        assertEquals(Instant.ofEpochSecond(1577840461), e.occurredAt(), "started_at");
        assertEquals(List.of(new FeatureScore("CPU utilization", 0.835)), e.features(), "named by the metric's displayName");
        assertTrue(e.attributes().get("evidence").contains("observed value 0.835"), e.attributes().get("evidence"));
    }

    @Test
    void vertexEndpointDriftIncidentNamesTheFeatureByTheMetricLabelAndTheEndpoint() {
        TriggerEvent e = parser.parse(message(OPEN));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("0.nrwotmyokd9n/open", e.id());
        assertEquals("fraud-feature-drift", e.monitor());
        assertEquals(Instant.parse("2026-03-10T09:00:00Z"), e.occurredAt());
        assertEquals(List.of(new FeatureScore("amount", 0.42)), e.features());
        assertEquals("vertex-endpoint:1234567890123456789,projects/mlops-prod/alertPolicies/12942885046098191375",
                e.attributes().get("monitorAliases"));
        assertEquals("open", e.attributes().get("state"));
        assertEquals("Feature drift above 0.3", e.attributes().get("conditionName"));
    }

    @Test
    void openAndCloseOfOneIncidentAreTwoEventsButARedeliveryIsOne() {
        TriggerEvent open = parser.parse(message(OPEN));
        TriggerEvent closed = parser.parse(with(OPEN, "data.incident.state", "closed"));
        assertEquals(EventKind.ALERT_RESOLVED, closed.kind());
        assertNotEquals(open.id(), closed.id());
        assertEquals(open.id(), parser.parse(with(OPEN, "messageId", "another-message")).id());
        assertEquals("vertex-endpoint:1234567890123456789,projects/mlops-prod/alertPolicies/12942885046098191375",
                closed.attributes().get("monitorAliases"), "a resolution is matched to its pipeline like the alert");
    }

    @Test
    void aClosedIncidentWithoutEndedAtTakesStartedAt() {
        assertEquals(Instant.parse("2026-03-10T09:00:00Z"), parser.parse(with(OPEN, "data.incident.state", "closed")).occurredAt());
    }

    @Test
    void aModelDeploymentMonitoringJobResourceGivesTheJobAlias() {
        PubSubMessage m = message(JsonFixtures.set(GcpFixtures.tree(OPEN), "data.incident.resource",
                Map.of("type", "aiplatform.googleapis.com/ModelDeploymentMonitoringJob",
                        "labels", Map.of("model_deployment_monitoring_job", "6680511704087920640", "location", "us-central1"))));
        assertTrue(parser.parse(m).attributes().get("monitorAliases").startsWith("vertex-monitoring-job:6680511704087920640,"));
    }

    @Test
    void withoutANumericObservedValueTheAlertCarriesNoScore() {
        String cancelled = "Incident cancelled because the alert policy condition was deleted or modified while incident was active.";
        TriggerEvent text = parser.parse(with(OPEN, "data.incident.observed_value", cancelled));
        assertEquals(EventKind.DRIFT_ALERT, text.kind());
        assertTrue(text.features().isEmpty());
        assertEquals(cancelled, text.attributes().get("observedValue"));
        assertTrue(text.attributes().get("evidence").contains("no numeric observed value"));

        TriggerEvent absent = parser.parse(without(OPEN, "data.incident.observed_value"));
        assertTrue(absent.features().isEmpty());
        assertFalse(absent.attributes().containsKey("observedValue"));
    }

    @Test
    void aNumericObservedValueAsANumberIsReadToo() {
        assertEquals(List.of(new FeatureScore("amount", 0.5)), parser.parse(with(OPEN, "data.incident.observed_value", 0.5)).features());
    }

    @Test
    void featureNamingFallsBackFromLabelToDisplayNameToTypeToCondition() {
        assertEquals(List.of(new FeatureScore("Feature drift", 0.42)),
                parser.parse(without(OPEN, "data.incident.metric.labels")).features());
        assertEquals(List.of(new FeatureScore("custom.googleapis.com/model/feature_drift", 0.42)),
                parser.parse(message(JsonFixtures.remove(JsonFixtures.remove(GcpFixtures.tree(OPEN), "data.incident.metric.labels"),
                        "data.incident.metric.displayName"))).features());
        assertEquals(List.of(new FeatureScore("Feature drift above 0.3", 0.42)), parser.parse(without(OPEN, "data.incident.metric")).features());
        assertEquals(List.of(new FeatureScore("tenure", 0.42)),
                parser.parse(with(OPEN, "data.incident.metric.labels", Map.of("feature_name", "tenure"))).features());
    }

    @Test
    void theChannelsTestNotificationIsRead() {
        TriggerEvent e = parser.parse(message(JsonFixtures.set(JsonFixtures.set(JsonFixtures.set(GcpFixtures.tree(OPEN),
                "data.version", "test"), "data.incident.state", "OPEN"), "data.incident.started_at", 0)));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("0.nrwotmyokd9n/open", e.id());
        assertEquals(Instant.parse("2026-03-10T09:00:07.210Z"), e.occurredAt(), "started_at 0 means unset: the publish time");
        assertEquals("test", e.attributes().get("version"));
    }

    @Test
    void missingAndInvalidFieldsAreNamed() {
        refused(422, "missing field: data.incident.incident_id", () -> parser.parse(without(OPEN, "data.incident.incident_id")));
        refused(422, "missing field: data.incident.state", () -> parser.parse(without(OPEN, "data.incident.state")));
        refused(422, "missing field: data.incident.policy_name", () -> parser.parse(without(DOCUMENTED, "data.incident.policy_name")));
        refused(422, "missing field: data.incident", () -> parser.parse(without(OPEN, "data.incident")));
        refused(422, "invalid field data.incident.state: 'acknowledged'", () -> parser.parse(with(OPEN, "data.incident.state", "acknowledged")));
        refused(422, "invalid field data.incident.started_at", () -> parser.parse(with(OPEN, "data.incident.started_at", "soon")));
        refused(422, "invalid field data.incident.observed_value", () -> parser.parse(with(OPEN, "data.incident.observed_value", "-1.5")));
        refused(422, "invalid field data.incident.metric", () -> parser.parse(with(OPEN, "data.incident.metric", "cpu")));
    }

    @Test
    void malformedJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse(withData(OPEN, "{\"incident\": {")));
        refused(400, "malformed JSON", () -> parser.parse(withData(OPEN, "")));
    }

    @Test
    void anIncidentNamesNoPipeline() {
        assertNull(parser.parse(message(DOCUMENTED)).pipeline());
    }
}
