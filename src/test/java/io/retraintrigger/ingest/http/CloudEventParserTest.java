package io.retraintrigger.ingest.http;

import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudEventParserTest {
    private static final String STRUCTURED = "application/cloudevents+json";
    private static final String DATA = "{\"pipeline\":\"churn\",\"uri\":\"s3://bucket/incoming/part-0001.parquet\",\"sizeBytes\":1048576}";
    private static final String DRIFT = "{\"pipeline\":\"churn\",\"monitor\":\"evidently\",\"features\":["
            + "{\"name\":\"amount\",\"score\":0.42},{\"name\":\"age\",\"score\":0.05}]}";
    private static final String TICK = "{\"pipeline\":\"churn\"}";
    private static final String RESOLVED = "{\"pipeline\":\"churn\",\"monitor\":\"evidently\",\"attributes\":{\"state\":\"OK\",\"reason\":\"back under 0.1\"}}";

    private final CloudEventParser parser = new CloudEventParser();

    private static String structured(String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"evt-1\",\"source\":\"/test/source\",\"type\":\"" + type + "\","
                + "\"time\":\"2026-03-10T12:00:00Z\",\"datacontenttype\":\"application/json\""
                + (data == null ? "" : ",\"data\":" + data) + "}";
    }

    private static Map<String, String> binaryHeaders(String type) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce-specversion", "1.0");
        h.put("ce-id", "evt-1");
        h.put("ce-source", "/test/source");
        h.put("ce-type", type);
        h.put("ce-time", "2026-03-10T12:00:00Z");
        return h;
    }

    private TriggerEvent structuredEvent(String type, String data) {
        return parser.parse(STRUCTURED, Map.of(), structured(type, data));
    }

    private TriggerEvent binaryEvent(String type, String data) {
        return parser.parse("application/json", binaryHeaders(type), data);
    }

    private BadInputException bad(int status, String messagePart, String contentType, Map<String, String> headers, String body) {
        BadInputException e = assertThrows(BadInputException.class, () -> parser.parse(contentType, headers, body));
        assertEquals(status, e.status(), () -> "status of '" + e.getMessage() + "'");
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' should name '" + messagePart + "'");
        return e;
    }

    private BadInputException badStructured(int status, String messagePart, String body) {
        return bad(status, messagePart, STRUCTURED, Map.of(), body);
    }

    private BadInputException badData(int status, String messagePart, String type, String data) {
        badStructured(status, messagePart, structured(type, data));
        return bad(status, messagePart, "application/json", binaryHeaders(type), data);
    }

    // ---- the four types, both modes ----

    private static void assertDataArrival(TriggerEvent e) {
        assertEquals("evt-1", e.id());
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals(Cloud.LOCAL, e.cloud());
        assertEquals("/test/source", e.source());
        assertEquals("churn", e.pipeline());
        assertEquals(Instant.parse("2026-03-10T12:00:00Z"), e.occurredAt());
        assertEquals("s3://bucket/incoming/part-0001.parquet", e.dataUri());
        assertEquals(1_048_576L, e.sizeBytes());
        assertEquals(List.of(), e.features());
    }

    private static void assertDrift(TriggerEvent e) {
        assertEquals("evt-1", e.id());
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("churn", e.pipeline());
        assertEquals("evidently", e.monitor());
        assertEquals(List.of(new FeatureScore("amount", 0.42), new FeatureScore("age", 0.05)), e.features());
        assertNull(e.dataUri());
        assertEquals(Instant.parse("2026-03-10T12:00:00Z"), e.occurredAt());
    }

    private static void assertTick(TriggerEvent e) {
        assertEquals("evt-1", e.id());
        assertEquals(EventKind.SCHEDULE_TICK, e.kind());
        assertEquals("churn", e.pipeline());
        assertEquals("/test/source", e.source());
        assertEquals(Instant.parse("2026-03-10T12:00:00Z"), e.occurredAt());
    }

    private static void assertResolved(TriggerEvent e) {
        assertEquals("evt-1", e.id());
        assertEquals(EventKind.ALERT_RESOLVED, e.kind());
        assertEquals("churn", e.pipeline());
        assertEquals("evidently", e.monitor());
        assertEquals(Map.of("state", "OK", "reason", "back under 0.1"), e.attributes());
        assertEquals(Instant.parse("2026-03-10T12:00:00Z"), e.occurredAt());
    }

    @Test
    void structuredAlertResolved() {
        assertResolved(structuredEvent(CloudEventParser.ALERT_RESOLVED, RESOLVED));
    }

    @Test
    void binaryAlertResolved() {
        assertResolved(binaryEvent(CloudEventParser.ALERT_RESOLVED, RESOLVED));
    }

    @Test
    void aResolvedAlertNeedsItsPipelineOrMonitorAndStringAttributes() {
        TriggerEvent byMonitor = structuredEvent(CloudEventParser.ALERT_RESOLVED, "{\"monitor\":\"evidently\"}");
        assertNull(byMonitor.pipeline());
        assertEquals(Map.of(), byMonitor.attributes());
        badData(422, "missing field: pipeline", CloudEventParser.ALERT_RESOLVED, "{\"attributes\":{}}");
        badData(422, "invalid field attributes: must be an object of strings", CloudEventParser.ALERT_RESOLVED,
                "{\"pipeline\":\"churn\",\"attributes\":[1]}");
        badData(422, "invalid field attributes.state: must be a string", CloudEventParser.ALERT_RESOLVED,
                "{\"pipeline\":\"churn\",\"attributes\":{\"state\":1}}");
    }

    @Test
    void structuredDataArrived() {
        assertDataArrival(structuredEvent(CloudEventParser.DATA_ARRIVED, DATA));
    }

    @Test
    void structuredDriftDetected() {
        assertDrift(structuredEvent(CloudEventParser.DRIFT_DETECTED, DRIFT));
    }

    @Test
    void structuredScheduleTick() {
        assertTick(structuredEvent(CloudEventParser.SCHEDULE_TICK, TICK));
    }

    @Test
    void binaryDataArrived() {
        assertDataArrival(binaryEvent(CloudEventParser.DATA_ARRIVED, DATA));
    }

    @Test
    void binaryDriftDetected() {
        assertDrift(binaryEvent(CloudEventParser.DRIFT_DETECTED, DRIFT));
    }

    @Test
    void binaryScheduleTick() {
        assertTick(binaryEvent(CloudEventParser.SCHEDULE_TICK, TICK));
    }

    @Test
    void typeNamesAreTheDocumentedOnes() {
        assertEquals("io.retraintrigger.data.arrived", CloudEventParser.DATA_ARRIVED);
        assertEquals("io.retraintrigger.drift.detected", CloudEventParser.DRIFT_DETECTED);
        assertEquals("io.retraintrigger.schedule.tick", CloudEventParser.SCHEDULE_TICK);
        assertEquals("io.retraintrigger.alert.resolved", CloudEventParser.ALERT_RESOLVED);
    }

    @Test
    void contentTypeParametersAndHeaderCaseAreIgnored() {
        assertTick(parser.parse("Application/CloudEvents+JSON; charset=utf-8", Map.of(), structured(CloudEventParser.SCHEDULE_TICK, TICK)));

        Map<String, String> h = new LinkedHashMap<>();
        binaryHeaders(CloudEventParser.SCHEDULE_TICK).forEach((k, v) -> h.put(k.toUpperCase(), v));
        assertTick(parser.parse("application/json; charset=utf-8", h, TICK));
    }

    @Test
    void binaryModeWithoutContentTypeIsJson() {
        assertTick(parser.parse(null, binaryHeaders(CloudEventParser.SCHEDULE_TICK), TICK));
    }

    @Test
    void optionalFields() {
        // no time, no sizeBytes, no pipeline on data arrival (matched later by URI); drift with only a monitor
        String ce = "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"s\",\"type\":\"" + CloudEventParser.DATA_ARRIVED
                + "\",\"data\":{\"uri\":\"gs://bucket/x.csv\"}}";
        TriggerEvent e = parser.parse(STRUCTURED, Map.of(), ce);
        assertNull(e.occurredAt());
        assertNull(e.pipeline());
        assertEquals(0, e.sizeBytes());
        assertEquals("gs://bucket/x.csv", e.dataUri());

        TriggerEvent d = structuredEvent(CloudEventParser.DRIFT_DETECTED, "{\"monitor\":\"m1\",\"features\":[{\"name\":\"a\",\"score\":0}]}");
        assertNull(d.pipeline());
        assertEquals("m1", d.monitor());
    }

    @Test
    void azureBlobUrisAreAccepted() {
        TriggerEvent e = structuredEvent(CloudEventParser.DATA_ARRIVED,
                "{\"uri\":\"https://acct01.blob.core.windows.net/container/x.parquet\"}");
        assertEquals("https://acct01.blob.core.windows.net/container/x.parquet", e.dataUri());
    }

    // ---- 400: malformed ----

    @Test
    void malformedJsonIs400() {
        badStructured(400, "malformed JSON", "{\"specversion\":\"1.0\",");
        badStructured(400, "malformed JSON", "");
        bad(400, "malformed JSON", "application/json", binaryHeaders(CloudEventParser.SCHEDULE_TICK), "{pipeline: churn}");
    }

    @Test
    void structuredEventMustBeAnObject() {
        badStructured(400, "JSON object", "[1,2]");
    }

    @Test
    void missingAttributesAre400() {
        for (String attribute : List.of("id", "source", "type", "specversion")) {
            String body = structured(CloudEventParser.SCHEDULE_TICK, TICK).replace("\"" + attribute + "\":", "\"x-" + attribute + "\":");
            badStructured(400, attribute, body);

            Map<String, String> h = binaryHeaders(CloudEventParser.SCHEDULE_TICK);
            if (!attribute.equals("specversion") && !attribute.equals("type")) {
                h.remove("ce-" + attribute);
                bad(400, "missing CloudEvents attribute: " + attribute, "application/json", h, TICK);
            }
        }
        // binary mode: one of ce-specversion / ce-type is enough to be taken for a CloudEvent
        Map<String, String> noType = binaryHeaders(CloudEventParser.SCHEDULE_TICK);
        noType.remove("ce-type");
        bad(400, "missing CloudEvents attribute: type", "application/json", noType, TICK);
        Map<String, String> noVersion = binaryHeaders(CloudEventParser.SCHEDULE_TICK);
        noVersion.remove("ce-specversion");
        bad(400, "missing CloudEvents attribute: specversion", "application/json", noVersion, TICK);
    }

    @Test
    void blankAttributeIs400() {
        badStructured(400, "missing CloudEvents attribute: id", structured(CloudEventParser.SCHEDULE_TICK, TICK).replace("\"evt-1\"", "\" \""));
    }

    @Test
    void specversion03Is400() {
        BadInputException e = badStructured(400, "specversion",
                structured(CloudEventParser.SCHEDULE_TICK, TICK).replace("\"1.0\"", "\"0.3\""));
        assertTrue(e.getMessage().contains("0.3"), e.getMessage());

        Map<String, String> h = binaryHeaders(CloudEventParser.SCHEDULE_TICK);
        h.put("ce-specversion", "0.3");
        bad(400, "specversion", "application/json", h, TICK);
    }

    @Test
    void unknownTypeIs400() {
        BadInputException e = badData(400, "unknown event type", "com.example.other", TICK);
        assertTrue(e.getMessage().contains("com.example.other"), e.getMessage());
        assertTrue(e.getMessage().endsWith("known: [io.retraintrigger.data.arrived, io.retraintrigger.drift.detected, io.retraintrigger.schedule.tick,"
                + " io.retraintrigger.alert.resolved]"), e.getMessage());
    }

    @Test
    void badTimeIs400() {
        badStructured(400, "time", structured(CloudEventParser.SCHEDULE_TICK, TICK).replace("2026-03-10T12:00:00Z", "yesterday"));
    }

    // ---- 422: well-formed but invalid data ----

    @Test
    void missingDataIs422() {
        badStructured(422, "missing data", structured(CloudEventParser.DATA_ARRIVED, null));
        badStructured(422, "missing data", structured(CloudEventParser.DATA_ARRIVED, "null"));
        bad(422, "missing data", "application/json", binaryHeaders(CloudEventParser.DATA_ARRIVED), "");
        bad(422, "missing data", "application/json", binaryHeaders(CloudEventParser.DATA_ARRIVED), null);
    }

    @Test
    void dataThatIsNotAnObjectIs422() {
        badData(422, "JSON object", CloudEventParser.DATA_ARRIVED, "[\"s3://bucket/x\"]");
    }

    @Test
    void missingUriIs422() {
        badData(422, "uri", CloudEventParser.DATA_ARRIVED, "{\"pipeline\":\"churn\",\"sizeBytes\":10}");
    }

    @Test
    void badUriIs422() {
        BadInputException e = badData(422, "uri", CloudEventParser.DATA_ARRIVED, "{\"uri\":\"ftp://host/file.csv\"}");
        assertTrue(e.getMessage().contains("ftp://host/file.csv"), e.getMessage());
        badData(422, "uri", CloudEventParser.DATA_ARRIVED, "{\"uri\":\"s3://\"}");
        badData(422, "uri", CloudEventParser.DATA_ARRIVED, "{\"uri\":\"\"}");
        badData(422, "uri", CloudEventParser.DATA_ARRIVED, "{\"uri\":42}");
    }

    @Test
    void negativeSizeBytesIs422() {
        BadInputException e = badData(422, "sizeBytes", CloudEventParser.DATA_ARRIVED, "{\"uri\":\"s3://b/x\",\"sizeBytes\":-1}");
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        badData(422, "sizeBytes", CloudEventParser.DATA_ARRIVED, "{\"uri\":\"s3://b/x\",\"sizeBytes\":1.5}");
        badData(422, "sizeBytes", CloudEventParser.DATA_ARRIVED, "{\"uri\":\"s3://b/x\",\"sizeBytes\":\"10\"}");
    }

    @Test
    void missingFeaturesIs422() {
        badData(422, "features", CloudEventParser.DRIFT_DETECTED, "{\"pipeline\":\"churn\"}");
        badData(422, "features", CloudEventParser.DRIFT_DETECTED, "{\"pipeline\":\"churn\",\"features\":null}");
    }

    @Test
    void emptyFeaturesIs422() {
        badData(422, "features", CloudEventParser.DRIFT_DETECTED, "{\"pipeline\":\"churn\",\"features\":[]}");
        badData(422, "features", CloudEventParser.DRIFT_DETECTED, "{\"pipeline\":\"churn\",\"features\":{\"amount\":0.4}}");
    }

    @Test
    void featureWithoutNameOrScoreIs422() {
        badData(422, "features[1].name", CloudEventParser.DRIFT_DETECTED,
                "{\"pipeline\":\"churn\",\"features\":[{\"name\":\"a\",\"score\":0.1},{\"score\":0.2}]}");
        badData(422, "features[0].score (amount)", CloudEventParser.DRIFT_DETECTED,
                "{\"pipeline\":\"churn\",\"features\":[{\"name\":\"amount\"}]}");
        badData(422, "features[0]", CloudEventParser.DRIFT_DETECTED, "{\"pipeline\":\"churn\",\"features\":[0.4]}");
    }

    @Test
    void nanScoreIs422() {
        // NaN as a JSON literal (not valid JSON, but what Python's json.dumps writes)
        BadInputException e = badData(422, "NaN", CloudEventParser.DRIFT_DETECTED,
                "{\"pipeline\":\"churn\",\"features\":[{\"name\":\"amount\",\"score\":NaN}]}");
        assertTrue(e.getMessage().contains("amount"), e.getMessage());
    }

    @Test
    void infiniteScoreIs422() {
        badData(422, "infinite", CloudEventParser.DRIFT_DETECTED,
                "{\"pipeline\":\"churn\",\"features\":[{\"name\":\"amount\",\"score\":Infinity}]}");
    }

    @Test
    void textScoreIs422() {
        BadInputException e = badData(422, "not a number", CloudEventParser.DRIFT_DETECTED,
                "{\"pipeline\":\"churn\",\"features\":[{\"name\":\"amount\",\"score\":\"abc\"}]}");
        assertTrue(e.getMessage().contains("abc"), e.getMessage());
    }

    @Test
    void negativeScoreIs422() {
        badData(422, "negative", CloudEventParser.DRIFT_DETECTED,
                "{\"pipeline\":\"churn\",\"features\":[{\"name\":\"amount\",\"score\":-0.2}]}");
    }

    @Test
    void driftWithoutPipelineOrMonitorIs422() {
        badData(422, "pipeline", CloudEventParser.DRIFT_DETECTED, "{\"features\":[{\"name\":\"amount\",\"score\":0.2}]}");
    }

    @Test
    void scheduleTickWithoutPipelineIs422() {
        badData(422, "pipeline", CloudEventParser.SCHEDULE_TICK, "{}");
        badData(422, "pipeline", CloudEventParser.SCHEDULE_TICK, "{\"pipeline\":\"\"}");
    }

    // ---- 415: not a CloudEvent we take ----

    @Test
    void noContentTypeAndNoCeHeadersIs415() {
        bad(415, "not a CloudEvent", null, Map.of(), TICK);
        bad(415, "not a CloudEvent", "application/json", Map.of("content-length", "20"), TICK);
    }

    @Test
    void otherUnsupportedMediaIs415() {
        bad(415, "batch", "application/cloudevents-batch+json", Map.of(), "[" + structured(CloudEventParser.SCHEDULE_TICK, TICK) + "]");
        bad(415, "text/plain", "text/plain", binaryHeaders(CloudEventParser.SCHEDULE_TICK), TICK);
        badStructured(415, "data_base64", "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"s\",\"type\":\""
                + CloudEventParser.SCHEDULE_TICK + "\",\"data_base64\":\"eyJ9\"}");
    }

    /** The hand-read UTC form and OffsetDateTime.parse agree; what the fast path does not take is still read or refused. */
    @org.junit.jupiter.api.Test
    void timesReadByHandAgreeWithOffsetDateTime() {
        for (String t : java.util.List.of("2026-03-02T08:00:00Z", "2024-02-29T23:59:59.5Z", "1999-12-31T00:00:00.123456789Z", "2026-03-02T08:00:00.100Z",
                "2026-03-02T10:00:00+02:00", "2026-03-02T08:00:00.1234+00:00")) {
            org.junit.jupiter.api.Assertions.assertEquals(java.time.OffsetDateTime.parse(t).toInstant(), CloudEventParser.instant(t), t);
        }
        for (String bad : java.util.List.of("2026-02-30T08:00:00Z", "2026-13-02T08:00:00Z", "2026-03-02T24:00:00Z",
                "2026-03-02 08:00:00Z", "2026-03-0xT08:00:00Z", "yesterday")) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(io.retraintrigger.model.BadInputException.class, () -> CloudEventParser.instant(bad), bad);
            org.junit.jupiter.api.Assertions.assertEquals(400, e.status());
        }
    }
}
