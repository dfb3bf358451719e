package io.retraintrigger.ingest.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.testing.JsonFixtures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.retraintrigger.ingest.aws.Fixtures.read;
import static io.retraintrigger.ingest.aws.Fixtures.with;
import static io.retraintrigger.ingest.aws.Fixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static io.retraintrigger.testing.JsonFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudWatchAlarmParserTest {
    private static final String EB_DRIFT = "cloudwatch-alarm-eventbridge-drift.json";
    private final CloudWatchAlarmParser parser = new CloudWatchAlarmParser();

    /** The alarm message inside an SNS envelope fixture. */
    private static String snsMessage(String envelopeFixture) {
        return tree(read(envelopeFixture)).get("Message").asText();
    }

    private static String snsMessageWith(String envelopeFixture, String field, Object value) {
        return with(tree(snsMessage(envelopeFixture)), field, value);
    }

    // --- EventBridge "CloudWatch Alarm State Change"

    @Test
    void documentedSingleMetricAlarmIsADriftAlertScoredByItsDatapoint() {
        TriggerEvent e = parser.parseEventBridge(read("cloudwatch-alarm-eventbridge-single-metric.json"));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("cloudwatch-alarm:ServerCpuTooHigh@2019-10-02T17:04:40.989Z", e.id());
        assertEquals(Cloud.AWS, e.cloud());
        assertEquals("aws.cloudwatch", e.source());
        assertEquals("ServerCpuTooHigh", e.monitor());
        assertEquals(Instant.parse("2019-10-02T17:04:40Z"), e.occurredAt());
        assertEquals(List.of(new FeatureScore("CPUUtilization", 99.50160229693434)), e.features());
        assertEquals("ALARM", e.attributes().get("state"));
        assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh", e.attributes().get("alarmArn"));
        assertTrue(e.attributes().get("reason").startsWith("Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434"));
        assertEquals("50.0", e.attributes().get("threshold"));
        assertFalse(e.attributes().containsKey("endpointName"), "no EndpointName dimension");
        assertFalse(e.attributes().containsKey("monitorAliases"));
    }

    @Test
    void modelMonitorDriftMetricNamesItsFeatureAndEndpoint() {
        TriggerEvent e = parser.parseEventBridge(read(EB_DRIFT));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("fraud-amount-drift", e.monitor());
        assertEquals(List.of(new FeatureScore("amount", 0.42)), e.features());
        assertEquals("prod-endpoint", e.attributes().get("endpointName"));
        assertEquals("sagemaker-endpoint:prod-endpoint", e.attributes().get("monitorAliases"));
        assertEquals("prod-endpoint-data-quality", e.attributes().get("monitoringSchedule"));
        assertEquals("feature_baseline_drift_amount", e.attributes().get("metricName"));
        assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:fraud-amount-drift", e.attributes().get("alarmArn"));
    }

    /** Model Monitor's statistics beside the drift distance (completeness, data values): their datapoint is no drift score. */
    @Test
    void aModelMonitorStatisticCarriesNoDriftScore() {
        for (String metric : List.of("feature_non_null_amount", "feature_data_amount")) {
            TriggerEvent e = parser.parseEventBridge(read(EB_DRIFT).replace("feature_baseline_drift_amount", metric));
            assertEquals(EventKind.DRIFT_ALERT, e.kind());
            assertEquals(List.of(), e.features(), metric);
            assertEquals("metric " + metric + " = 0.42 is a Model Monitor statistic, not a drift distance", e.attributes().get(TriggerEvent.EVIDENCE));
        }
    }

    @Test
    void okStateIsAnAlertResolved() {
        TriggerEvent e = parser.parseEventBridge(read("cloudwatch-alarm-eventbridge-ok.json"));
        assertEquals(EventKind.ALERT_RESOLVED, e.kind());
        assertEquals("cloudwatch-alarm:fraud-amount-drift@2026-03-10T14:05:12.380Z", e.id());
        assertEquals("fraud-amount-drift", e.monitor());
        assertTrue(e.features().isEmpty());
        assertEquals("OK", e.attributes().get("state"));
        assertTrue(e.attributes().get("reason").contains("was not greater than the threshold"));
        assertEquals("sagemaker-endpoint:prod-endpoint", e.attributes().get("monitorAliases"));
    }

    @Test
    void insufficientDataIsAnAlertResolved() {
        TriggerEvent e = parser.parseEventBridge(with(EB_DRIFT, "detail.state.value", "INSUFFICIENT_DATA"));
        assertEquals(EventKind.ALERT_RESOLVED, e.kind());
        assertEquals("INSUFFICIENT_DATA", e.attributes().get("state"));
    }

    @Test
    void metricMathAlarmIsNamedAfterItsExpressionLabel() {
        TriggerEvent e = parser.parseEventBridge(read("cloudwatch-alarm-eventbridge-metric-math.json"));
        assertEquals(List.of(new FeatureScore("Total Network Traffic", 45628.0)), e.features());
        assertEquals("TotalNetworkTrafficTooHigh", e.monitor());
    }

    @Test
    void withoutReasonDataTheReasonTextGivesTheScore() {
        TriggerEvent e = parser.parseEventBridge(Fixtures.without(EB_DRIFT, "detail.state.reasonData"));
        assertEquals(List.of(new FeatureScore("amount", 0.42)), e.features());
        assertNull(e.attributes().get("threshold"));
    }

    @Test
    void withoutAnyDatapointTheAlertCarriesNoScore() {
        String noData = with(tree(without(EB_DRIFT, "detail.state.reasonData")), "detail.state.reason",
                "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].");
        TriggerEvent e = parser.parseEventBridge(noData);
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertTrue(e.features().isEmpty());
        assertEquals("sagemaker-endpoint:prod-endpoint", e.attributes().get("monitorAliases"));
    }

    @Test
    void theLargestOfSeveralDatapointsIsTheScore() {
        String json = with(EB_DRIFT, "detail.state.reasonData",
                "{\"version\":\"1.0\",\"recentDatapoints\":[0.31,0.47,0.35],\"threshold\":0.3}");
        assertEquals(List.of(new FeatureScore("amount", 0.47)), parser.parseEventBridge(json).features());
    }

    @Test
    void missingAndInvalidFieldsAreNamed() {
        refused(422, "missing field: detail.alarmName", () -> parser.parseEventBridge(without(EB_DRIFT, "detail.alarmName")));
        refused(422, "missing field: detail.state", () -> parser.parseEventBridge(without(EB_DRIFT, "detail.state")));
        refused(422, "missing field: detail.state.value", () -> parser.parseEventBridge(without(EB_DRIFT, "detail.state.value")));
        refused(422, "missing field: detail.configuration.metrics[0].metricStat.metric.name",
                () -> parser.parseEventBridge(without(EB_DRIFT, "detail.configuration.metrics.0.metricStat.metric.name")));
        refused(422, "invalid field detail.state.value: 'PENDING'", () -> parser.parseEventBridge(with(EB_DRIFT, "detail.state.value", "PENDING")));
        refused(422, "invalid field detail.state.reason", () -> parser.parseEventBridge(with(EB_DRIFT, "detail.state.reasonData",
                "{\"recentDatapoints\":[-2.5]}")));
    }

    // --- the alarm message CloudWatch publishes to SNS

    @Test
    void documentedSnsAlarmMessage() {
        TriggerEvent e = parser.parseSnsMessage("95df01b4-ee98-5cb9-9903-4c221d41eb5e", null, snsMessage("sns-cloudwatch-alarm-sample.json"));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("cloudwatch-alarm:EXAMPLE@2015-06-03T17:43:27.123Z", e.id());
        assertEquals("EXAMPLE", e.monitor());
        assertEquals(List.of(new FeatureScore("NetworkOut", 1234.0)), e.features());
        assertEquals(Instant.parse("2015-06-03T17:43:27.123Z"), e.occurredAt(), "StateChangeTime with a +0000 offset");
        assertEquals("arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE", e.attributes().get("alarmArn"));
        assertEquals("0.0", e.attributes().get("threshold"));
    }

    @Test
    void snsDriftAlarmTakesTheLargestDatapointAndTheEndpointDimension() {
        TriggerEvent e = parser.parseSnsMessage("0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", null, snsMessage("sns-cloudwatch-alarm-drift.json"));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("churn-tenure-drift", e.monitor());
        assertEquals(List.of(new FeatureScore("tenure", 0.42)), e.features(), "[0.42 (27/11/26 10:00:00), 0.38 (...)]");
        assertEquals("churn-endpoint", e.attributes().get("endpointName"));
        assertEquals("sagemaker-endpoint:churn-endpoint", e.attributes().get("monitorAliases"));
        assertEquals("churn-endpoint-data-quality", e.attributes().get("monitoringSchedule"));
        assertEquals("ALARM", e.attributes().get("state"));
        assertEquals("0.3", e.attributes().get("threshold"));
    }

    @Test
    void snsOkIsAnAlertResolved() {
        TriggerEvent e = parser.parseSnsMessage("7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d", null, snsMessage("sns-cloudwatch-alarm-ok.json"));
        assertEquals(EventKind.ALERT_RESOLVED, e.kind());
        assertEquals("churn-tenure-drift", e.monitor());
        assertEquals("OK", e.attributes().get("state"));
        assertEquals("sagemaker-endpoint:churn-endpoint", e.attributes().get("monitorAliases"));
        assertEquals(Instant.parse("2026-11-27T13:05:29.011Z"), e.occurredAt());
    }

    @Test
    void theOlderReasonWordingStillGivesTheScore() {
        String message = snsMessageWith("sns-cloudwatch-alarm-drift.json", "NewStateReason",
                "Threshold Crossed: 1 datapoint (0.35) was greater than or equal to the threshold (0.3).");
        assertEquals(List.of(new FeatureScore("tenure", 0.35)), parser.parseSnsMessage("m-1", null, message).features());
    }

    @Test
    void dimensionsWithCapitalisedKeysAndEndpointNameAreRead() {
        JsonNode alarm = tree(snsMessage("sns-cloudwatch-alarm-drift.json"));
        String message = with(alarm, "Trigger.Dimensions", List.of(java.util.Map.of("Name", "EndpointName", "Value", "ep-2")));
        TriggerEvent e = parser.parseSnsMessage("m-2", null, message);
        assertEquals("sagemaker-endpoint:ep-2", e.attributes().get("monitorAliases"));
    }

    @Test
    void withoutStateChangeTimeTheSnsTimestampIsTheTime() {
        String message = JsonFixtures.json(removeField(tree(snsMessage("sns-cloudwatch-alarm-drift.json")), "StateChangeTime"));
        Instant published = Instant.parse("2026-11-27T10:05:31.640Z");
        assertEquals(published, parser.parseSnsMessage("m-3", published, message).occurredAt());
    }

    @Test
    void rawDeliveryWithoutMessageIdIsIdentifiedByAlarmAndChangeTime() {
        TriggerEvent e = parser.parseSnsMessage(null, null, snsMessage("sns-cloudwatch-alarm-drift.json"));
        assertEquals("cloudwatch-alarm:churn-tenure-drift@2026-11-27T10:05:31.572Z", e.id());
    }

    @Test
    void snsMissingFieldsAreNamed() {
        JsonNode alarm = tree(snsMessage("sns-cloudwatch-alarm-drift.json"));
        refused(422, "missing field: AlarmName", () -> parser.parseSnsMessage("m", null, JsonFixtures.json(removeField(alarm.deepCopy(), "AlarmName"))));
        refused(422, "missing field: NewStateValue", () -> parser.parseSnsMessage("m", null, JsonFixtures.json(removeField(alarm.deepCopy(), "NewStateValue"))));
        refused(422, "invalid field StateChangeTime", () -> parser.parseSnsMessage("m", null, with(alarm.deepCopy(), "StateChangeTime", "soon")));
    }

    @Test
    void featureNaming() {
        assertEquals("amount", CloudWatchAlarmParser.featureName("feature_baseline_drift_amount"));
        assertEquals("feature_non_null_amount", CloudWatchAlarmParser.featureName("feature_non_null_amount"));
        assertEquals("feature_baseline_drift_", CloudWatchAlarmParser.featureName("feature_baseline_drift_"));
    }

    private static JsonNode removeField(JsonNode n, String field) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove(field);
        return n;
    }
}
