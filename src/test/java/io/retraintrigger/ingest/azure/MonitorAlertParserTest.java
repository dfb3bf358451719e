package io.retraintrigger.ingest.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.testing.JsonFixtures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.ingest.azure.Fixtures.read;
import static io.retraintrigger.ingest.azure.Fixtures.with;
import static io.retraintrigger.ingest.azure.Fixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static io.retraintrigger.testing.JsonFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitorAlertParserTest {
    private static final String RESOLVED = "monitor-alert-metric-resolved.json";
    private static final String FIRED = "monitor-alert-metric-fired-test-action.json";
    private static final String DRIFT = "monitor-alert-drift-online-endpoint-fired.json";
    private static final String DRIFT_ALERT_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.AlertsManagement/alerts/7d5e2c1b-4a3f-4e8d-9b6a-1c2d3e4f5a6b";
    private final MonitorAlertParser parser = new MonitorAlertParser();

    private TriggerEvent one(String body) {
        List<TriggerEvent> events = parser.parse(body);
        assertEquals(1, events.size(), () -> "gave " + events);
        return events.get(0);
    }

    @Test
    void documentedResolvedAlertIsAnAlertResolved() {
        TriggerEvent e = one(read(RESOLVED));
        assertEquals(EventKind.ALERT_RESOLVED, e.kind());
        assertEquals("/subscriptions/<subscription ID>/providers/Microsoft.AlertsManagement/alerts/b9569717-bc32-442f-add5-83a997729330/Resolved", e.id());
        assertEquals(Cloud.AZURE, e.cloud());
        assertEquals("Microsoft.AlertsManagement", e.source());
        assertEquals("WCUS-R2-Gen2", e.monitor());
        assertEquals(Instant.parse("2019-03-22T14:03:16.2246313Z"), e.occurredAt(), "resolvedDateTime");
        assertEquals("Resolved", e.attributes().get("state"));
        assertEquals("Sev3", e.attributes().get("severity"));
        assertEquals("Metric", e.attributes().get("signalType"));
        assertEquals("/subscriptions/<subscription id>/resourcegroups/pipelinealertrg/providers/microsoft.compute/virtualmachines/wcus-r2-gen2",
                e.attributes().get("monitorAliases"));
        assertTrue(e.features().isEmpty());
    }

    @Test
    void documentedFiredMetricAlertIsADriftAlertScoredByItsMetricValue() {
        TriggerEvent e = one(read(FIRED));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/12345678-1234-1234-1234-1234567890ab/Fired", e.id());
        assertEquals("test-metricAlertRule", e.monitor());
        assertEquals(List.of(new FeatureScore("Transactions", 78.09)), e.features());
        assertEquals(Instant.parse("2021-11-15T09:35:24.3468506Z"), e.occurredAt());
        assertEquals("Fired", e.attributes().get("state"));
        assertEquals("/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.AlertsManagement/alerts/12345678-1234-1234-1234-1234567890ab",
                e.attributes().get("alertId"));
        assertEquals("/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/test-rg/providers/microsoft.storage/storageaccounts/test-storageaccount",
                e.attributes().get("monitorAliases"), "ARM ids are case-insensitive: lower-cased");
        assertEquals("Azure Monitor alert 'test-metricAlertRule' (Metric, Platform): Transactions = 78.09 (GreaterThan 0.3)",
                e.attributes().get(TriggerEvent.EVIDENCE));
    }

    @Test
    void driftMetricSplitByFeatureNamesEachFeatureAndAliasesTheOnlineEndpoint() {
        TriggerEvent e = one(read(DRIFT));
        assertEquals(DRIFT_ALERT_ID + "/Fired", e.id());
        assertEquals("fraud-feature-drift", e.monitor());
        assertEquals(List.of(new FeatureScore("amount", 0.42), new FeatureScore("merchant_category", 0.17)), e.features());
        assertEquals("/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/mlops/providers/microsoft.machinelearningservices"
                        + "/workspaces/mlops-ws/onlineendpoints/fraud-endpoint/deployments/blue,azureml-endpoint:fraud-endpoint",
                e.attributes().get("monitorAliases"));
        assertEquals("fraud-endpoint", e.attributes().get("endpointName"));
        assertEquals("Sev2", e.attributes().get("severity"));
    }

    @Test
    void theResolutionOfTheSameAlertHasItsOwnIdAndTheSameAliases() {
        TriggerEvent fired = one(read(DRIFT));
        TriggerEvent resolved = one(read("monitor-alert-drift-online-endpoint-resolved.json"));
        assertEquals(EventKind.ALERT_RESOLVED, resolved.kind());
        assertEquals(DRIFT_ALERT_ID + "/Resolved", resolved.id());
        assertEquals(fired.monitor(), resolved.monitor());
        assertEquals(fired.attributes().get("monitorAliases"), resolved.attributes().get("monitorAliases"));
        assertEquals(Instant.parse("2026-03-10T12:20:07.7654321Z"), resolved.occurredAt());
        assertEquals(fired.occurredAt(), one(without("monitor-alert-drift-online-endpoint-resolved.json", "data.essentials.resolvedDateTime")).occurredAt(),
                "without resolvedDateTime (log alerts), the fired time");
    }

    @Test
    void logSearchAlertV2IsScoredByItsMetricValueNamedAfterTheRule() {
        TriggerEvent e = one(read("monitor-alert-log-v2-fired-test-action.json"));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals(List.of(new FeatureScore("test-logAlertRule-v2", 3.0)), e.features(),
                "no metricName, metricMeasureColumn null, no feature dimension: the rule names it");
        assertEquals("Log Alerts V2", e.attributes().get("monitoringService"));
        TriggerEvent byColumn = one(with("monitor-alert-log-v2-fired-test-action.json", "data.alertContext.condition.allOf.0.metricMeasureColumn", "drift_score"));
        assertEquals(List.of(new FeatureScore("drift_score", 3.0)), byColumn.features());
    }

    @Test
    void alertsWithoutANumericValueHaveNoFeaturesAndSaySo() {
        TriggerEvent e = one(read("monitor-alert-log-v1-numresults-test-action.json"));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertTrue(e.features().isEmpty());
        assertEquals("Azure Monitor alert 'test-logAlertRule-v1-numResults' (Log, Log Analytics) carries no metric value in alertContext.condition.allOf",
                e.attributes().get(TriggerEvent.EVIDENCE));
        TriggerEvent noContext = one(without(FIRED, "data.alertContext"));
        assertTrue(noContext.features().isEmpty());
    }

    @Test
    void metricValuesMayBeNumericStrings() {
        TriggerEvent e = one(with(FIRED, "data.alertContext.condition.allOf.0.metricValue", "0.35"));
        assertEquals(List.of(new FeatureScore("Transactions", 0.35)), e.features());
    }

    @Test
    void anAlertInsideAnEventGridEventKeepsTheAlertsId() {
        TriggerEvent wrapped = one(read("monitor-alert-eventgrid-wrapped.json"));
        assertEquals(one(read(DRIFT)), wrapped, "the wrapper changes nothing: same id, same event");
        String cloudEvent = "{\"specversion\":\"1.0\",\"id\":\"x-1\",\"source\":\"/logic/la\",\"type\":\"RetrainTrigger.AzureMonitorAlert\",\"data\":"
                + read(DRIFT) + "}";
        assertEquals(DRIFT_ALERT_ID + "/Fired", one(cloudEvent).id());
        assertEquals(2, parser.parse("[" + read("monitor-alert-eventgrid-wrapped.json") + "," + read("monitor-alert-eventgrid-wrapped.json") + "]").size());
    }

    @Test
    void aLogicAppsWholeTriggerOutputIsUnwrapped() {
        ObjectNode outputs = (ObjectNode) tree("{\"headers\":{\"Content-Type\":\"application/json\",\"User-Agent\":\"IcMBroadcaster/1.0\"}}");
        outputs.set("body", tree(read(DRIFT)));
        assertEquals(one(read(DRIFT)), one(JsonFixtures.json(outputs)));
    }

    @Test
    void conditionsAreReadInAnyCase() {
        TriggerEvent e = one(with(DRIFT, "data.essentials.monitorCondition", "fired"));
        assertEquals(DRIFT_ALERT_ID + "/Fired", e.id());
        assertEquals("Fired", e.attributes().get("state"));
    }

    @Test
    void anotherAlertSchemaIsRefusedWithHowToSwitchOnTheCommonSchema() {
        refused(422, "schemaId is 'AzureMonitorMetricAlert': only the common alert schema (azureMonitorCommonAlertSchema) is read; set 'Enable common"
                + " alert schema' to Yes", () -> parser.parse(read("monitor-alert-non-common-metric.json")));
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: data.essentials.alertId", () -> parser.parse(without(FIRED, "data.essentials.alertId")));
        refused(422, "missing field: data.essentials.alertRule", () -> parser.parse(without(FIRED, "data.essentials.alertRule")));
        refused(422, "missing field: data.essentials.monitorCondition", () -> parser.parse(without(FIRED, "data.essentials.monitorCondition")));
        refused(422, "missing field: data.essentials", () -> parser.parse(without(FIRED, "data.essentials")));
        refused(422, "missing field: data", () -> parser.parse(without(FIRED, "data")));
        refused(422, "missing field: data.data.essentials.alertId",
                () -> parser.parse(without("monitor-alert-eventgrid-wrapped.json", "data.data.essentials.alertId")));
    }

    @Test
    void invalidFieldsAreNamed() {
        refused(422, "invalid field data.essentials.monitorCondition: 'Activated' is not a monitor condition",
                () -> parser.parse(with(FIRED, "data.essentials.monitorCondition", "Activated")));
        refused(422, "invalid field data.alertContext.condition.allOf[0].metricValue: -0.2 is not a drift score",
                () -> parser.parse(with(FIRED, "data.alertContext.condition.allOf.0.metricValue", -0.2)));
        refused(422, "invalid field data.alertContext.condition.allOf[0].metricValue",
                () -> parser.parse(with(FIRED, "data.alertContext.condition.allOf.0.metricValue", "high")));
        refused(422, "invalid field data.essentials.firedDateTime", () -> parser.parse(with(FIRED, "data.essentials.firedDateTime", "3/22/2019 1:36:31 PM")));
        refused(422, "invalid field data.essentials.alertTargetIDs[0]", () -> parser.parse(with(FIRED, "data.essentials.alertTargetIDs", List.of(Map.of()))));
    }

    @Test
    void anEventWhoseDataIsNoAlertIsRefused() {
        refused(422, "unrecognized Azure message: Event Grid event 831e1650-001e-001b-66ab-eeb76e069631 (Microsoft.Storage.BlobCreated): [0].data is not an"
                + " Azure Monitor alert", () -> parser.parse(read("storage-blob-created-eventgrid.json")));
    }

    @Test
    void malformedJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse("{\"schemaId\": "));
        assertNull(MonitorAlertParser.logicAppOutputBody(AzureJson.root(tree("{\"headers\":{},\"body\":{}}"), "")));
    }
}
