package io.retraintrigger.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.retraintrigger.api.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.event;
import static io.retraintrigger.api.TestApi.newId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/events: what is accepted, what is refused with which status, and that refusals are kept. */
@QuarkusTest
class EventIngestionRouteTest {
    private static final String DATA = "io.retraintrigger.data.arrived";
    private static final String DRIFT = "io.retraintrigger.drift.detected";

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("malformed JSON", "application/cloudevents+json", "{\"specversion\": \"1.0\", \"id\": ", 400, "malformed JSON"),
                Arguments.of("unknown type", "application/cloudevents+json", event(newId(), "io.example.other", "{}"), 400, "unknown event type"),
                Arguments.of("missing id", "application/cloudevents+json",
                        "{\"specversion\":\"1.0\",\"source\":\"/t\",\"type\":\"" + DATA + "\",\"data\":{\"uri\":\"s3://test-bucket/sized/x\"}}", 400, "id"),
                Arguments.of("missing data field", "application/cloudevents+json", event(newId(), DATA, "{\"sizeBytes\": 3}"), 422, "missing field: uri"),
                Arguments.of("NaN score", "application/cloudevents+json",
                        event(newId(), DRIFT, "{\"pipeline\":\"drift-low\",\"features\":[{\"name\":\"amount\",\"score\":NaN}]}"), 422, "NaN"),
                Arguments.of("negative score", "application/cloudevents+json",
                        event(newId(), DRIFT, "{\"pipeline\":\"drift-low\",\"features\":[{\"name\":\"amount\",\"score\":-0.2}]}"), 422, "negative"),
                Arguments.of("non-numeric score", "application/cloudevents+json",
                        event(newId(), DRIFT, "{\"pipeline\":\"drift-low\",\"features\":[{\"name\":\"amount\",\"score\":\"high\"}]}"), 422, "not a number"),
                Arguments.of("unknown pipeline", "application/cloudevents+json",
                        event(newId(), "io.retraintrigger.schedule.tick", "{\"pipeline\":\"no-such-pipeline\"}"), 404, "unknown pipeline 'no-such-pipeline'"),
                Arguments.of("no matching data source", "application/cloudevents+json",
                        event(newId(), DATA, "{\"uri\":\"s3://other-bucket/x.csv\",\"sizeBytes\":1}"), 422, "no pipeline's data-sources match s3://other-bucket/x.csv"),
                Arguments.of("not a CloudEvent", "text/plain", "hello", 415, "not a CloudEvent"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithItsStatusAndKeptAsDeadLetter(String what, String contentType, String body, int status, String message) {
        String deadLetterId = admin().contentType(contentType).body(body).post("/api/events")
                .then().statusCode(status).contentType("application/json")
                .body("error", containsString(message))
                .extract().path("deadLetterId");

        List<Map<String, Object>> letters = admin().get("/api/dead-letters?limit=1000").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> letter = letters.stream().filter(l -> deadLetterId.equals(l.get("id"))).findFirst().orElseThrow();
        assertEquals(status, letter.get("status"));
        assertTrue(letter.get("reason").toString().contains(message), letter.toString());
        assertEquals(body, letter.get("payload"));
        assertEquals("api", letter.get("source"));
    }

    @Test
    void bodyOverTheLimitIs413AndKept() {
        String huge = event(newId(), DATA, "{\"uri\":\"s3://test-bucket/sized/x\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}");
        admin().contentType("application/cloudevents+json").body(huge).post("/api/events")
                .then().statusCode(413).body("error", startsWith("body too large"));
        List<Map<String, Object>> letters = admin().get("/api/dead-letters").then().extract().jsonPath().getList("$");
        assertTrue(letters.stream().anyMatch(l -> ((Integer) l.get("status")) == 413));
    }

    @Test
    void binaryModeIsAccepted() {
        String id = newId();
        admin().header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/tests").header("ce-type", "io.retraintrigger.schedule.tick")
                .contentType("application/json").body("{\"pipeline\":\"cooldown\"}").post("/api/events")
                .then().statusCode(202).body("id", equalTo(id)).body("kind", equalTo("SCHEDULE_TICK")).body("pipeline", equalTo("cooldown"))
                .body("duplicate", equalTo(false));
    }

    @Test
    void aDuplicateIsAcceptedAndCountedOnce() {
        String id = newId();
        String body = event(id, DATA, "{\"uri\":\"https://acct.blob.core.windows.net/dedup/a.parquet\",\"sizeBytes\":10}");
        Response first = TestApi.postEvent(body);
        first.then().statusCode(202).body("duplicate", equalTo(false)).body("pipeline", equalTo("dedup"));
        int before = admin().get("/api/pipelines/dedup").then().statusCode(200).extract().path("state.openBatch.events");

        TestApi.postEvent(body).then().statusCode(202).body("duplicate", equalTo(true)).body("id", equalTo(id));

        int after = admin().get("/api/pipelines/dedup").then().statusCode(200).extract().path("state.openBatch.events");
        assertEquals(before, after, "the duplicate must not enter the batch");
    }
}
