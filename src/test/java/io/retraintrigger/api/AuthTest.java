package io.retraintrigger.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.retraintrigger.api.TestApi.as;
import static io.retraintrigger.api.TestApi.event;
import static io.retraintrigger.api.TestApi.newId;

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
