package io.retraintrigger.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.retraintrigger.ingest.http.CloudEventParser;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.as;
import static io.retraintrigger.api.TestApi.newId;
import static io.retraintrigger.api.TestApi.postEvent;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/events/export: the events POST /api/events accepted, each once, in time order, as CloudEvent
 * lines that parse back; its range and its refusals. Pipeline {@code exported} (application.properties):
 * data arrivals, a low drift alert and a resolved alert, nothing launched. The events carry times some
 * years ahead, a range no other test's events (which occur now) fall in.
 */
@QuarkusTest
class EventExportTest {
    private static final String DATA = "io.retraintrigger.data.arrived";
    private static final String EXPORT = "/api/events/export";

    private final CloudEventParser parser = new CloudEventParser();
    private Instant base;

    @BeforeEach
    void range() {
        base = Instant.now().plus(Duration.ofDays(365 + ThreadLocalRandom.current().nextLong(0, 3650))).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private static String event(String id, String type, Instant time, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/tests/export\",\"type\":\"" + type + "\",\"time\":\"" + time
                + "\",\"data\":" + data + "}";
    }

    private static String data(String object, long size) {
        return "{\"uri\":\"s3://test-bucket/exported/" + object + ".parquet\",\"sizeBytes\":" + size + "}";
    }

    /** The export of a range; answered again while the login throttle blocks this address (another class's failed logins, 3 s here). */
    private Response export(Instant from, Instant to) {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Response r;
        do {
            r = as("viewer", "test-viewer").queryParam("from", from.toString()).queryParam("to", to.toString()).get(EXPORT);
        } while (r.statusCode() == 429 && System.nanoTime() < until);
        return r;
    }

    private List<TriggerEvent> lines(Response r) {
        List<TriggerEvent> out = new ArrayList<>();
        String body = r.asString();
        assertEquals(200, r.statusCode(), body);
        if (body.isEmpty()) return out;
        assertTrue(body.endsWith("\n"), "every line ends with a newline");
        for (String line : body.split("\n")) out.add(parser.parse("application/cloudevents+json", Map.of(), line));
        return out;
    }

    @Test
    void theAcceptedEventsAreExportedOnceInTimeOrderAsCloudEventLines() {
        String d1 = newId(), d2 = newId(), d3 = newId(), drift = newId(), resolved = newId();
        postEvent(event(d1, DATA, base.plusSeconds(1), data("a", 10))).then().statusCode(202).body("duplicate", equalTo(false));
        postEvent(event(d2, DATA, base.plusSeconds(3), data("b", 20))).then().statusCode(202);
        postEvent(event(d3, DATA, base.plusSeconds(2), data("c", 30))).then().statusCode(202);
        postEvent(event(drift, "io.retraintrigger.drift.detected", base.plusSeconds(4),
                "{\"pipeline\":\"exported\",\"monitor\":\"exported-monitor\",\"features\":[{\"name\":\"amount\",\"score\":0.05}]}"))
                .then().statusCode(202).body("kind", equalTo("DRIFT_ALERT"));
        postEvent(event(resolved, "io.retraintrigger.alert.resolved", base.plusSeconds(6),
                "{\"pipeline\":\"exported\",\"monitor\":\"exported-monitor\",\"attributes\":{\"state\":\"OK\"}}"))
                .then().statusCode(202).body("kind", equalTo("ALERT_RESOLVED"));
        // a duplicate of d1, at another time and of another object: the first one stays
        postEvent(event(d1, DATA, base.plusSeconds(5), data("a-again", 99))).then().statusCode(202).body("duplicate", equalTo(true));
        // outside the range: before it, and at its end (the end is left out)
        String before = newId(), atEnd = newId();
        postEvent(event(before, DATA, base.minusSeconds(1), data("before", 1))).then().statusCode(202);
        postEvent(event(atEnd, DATA, base.plus(Duration.ofHours(1)), data("end", 1))).then().statusCode(202);

        Response r = export(base, base.plus(Duration.ofHours(1)));
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("application/x-ndjson"), r.contentType());
        assertEquals("chunked", r.header("Transfer-Encoding"), "streamed, not one body of known length");
        List<TriggerEvent> events = lines(r);
        assertEquals(List.of(d1, d3, d2, drift, resolved), events.stream().map(TriggerEvent::id).toList());

        assertEquals(TriggerEvent.dataArrival(d1, Cloud.LOCAL, "/tests/export", "exported", base.plusSeconds(1),
                "s3://test-bucket/exported/a.parquet", 10), events.get(0));
        assertEquals(TriggerEvent.dataArrival(d3, Cloud.LOCAL, "/tests/export", "exported", base.plusSeconds(2),
                "s3://test-bucket/exported/c.parquet", 30), events.get(1));
        assertEquals(TriggerEvent.driftAlert(drift, Cloud.LOCAL, "/tests/export", "exported", base.plusSeconds(4),
                List.of(new FeatureScore("amount", 0.05)), "exported-monitor"), events.get(3));
        assertEquals(EventKind.ALERT_RESOLVED, events.get(4).kind());
        assertEquals(Map.of("state", "OK"), events.get(4).attributes());

        // the events outside, in ranges of their own
        assertEquals(List.of(before), lines(export(base.minusSeconds(60), base)).stream().map(TriggerEvent::id).toList());
        assertEquals(List.of(atEnd), lines(export(base.plus(Duration.ofHours(1)), base.plus(Duration.ofHours(2)))).stream()
                .map(TriggerEvent::id).toList());
        // an offset instead of Z (the + sent as %2B): the same instants
        Response offset = as("viewer", "test-viewer").queryParam("from", base.atOffset(ZoneOffset.ofHours(2)).toString())
                .queryParam("to", base.plusSeconds(3).atOffset(ZoneOffset.ofHours(-5)).toString()).get(EXPORT);
        assertEquals(List.of(d1, d3), lines(offset).stream().map(TriggerEvent::id).toList());
        // nothing in a range: an empty answer
        Response empty = export(base.minus(Duration.ofDays(300)), base.minus(Duration.ofDays(299)));
        assertEquals(200, empty.statusCode());
        assertEquals("", empty.asString());
    }

    @Test
    void aViewerMayExportAnUnauthenticatedCallerMayNot() {
        String q = "?from=" + base + "&to=" + base.plusSeconds(1);
        as("viewer", "test-viewer").get(EXPORT + q).then().statusCode(200);
        io.restassured.RestAssured.given().get(EXPORT + q).then().statusCode(401);
        as("ingester", "test-ingester").get(EXPORT + q).then().statusCode(403);
        as("viewer", "wrong").get(EXPORT + q).then().statusCode(401);
    }

    @Test
    void aBadRangeIs400NamingTheParameter() {
        String from = base.toString(), to = base.plusSeconds(60).toString();
        refused(Map.of("from", "yesterday", "to", to), "invalid parameter from: 'yesterday' is not an RFC 3339 time");
        refused(Map.of("from", "2026-13-01T00:00:00Z", "to", to), "invalid parameter from");
        refused(Map.of("from", "2026-12-01", "to", to), "invalid parameter from");
        refused(Map.of("from", "2026-12-01T00:00:00", "to", to), "invalid parameter from"); // no offset
        refused(Map.of("to", to), "missing parameter from");
        refused(Map.of("from", from), "missing parameter to");
        refused(Map.of("from", from, "to", "1e9"), "invalid parameter to");
        refused(Map.of("from", to, "to", from), "invalid parameter to: must be later than from");
        refused(Map.of("from", from, "to", from), "invalid parameter to: must be later than from");
        refused(Map.of("from", from, "to", base.plus(Duration.ofDays(400)).plusSeconds(1).toString()), "invalid parameter to: more than 400 days after from");
        as("viewer", "test-viewer").queryParam("from", from).queryParam("to", base.plus(Duration.ofDays(400)).toString()).get(EXPORT)
                .then().statusCode(200);
        // an offset whose + was not encoded arrives as a space
        Response plus = as("viewer", "test-viewer").urlEncodingEnabled(false).get(EXPORT + "?from=2026-12-01T01:00:00+01:00&to=" + to);
        assertEquals(400, plus.statusCode(), plus.asString());
        assertTrue(plus.jsonPath().getString("error").contains("%2B"), plus.asString());
        // hostile values: never a 5xx, always the JSON error
        for (String v : List.of("\u0000", "x".repeat(5000), "2026-12-01T00:00:00Z\u0000", "２０２６-12-01T00:00:00Z", "9999-12-31T23:59:59.9999999999Z",
                "0000-01-01T00:00:00+23:59", "2026-12-01T00:00:00Z' OR '1'='1", "%", "-1", "")) {
            Response r = as("viewer", "test-viewer").queryParam("from", v).queryParam("to", to).get(EXPORT);
            assertTrue(r.statusCode() == 400 || r.statusCode() == 414, "from=" + v + ": " + r.statusCode() + " " + r.asString());
            assertTrue(r.contentType().startsWith("application/json"), r.contentType());
            assertTrue(r.asString().startsWith("{\"error\":"), r.asString());
        }
    }

    private static void refused(Map<String, String> query, String error) {
        Response r = as("viewer", "test-viewer").queryParams(query).get(EXPORT);
        assertEquals(400, r.statusCode(), query + ": " + r.asString());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertTrue(r.jsonPath().getString("error").startsWith(error), query + ": " + r.jsonPath().getString("error"));
        assertFalse(r.asString().contains("Exception"), r.asString());
    }

    @Test
    void exportsAreReadPageByPageWhateverTheirSize() {
        // more than a few pages of the archive (500 events a page): each once, in order
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            String id = newId();
            ids.add(id);
            postEvent(event(id, DATA, base.plusMillis(i), data("many-" + i, i))).then().statusCode(202);
        }
        Response r = admin().queryParam("from", base.toString()).queryParam("to", base.plusSeconds(2).toString()).get(EXPORT);
        assertEquals(200, r.statusCode());
        assertEquals(ids, lines(r).stream().map(TriggerEvent::id).toList());
        admin().queryParam("from", base.toString()).queryParam("to", base.plusSeconds(2).toString()).get(EXPORT)
                .then().header("Content-Type", startsWith("application/x-ndjson"));
    }
}
