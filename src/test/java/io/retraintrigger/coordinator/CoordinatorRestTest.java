package io.retraintrigger.coordinator;

import io.quarkus.test.junit.QuarkusTest;
import io.retraintrigger.api.TestApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.drift;
import static io.retraintrigger.api.TestApi.trigger;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinator's outcomes as the REST API shows them. */
@QuarkusTest
class CoordinatorRestTest {

    @Test
    void cooldownDefersUntilItEnds() {
        trigger("cooldown", 3).then().statusCode(200).body("outcome", equalTo("LAUNCHED"))
                .body("launch.status", equalTo("SUBMITTED")).body("launch.executionId", startsWith("dry-run-dec-"))
                .body("launch.target", equalTo("dry-run"));
        trigger("cooldown", 3).then().statusCode(200).body("outcome", equalTo("DEFERRED"))
                .body("reasons[0]", startsWith("cooldown:")).body("deferredUntil", notNullValue());
        admin().get("/api/pipelines/cooldown").then().statusCode(200)
                .body("state.trainingsToday", equalTo(1)).body("state.deferred.priority", equalTo(3));
        admin().queryParam("pipeline", "cooldown").queryParam("outcome", "DEFERRED").get("/api/decisions")
                .then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void dailyCapRejectsUnlessPriorityTwo() {
        trigger("capped", 3).then().statusCode(200).body("outcome", equalTo("LAUNCHED"));
        trigger("capped", 3).then().statusCode(200).body("outcome", equalTo("REJECTED")).body("reasons[0]", startsWith("daily_cap:"));
        trigger("capped", 2).then().statusCode(200).body("outcome", equalTo("LAUNCHED")).body("reasons[0]", startsWith("daily_cap_bypassed:"));
    }

    @Test
    void budgetRejectsUnlessPriorityOne() {
        trigger("budget", 3).then().statusCode(200).body("outcome", equalTo("LAUNCHED")).body("estimatedCost", equalTo(600.0f));
        trigger("budget", 2).then().statusCode(200).body("outcome", equalTo("REJECTED")).body("reasons[0]", startsWith("budget:"));
        trigger("budget", 1).then().statusCode(200).body("outcome", equalTo("LAUNCHED")).body("reasons[0]", startsWith("budget_bypassed:"));
        admin().get("/api/pipelines/budget").then().body("state.spendToday", equalTo(1200.0f)).body("state.trainingsToday", equalTo(2));
    }

    @Test
    void deferredRequestsMergeAndAreReevaluatedWhenDue() {
        trigger("debounce", 3).then().statusCode(200).body("outcome", equalTo("LAUNCHED"));
        trigger("debounce", 4).then().statusCode(200).body("outcome", equalTo("DEFERRED"));
        trigger("debounce", 3).then().statusCode(200).body("outcome", equalTo("DEFERRED")).body("reasons[1]", startsWith("merged:"));
        admin().get("/api/pipelines/debounce").then().body("state.deferred.priority", equalTo(3));

        List<Map<String, Object>> launched = await().atMost(Duration.ofSeconds(15))
                .until(() -> launchedOf("debounce"), l -> l.size() == 2);
        Map<String, Object> reevaluated = launched.get(0);
        assertEquals(3, reevaluated.get("priority"), "the merged request keeps the highest priority");
        assertTrue(reevaluated.get("reasons").toString().contains("reevaluated:"), reevaluated.toString());
        admin().get("/api/pipelines/debounce").then().body("state.deferred", equalTo(null));
        // one merged request: no third launch follows
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> launchedOf("debounce").size() == 2);
    }

    private static List<Map<String, Object>> launchedOf(String pipeline) {
        return admin().queryParam("pipeline", pipeline).queryParam("outcome", "LAUNCHED").get("/api/decisions")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void aPendingModelApprovalBlocksTheNextTrainingUntilResolved() {
        drift("approvals", "amount", 0.35).then().statusCode(202);
        Map<String, Object> approval = await().atMost(Duration.ofSeconds(10)).until(() -> pendingApproval("approvals"), a -> a != null);
        assertEquals("MODEL_APPROVAL", approval.get("type"));

        trigger("approvals", 1).then().statusCode(200).body("outcome", equalTo("REJECTED")).body("reasons[0]", startsWith("pending_approval:"));

        String id = (String) approval.get("id");
        admin().contentType("application/json").body("{\"comment\":\"model looks good\"}").post("/api/approvals/" + id + "/approve")
                .then().statusCode(200).body("approval.status", equalTo("APPROVED")).body("approval.comment", equalTo("model looks good"))
                .body("approval.resolvedBy", equalTo("admin")).body("decision", equalTo(null));
        admin().contentType("application/json").body("{}").post("/api/approvals/" + id + "/reject").then().statusCode(409);
        admin().get("/api/pipelines/approvals").then().body("state.pendingApprovals.size()", equalTo(0));
        // the cooldown still holds, but the pending state no longer does
        trigger("approvals", 3).then().statusCode(200).body("outcome", equalTo("DEFERRED"));
    }

    @Test
    void approvingATrainingReviewLaunchesWithPriorityOne() {
        drift("review", "amount", 0.8).then().statusCode(202);
        Map<String, Object> review = await().atMost(Duration.ofSeconds(10)).until(() -> pendingApproval("review"), a -> a != null);
        assertEquals("TRAINING_REVIEW", review.get("type"));
        String id = (String) review.get("id");
        admin().contentType("application/json").body("{\"comment\":\"retrain on the new data\"}").post("/api/approvals/" + id + "/approve")
                .then().statusCode(200).body("approval.status", equalTo("APPROVED"))
                .body("decision.outcome", equalTo("LAUNCHED")).body("decision.priority", equalTo(1))
                .body("decision.launch.status", equalTo("SUBMITTED"))
                .body("decision.launch.parameters.DriftSeverity", equalTo("CRITICAL"));
        admin().contentType("application/json").body("{}").post("/api/approvals/" + id + "/approve").then().statusCode(409);
        admin().contentType("application/json").body("{}").post("/api/approvals/apr-unknown/approve").then().statusCode(404);
    }

    private static Map<String, Object> pendingApproval(String pipeline) {
        List<Map<String, Object>> a = admin().queryParam("pipeline", pipeline).queryParam("status", "PENDING").get("/api/approvals")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return a.isEmpty() ? null : a.get(0);
    }

    @Test
    void manualTriggerValidatesItsInput() {
        admin().contentType("application/json").body("{\"priority\": 9}").post("/api/pipelines/cooldown/trigger")
                .then().statusCode(422).body("error", startsWith("invalid field priority"));
        admin().contentType("application/json").body("{\"priority\": 1}").post("/api/pipelines/nope/trigger")
                .then().statusCode(404).body("error", equalTo("unknown pipeline 'nope'"));
        admin().queryParam("outcome", "MAYBE").get("/api/decisions").then().statusCode(400);
    }
}
