package io.retraintrigger.ingest.azure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.testing.JsonFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.retraintrigger.ingest.azure.Fixtures.read;
import static io.retraintrigger.ingest.azure.Fixtures.with;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static io.retraintrigger.testing.JsonFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AzureMessageParserTest {
    private static final String MESSAGE_ID = "5d3a1f0e9c8b4a7d6e5f4a3b2c1d0e9f";
    private final AzureMessageParser parser = new AzureMessageParser();

    private TriggerEvent one(String fixture) {
        return one(read(fixture), Map.of());
    }

    private TriggerEvent one(String body, Map<String, Object> properties) {
        List<TriggerEvent> events = parser.parse(body, properties, MESSAGE_ID);
        assertEquals(1, events.size(), () -> "gave " + events);
        return events.get(0);
    }

    @Test
    void detectsEachFormat() {
        assertEquals(EventKind.DATA_ARRIVAL, one("storage-blob-created-eventgrid.json").kind());
        assertEquals(EventKind.DATA_ARRIVAL, one("storage-blob-created-cloudevents.json").kind());
        assertEquals(EventKind.DATA_ARRIVAL, one("storage-blob-created-cloudevent-single.json").kind());
        assertEquals(EventKind.DATA_ARRIVAL, one("storage-gen2-blob-created-flushwithclose-eventgrid.json").kind());
        assertEquals(EventKind.IGNORED, one("storage-gen2-blob-created-createfile-eventgrid.json").kind());
        assertEquals(EventKind.IGNORED, one("storage-blob-deleted-eventgrid.json").kind());
        assertEquals(EventKind.IGNORED, one("storage-blob-tier-changed-cloudevent.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("monitor-alert-metric-fired-test-action.json").kind());
        assertEquals(EventKind.ALERT_RESOLVED, one("monitor-alert-metric-resolved.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("monitor-alert-log-v2-fired-test-action.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("monitor-alert-eventgrid-wrapped.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("ml-dataset-drift-detected-eventgrid.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("ml-dataset-drift-detected-cloudevents.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("ml-model-monitor-threshold-breached-eventgrid.json").kind());
        assertEquals(EventKind.LAUNCH_STATUS, one("ml-run-status-changed-eventgrid.json").kind());
        assertEquals(EventKind.LAUNCH_STATUS, one("ml-run-completed-cloudevents.json").kind());
        assertEquals(EventKind.IGNORED, one("ml-model-registered-eventgrid.json").kind());
        assertEquals(EventKind.SCHEDULE_TICK, one("schedule-tick.json").kind());
        assertEquals(EventKind.SCHEDULE_TICK, one("schedule-tick-typed.json").kind());
        assertEquals(EventKind.SCHEDULE_TICK, one("schedule-tick-cloudevent.json").kind());
        assertEquals(3, parser.parse(read("storage-events-batch-eventgrid.json"), null, MESSAGE_ID).size());
    }

    @Test
    void everyEventIsFromAzureAndDelegatesUnchanged() {
        for (String f : List.of("storage-blob-created-eventgrid.json", "monitor-alert-drift-online-endpoint-fired.json",
                "ml-dataset-drift-detected-eventgrid.json", "ml-pipeline-job-completed-cloudevent.json", "schedule-tick.json")) {
            assertEquals(Cloud.AZURE, one(f).cloud(), f);
        }
        assertEquals(new BlobStorageEventParser().parse(read("storage-gen2-blob-created-flushwithclose-eventgrid.json")),
                parser.parse(read("storage-gen2-blob-created-flushwithclose-eventgrid.json"), null, MESSAGE_ID));
        assertEquals(new MonitorAlertParser().parse(read("monitor-alert-drift-online-endpoint-fired.json")),
                parser.parse(read("monitor-alert-drift-online-endpoint-fired.json"), null, MESSAGE_ID));
        assertEquals(new MachineLearningEventParser().parse(read("ml-model-monitor-threshold-breached-eventgrid.json")),
                parser.parse(read("ml-model-monitor-threshold-breached-eventgrid.json"), null, MESSAGE_ID));
    }

    @Test
    void aScheduleTickIsIdentifiedByTheMessageIdAndOtherEventsByTheirOwnIds() {
        assertEquals(MESSAGE_ID, one("schedule-tick.json").id());
        assertEquals("https://my-storage-account.blob.core.windows.net/testcontainer/new-file.txt#0x8D4BCC2E4835CD0", one("storage-blob-created-eventgrid.json").id(), "not the message id");
        assertEquals("/subscriptions/<subscription ID>/providers/Microsoft.AlertsManagement/alerts/b9569717-bc32-442f-add5-83a997729330/Resolved",
                one("monitor-alert-metric-resolved.json").id());
    }

    @Test
    void anEmptyMessageIsATickWhenItsPropertiesNameAPipeline() {
        TriggerEvent e = one("", Map.of("pipeline", "fraud"));
        assertEquals(EventKind.SCHEDULE_TICK, e.kind());
        assertEquals("fraud", e.pipeline());
        assertEquals(MESSAGE_ID, e.id());
        assertEquals("churn", one("{}", Map.of("type", ScheduleTickParser.TYPE, "pipeline", "churn")).pipeline());
    }

    @Test
    void oneArrayMayMixEventsOfSeveralServices() {
        ArrayNode mixed = (ArrayNode) tree(read("storage-blob-created-eventgrid.json"));
        mixed.addAll((ArrayNode) tree(read("ml-run-completed-eventgrid.json")));
        mixed.add(tree(read("monitor-alert-eventgrid-wrapped.json")));
        List<TriggerEvent> events = parser.parse(JsonFixtures.json(mixed), null, MESSAGE_ID);
        assertEquals(List.of(EventKind.DATA_ARRIVAL, EventKind.LAUNCH_STATUS, EventKind.DRIFT_ALERT), events.stream().map(TriggerEvent::kind).toList());
    }

    @Test
    void eventGridsOwnEventsAreIgnored() {
        TriggerEvent e = one("{\"id\":\"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66\",\"topic\":\"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage"
                + "/storageAccounts/acct\",\"subject\":\"\",\"data\":{\"validationCode\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"},"
                + "\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\",\"eventTime\":\"2018-01-25T22:12:19.4556811Z\","
                + "\"metadataVersion\":\"1\",\"dataVersion\":\"1\"}", null);
        assertEquals(EventKind.IGNORED, e.kind());
        assertTrue(e.attributes().get("reason").startsWith("Event Grid event Microsoft.EventGrid.SubscriptionValidationEvent"), e.attributes().toString());
    }

    @Test
    void unknownShapesAre422NamingWhatWasSeen() {
        refused(422, "unrecognized Azure message: the message is an Event Grid event of type 'Microsoft.KeyVault.SecretNewVersionCreated' from /subscriptions/x",
                () -> parser.parse(with(with("storage-blob-deleted-eventgrid.json", "0.topic", "/subscriptions/x"), "0.eventType",
                        "Microsoft.KeyVault.SecretNewVersionCreated").replaceFirst("^\\[", "").replaceFirst("]\\s*$", ""), null, MESSAGE_ID));
        refused(422, "unrecognized Azure message: [1] is a CloudEvent of type 'Contoso.Items.ItemReceived'", () -> parser.parse(
                "[" + read("storage-blob-created-cloudevent-single.json") + ",{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"Contoso.Items.ItemReceived\","
                        + "\"source\":\"/contoso\",\"data\":{\"itemSku\":\"x\"}}]", null, MESSAGE_ID));
        refused(422, "unrecognized Azure message: the message is a JSON object with fields [hello, count]",
                () -> parser.parse("{\"hello\":\"world\",\"count\":3}", null, MESSAGE_ID));
        refused(422, "the message is a JSON object with fields [pipeline, type]",
                () -> parser.parse("{\"pipeline\":\"fraud\",\"type\":\"io.retraintrigger.drift.detected\"}", null, MESSAGE_ID));
        refused(422, "[0] is a JSON number; an array must hold Event Grid events", () -> parser.parse("[1,2]", null, MESSAGE_ID));
        refused(422, "the message is a JSON string", () -> parser.parse("\"text\"", null, MESSAGE_ID));
        refused(422, "the message is an empty JSON array", () -> parser.parse("[]", null, MESSAGE_ID));
    }

    @Test
    void alertsInAnotherSchemaAreRefusedWithHowToSwitchOnTheCommonOne() {
        refused(422, "set 'Enable common alert schema' to Yes", () -> parser.parse(read("monitor-alert-non-common-metric.json"), null, MESSAGE_ID));
        ObjectNode logV1 = (ObjectNode) tree("{\"SubscriptionId\":\"11111111-1111-1111-1111-111111111111\",\"AlertRuleName\":\"test-logAlertRule-v1-numResults\","
                + "\"SearchQuery\":\"Heartbeat\",\"ResultCount\":1,\"AlertType\":\"Number of results\"}");
        refused(422, "log search alert in its own (non-common) schema (AlertRuleName 'test-logAlertRule-v1-numResults'); set 'Enable common alert schema' to Yes",
                () -> parser.parse(JsonFixtures.json(logV1), null, MESSAGE_ID));
    }

    @Test
    void malformedJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse("{\"eventType\": ", null, MESSAGE_ID));
        refused(400, "malformed JSON: empty message", () -> parser.parse("", null, MESSAGE_ID));
        refused(400, "malformed JSON: empty message", () -> parser.parse(null, Map.of("other", "x"), MESSAGE_ID));
        refused(400, "malformed JSON", () -> parser.parse("not json", null, MESSAGE_ID));
    }

    @Test
    void missingFieldsAreNamedThroughTheDispatcher() {
        refused(422, "missing field: [0].data.contentLength",
                () -> parser.parse(Fixtures.without("storage-blob-created-eventgrid.json", "0.data.contentLength"), null, MESSAGE_ID));
        refused(422, "missing field: data.essentials.alertRule",
                () -> parser.parse(Fixtures.without("monitor-alert-metric-resolved.json", "data.essentials.alertRule"), null, MESSAGE_ID));
        refused(422, "missing field: [0].data.DriftCoefficient",
                () -> parser.parse(Fixtures.without("ml-dataset-drift-detected-cloudevents.json", "0.data.DriftCoefficient"), null, MESSAGE_ID));
        refused(422, "missing field: messageId", () -> parser.parse(read("schedule-tick.json"), null, null));
        refused(422, "missing field: id", () -> parser.parse("{\"eventType\":\"Microsoft.Storage.BlobCreated\",\"subject\":\"/x\"}", null, MESSAGE_ID));
    }

    @Test
    void aCustomEventWithStringDataIsRefusedForItsTypeNotItsData() {
        refused(422, "unrecognized Azure message: the message is a CloudEvent of type 'Contoso.Note' from /contoso; known:",
                () -> parser.parse("{\"specversion\":\"1.0\",\"id\":\"n-1\",\"source\":\"/contoso\",\"type\":\"Contoso.Note\",\"data\":\"hello\"}",
                        null, MESSAGE_ID));
    }
}
