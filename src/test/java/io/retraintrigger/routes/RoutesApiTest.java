package io.retraintrigger.routes;

import io.quarkus.test.junit.QuarkusTest;
import io.retraintrigger.api.TestApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.admin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Route statistics and control, health, metrics, and the Quartz schedule template. */
@QuarkusTest
class RoutesApiTest {

    @Test
    void routesAreListedWithTheirStatistics() {
        admin().get("/api/routes").then().statusCode(200)
                .body("id", hasItems("intake", "triage", "ingest-http", "batch-windows", "batch-decide", "batch-recovery", "drift-severity-router", "coordinator", "launch", "schedule-ticking"))
                // cloud sources that are not enabled do not exist (and create no SDK client)
                .body("id", org.hamcrest.Matchers.not(hasItems("ingest-aws-sqs")))
                .body("find { it.id == 'triage' }.state", equalTo("Started"))
                .body("find { it.id == 'triage' }.exchangesTotal", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aRouteCanBeSuspendedAndResumed() {
        admin().post("/api/routes/store-purge/suspend").then().statusCode(200).body("state", equalTo("Suspended"));
        admin().post("/api/routes/store-purge/resume").then().statusCode(200).body("state", equalTo("Started"));
        admin().post("/api/routes/store-purge/stop").then().statusCode(200).body("state", equalTo("Stopped"));
        admin().post("/api/routes/store-purge/start").then().statusCode(200).body("state", equalTo("Started"));
    }

    @Test
    void unknownRouteOrActionIs404() {
        admin().post("/api/routes/no-such-route/stop").then().statusCode(404);
        admin().post("/api/routes/triage/explode").then().statusCode(404);
    }

    @Test
    void everySecondTheScheduleTemplateAsksForATraining() {
        List<Map<String, Object>> d = await().atMost(Duration.ofSeconds(10)).until(() -> TestApi.decisions("ticking"), l -> l.size() >= 2);
        assertEquals("SCHEDULED", d.get(0).get("triggerType"));
        assertEquals(4, d.get(0).get("priority"));
        admin().get("/api/routes").then().body("find { it.id == 'schedule-ticking' }.exchangesTotal", greaterThan(0));
    }

    @Test
    void healthAndMetricsAreServed() {
        io.restassured.RestAssured.get("/q/health").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("state-store", "camel-consumers"));
        TestApi.drift("drift-low", "metric_feature", 0.01).then().statusCode(202);
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("retrain_events_total", "retrain_decisions_total", "retrain_drift_score{", "retrain_batch_open_events", "retrain_spend_today")) {
            org.junit.jupiter.api.Assertions.assertTrue(metrics.contains(name), name + " missing from /q/metrics");
        }
    }
}
