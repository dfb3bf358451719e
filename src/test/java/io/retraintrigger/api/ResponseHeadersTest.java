package io.retraintrigger.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.event;
import static io.retraintrigger.api.TestApi.newId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing of a request (its headers, its query) comes back as a response header, on any route that answers HTTP. */
@QuarkusTest
class ResponseHeadersTest {

    /** A request that tries to plant headers in its answer, by query parameter and by request header. */
    private static RequestSpecification hostile() {
        return admin()
                .queryParam("Set-Cookie", "x=y")
                .queryParam("Location", "https://evil.example")
                .queryParam("X-Frame-Options", "ALLOWALL")
                .header("X-Echo-Me", "planted")
                .header("Refresh", "0;url=https://evil.example");
    }

    @Test
    void noRequestHeaderOrQueryParameterIsEchoed() {
        Map<String, Function<RequestSpecification, Response>> calls = new LinkedHashMap<>();
        calls.put("GET decisions 200", r -> r.get("/api/decisions"));
        calls.put("GET decision 404", r -> r.get("/api/decisions/dec-none"));
        calls.put("GET decisions 400", r -> r.queryParam("limit", "abc").get("/api/decisions"));
        calls.put("GET pipelines 200", r -> r.get("/api/pipelines"));
        calls.put("GET dead letters 200", r -> r.get("/api/dead-letters"));
        calls.put("GET routes 200", r -> r.get("/api/routes"));
        calls.put("POST events 202", r -> r.contentType("application/cloudevents+json")
                .body(event(newId(), "io.retraintrigger.data.arrived", "{\"uri\":\"s3://test-bucket/api-input/h.parquet\",\"sizeBytes\":1}"))
                .post("/api/events"));
        calls.put("POST events 400", r -> r.contentType("application/cloudevents+json").body("{not json").post("/api/events"));
        calls.put("POST approval 404", r -> r.contentType("application/json").body("{}").post("/api/approvals/none/approve"));
        calls.put("POST route control 404", r -> r.post("/api/routes/no-such-route/stop"));
        for (Map.Entry<String, Function<RequestSpecification, Response>> call : calls.entrySet()) {
            Response r = call.getValue().apply(hostile());
            String what = call.getKey() + " answered " + r.statusCode() + " " + r.headers();
            assertEquals(Integer.parseInt(call.getKey().substring(call.getKey().length() - 3)), r.statusCode(), what);
            for (String planted : new String[]{"Set-Cookie", "Location", "X-Frame-Options", "X-Echo-Me", "Refresh"}) {
                assertNull(r.header(planted), planted + ": " + what);
            }
            assertTrue(r.contentType().startsWith("application/json"), what);
        }
    }
}
