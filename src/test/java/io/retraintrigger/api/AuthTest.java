package io.retraintrigger.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.retraintrigger.api.TestApi.as;
import static io.retraintrigger.api.TestApi.event;
import static io.retraintrigger.api.TestApi.newId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anonymous callers get 401 on /api/**, callers without the role 403. */
@QuarkusTest
class AuthTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/decisions", "/api/pipelines", "/api/pipelines/cooldown", "/api/approvals", "/api/dead-letters", "/api/routes"})
    void anonymousReadsAreUnauthorized(String path) {
        RestAssured.given().get(path).then().statusCode(401);
    }

    @Test
    void anonymousWritesAreUnauthorized() {
        RestAssured.given().contentType("application/cloudevents+json").body(event(newId(), "io.retraintrigger.schedule.tick", "{\"pipeline\":\"cooldown\"}"))
                .post("/api/events").then().statusCode(401);
        RestAssured.given().post("/api/pipelines/cooldown/trigger").then().statusCode(401);
        RestAssured.given().post("/api/routes/triage/stop").then().statusCode(401);
        RestAssured.given().post("/api/approvals/x/approve").then().statusCode(401);
    }

    @Test
    void wrongPasswordIsUnauthorized() {
        as("admin", "not-the-password").get("/api/decisions").then().statusCode(401);
    }

    /** %test: 10 failures in a window of 3 s. */
    @Test
    void passwordGuessingIsThrottledByAddressAndUser() throws InterruptedException {
        awaitUnblocked();
        String user = "mallory-" + newId();
        try {
            // other tests of this boot may have failed a login from 127.0.0.1 in this window already: at most 10 are answered 401
            int failures = 0;
            while (as(user, "guess-" + failures).get("/api/decisions").statusCode() == 401) {
                failures++;
                assertTrue(failures <= 10, "an 11th failed login was still answered 401");
            }
            assertTrue(failures >= 1, "blocked before any failure of its own");
            // blocked: the address, even with the right password, and before any credential is checked
            Response blocked = as("admin", TestApi.ADMIN_PASSWORD).get("/api/decisions");
            assertEquals(429, blocked.statusCode(), blocked.asString());
            int retryAfter = Integer.parseInt(blocked.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
            assertTrue(blocked.jsonPath().getString("error").startsWith("too many failed logins"), blocked.asString());
            as(user, "guess-again").get("/api/decisions").then().statusCode(429);
            String metrics = RestAssured.given().get("/q/metrics").asString();
            assertTrue(metrics.contains("retrain_auth_failures_total"), "failures metric");
            assertTrue(metrics.contains("retrain_auth_throttled_total"), "throttled metric");
        } finally {
            awaitUnblocked();
        }
        as("admin", TestApi.ADMIN_PASSWORD).get("/api/decisions").then().statusCode(200);
    }

    /** Until the address's window (3 s in %test) has ended: the other tests of this boot share 127.0.0.1. */
    private static void awaitUnblocked() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (RestAssured.given().auth().preemptive().basic("admin", TestApi.ADMIN_PASSWORD).get("/api/pipelines").statusCode() == 429) {
            if (System.nanoTime() > deadline) throw new AssertionError("still throttled after 10 s");
            Thread.sleep(200);
        }
    }

    @Test
    void meNamesTheCallerAndTheirRoles() {
        RestAssured.given().get("/api/me").then().statusCode(401);
        Response viewer = as("viewer", "test-viewer").get("/api/me");
        assertEquals(200, viewer.statusCode(), viewer.asString());
        assertEquals("viewer", viewer.jsonPath().getString("user"));
        assertEquals(java.util.List.of("viewer"), viewer.jsonPath().getList("roles"));
        // a login without the viewer role may ask too: it is what the console asks first
        Response evaluator = as("evaluator", "test-evaluator").get("/api/me");
        assertEquals(200, evaluator.statusCode(), evaluator.asString());
        assertEquals(java.util.List.of("evaluator"), evaluator.jsonPath().getList("roles"));
        assertTrue(as("admin", TestApi.ADMIN_PASSWORD).get("/api/me").jsonPath().getList("roles").containsAll(
                java.util.List.of("approver", "evaluator", "ingester", "operator", "viewer")));
    }

    @Test
    void viewerReadsButChangesNothing() {
        as("viewer", "test-viewer").get("/api/decisions").then().statusCode(200);
        as("viewer", "test-viewer").get("/api/pipelines/cooldown").then().statusCode(200);
        as("viewer", "test-viewer").contentType("application/cloudevents+json")
                .body(event(newId(), "io.retraintrigger.schedule.tick", "{\"pipeline\":\"cooldown\"}")).post("/api/events").then().statusCode(403);
        as("viewer", "test-viewer").contentType("application/json").body("{}").post("/api/pipelines/cooldown/trigger").then().statusCode(403);
        as("viewer", "test-viewer").post("/api/routes/triage/stop").then().statusCode(403);
        as("viewer", "test-viewer").post("/api/approvals/x/approve").then().statusCode(403);
    }

    @Test
    void ingesterPostsEventsOnly() {
        as("ingester", "test-ingester").get("/api/decisions").then().statusCode(403);
        as("ingester", "test-ingester").post("/api/routes/triage/stop").then().statusCode(403);
        as("ingester", "test-ingester").contentType("application/cloudevents+json")
                .body(event(newId(), "io.retraintrigger.data.arrived", "{\"uri\":\"https://acct.blob.core.windows.net/dedup/auth.csv\",\"sizeBytes\":1}"))
                .post("/api/events").then().statusCode(202);
    }
}
