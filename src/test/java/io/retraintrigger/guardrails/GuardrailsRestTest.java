package io.retraintrigger.guardrails;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.retraintrigger.api.TestApi;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guardrails over REST on the dry-run target: a posted report is checked, and the model promoted, rejected or held. */
@QuarkusTest
class GuardrailsRestTest {
    @Inject
    CamelContext camel;

    static String report(String model, double golden, Map<String, Long> errors) {
        StringBuilder e = new StringBuilder();
        errors.forEach((k, v) -> e.append(e.isEmpty() ? "" : ",").append('"').append(k).append("\":").append(v));
        return "{\"model\":\"" + model + "\",\"goldenSet\":{\"accuracy\":" + golden + "},\"candidate\":{\"accuracy\":0.9},"
                + "\"baseline\":{\"accuracy\":0.88},\"predictions\":{\"candidate\":{\"fraud\":0.1,\"legit\":0.9},"
                + "\"baseline\":{\"fraud\":0.12,\"legit\":0.88}},\"errors\":{" + e + "}}";
    }

    static Response post(String decisionId, String body) {
        return as("evaluator", "test-evaluator").contentType("application/json").body(body).post("/api/decisions/" + decisionId + "/evaluation");
    }

    /** A manual training of {@code pipeline}, sent: its decision id. */
    static String trained(String pipeline) {
        Map<String, Object> d = TestApi.trigger(pipeline, 3).then().statusCode(200).extract().jsonPath().getMap("$");
        assertEquals("LAUNCHED", d.get("outcome"), d.toString());
        String id = (String) d.get("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUBMITTED".equals(admin().get("/api/decisions/" + id).jsonPath().getString("launch.status")));
        return id;
    }

    private List<String> notifications(String decisionId) {
        return camel.getEndpoint("mock:notify", MockEndpoint.class).getExchanges().stream().map(x -> x.getMessage().getBody(String.class))
                .filter(b -> b.contains("\"decisionId\":\"" + decisionId + "\"")).toList();
    }

    @Test
    void aGoodModelIsPromotedAndTheLaunchCarriedTheGoldenSetAndHoldout() {
        String id = trained("guarded");
        Map<String, Object> launch = admin().get("/api/decisions/" + id).jsonPath().getMap("launch.parameters");
        assertEquals("s3://test-bucket/golden/guarded/", launch.get("GoldenSetUri"));
        assertEquals("s3://test-bucket/holdout/guarded/", launch.get("BaselineHoldoutUri"));
        assertEquals("0.3", launch.get("HoldoutFraction"));
        assertEquals("0.7", launch.get("ProductionFraction"));
        assertEquals("7", launch.get("DataWindowDays"), "a static parameter of every launch");
        assertEquals("manual", launch.get("TrainingMode"), "a static parameter of manual launches");

        post(id, report("model-" + id, 0.91, Map.of("false_positive", 30L, "false_negative", 20L))).then().statusCode(200)
                .body("evaluation.outcome", equalTo("PROMOTE"))
                .body("evaluation.checks.size()", equalTo(4))
                .body("evaluation.checks.find { it.name == 'golden_set' }.reason", equalTo("golden_set: accuracy 0.91 >= 0.85"))
                .body("evaluation.promotion.status", equalTo("PROMOTED"))
                .body("evaluation.promotion.request.model", equalTo("model-" + id))
                .body("evaluation.source", equalTo("api:evaluator"));
        admin().get("/api/decisions/" + id).then().body("evaluation.outcome", equalTo("PROMOTE"));
        assertEquals(List.of(), notifications(id), "a promotion is no news");
        String metrics = admin().get("/q/metrics").asString();
        assertTrue(metrics.contains("retrain_guardrail_checks_total{check=\"golden_set\",pipeline=\"guarded\",result=\"passed\"}"), "checks metric");
        assertTrue(metrics.contains("retrain_promotions_total{outcome=\"PROMOTED\",pipeline=\"guarded\"}"), "promotions metric");

        // once: a second report for the same training is refused
        post(id, report("other", 0.5, Map.of())).then().statusCode(409).body("error", containsString("evaluated already (PROMOTE)"));
    }

    @Test
    void aFailingCheckRejectsTheModelNotifiesAndPromotesNothing() {
        String id = trained("guarded");
        post(id, report("model-" + id, 0.80, Map.of("false_negative", 90L, "false_positive", 10L))).then().statusCode(200)
                .body("evaluation.outcome", equalTo("REJECT"))
                .body("evaluation.promotion", equalTo(null))
                .body("evaluation.reasons[0]", equalTo("reject: 2 of 4 checks failed (golden_set: accuracy 0.8 < 0.85; systematic_errors:"
                        + " false_negative is 90 of 100 errors, 0.9 > 0.7); the model is not promoted"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !notifications(id).isEmpty());
        assertTrue(notifications(id).get(0).contains("\"type\":\"guardrails.reject\""), notifications(id).toString());
    }

    @Test
    void highDriftHoldsTheModelUntilItsApprovalPromotesIt() {
        // high drift (0.3): the launch asks for approval and opens a MODEL_APPROVAL; the model waits for it
        TestApi.drift("guarded-hold", "amount", 0.35).then().statusCode(202);
        Map<String, Object> d = await().atMost(Duration.ofSeconds(10)).until(() -> TestApi.decisions("guarded-hold").stream()
                .filter(x -> x.get("launch") instanceof Map<?, ?> l && "SUBMITTED".equals(l.get("status"))).findFirst().orElse(null), x -> x != null);
        String id = (String) d.get("id");
        post(id, report("model-" + id, 0.93, Map.of())).then().statusCode(200)
                .body("evaluation.outcome", equalTo("HOLD"))
                .body("evaluation.reasons[0]", containsString("drift score 0.35 above require-human-approval 0.2"))
                .body("evaluation.promotion", equalTo(null));
        List<Map<String, Object>> open = admin().queryParam("pipeline", "guarded-hold").queryParam("status", "PENDING").get("/api/approvals")
                .jsonPath().getList("$");
        Map<String, Object> approval = open.stream().filter(a -> id.equals(a.get("decisionId"))).findFirst().orElseThrow();
        assertEquals("MODEL_APPROVAL", approval.get("type"));
        Map<?, ?> evaluation = (Map<?, ?>) approval.get("evaluation");
        assertEquals("HOLD", evaluation.get("outcome"), "the approval item carries the check results: " + approval);
        assertEquals(4, ((List<?>) evaluation.get("checks")).size());
        assertTrue(approval.get("createdAt") instanceof String, "times as in every answer: " + approval.get("createdAt"));

        admin().contentType("application/json").body("{\"comment\":\"checked the report\"}").post("/api/approvals/" + approval.get("id") + "/approve")
                .then().statusCode(200)
                .body("decision.evaluation.outcome", equalTo("PROMOTE"))
                .body("decision.evaluation.promotion.status", equalTo("PROMOTED"))
                .body("decision.evaluation.reasons[1]", containsString("by admin (checked the report)"));
    }

    @Test
    void onlyAnEvaluatorPostsAndABadReportIsRefusedByName() {
        String id = trained("guarded");
        as("viewer", "test-viewer").contentType("application/json").body(report("m", 0.9, Map.of())).post("/api/decisions/" + id + "/evaluation")
                .then().statusCode(403);
        post(id, "{\"goldenset\":{\"accuracy\":0.9}}").then().statusCode(422).body("error", containsString("unknown field goldenset"));
        post(id, "{\"goldenSet\":{\"accuracy\":1.2}}").then().statusCode(422).body("error", containsString("goldenSet.accuracy: must be in [0, 1]"));
        post(id, "{\"errors\":{\"fn\":-1}}").then().statusCode(422).body("error", containsString("errors.fn"));
        post(id, "[1]").then().statusCode(400);
        post("no-such-decision", report("m", 0.9, Map.of())).then().statusCode(404);
        admin().get("/api/decisions/" + id).then().body("evaluation", equalTo(null));
    }

    @Test
    void aPipelineWithGuardrailsOffTakesNoReport() {
        String id = trained("guarded-off");
        post(id, report("m", 0.9, Map.of())).then().statusCode(422).body("error", containsString("guardrails.enabled"));
    }

    /**
     * The breaker: three drift-triggered trainings whose golden-set accuracy falls suspend drift retraining; the
     * next alert is rejected with the suspension as its reason; resuming over REST lets the next one launch.
     */
    @Test
    void fallingGoldenSetAccuracySuspendsDriftRetrainingUntilAHumanResumesIt() {
        String p = "guarded-loop";
        double[] golden = {0.95, 0.92, 0.89};
        String last = null;
        for (double g : golden) {
            String id = driftTraining(p);
            Response r = post(id, report("model-" + id, g, Map.of()));
            r.then().statusCode(200).body("evaluation.outcome", equalTo("PROMOTE"));
            last = id;
        }
        String lastId = last;
        admin().get("/api/decisions/" + lastId).then()
                .body("evaluation.reasons[1]", containsString("golden-set accuracy fell across the last 3 drift-triggered trainings (0.95 -> 0.92 -> 0.89)"));
        List<Map<String, Object>> reviews = admin().queryParam("pipeline", p).queryParam("status", "PENDING").get("/api/approvals").jsonPath().getList("$");
        assertEquals(1, reviews.size(), reviews.toString());
        assertEquals("DRIFT_SUSPENSION", reviews.get(0).get("type"));
        await().atMost(Duration.ofSeconds(5)).until(() -> notifications(lastId).stream().anyMatch(n -> n.contains("guardrails.drift_retraining_suspended")));

        // a later alert is recorded with the suspension as its reason; a manual training still goes
        TestApi.drift(p, "amount", 0.15).then().statusCode(202);
        Map<String, Object> refused = await().atMost(Duration.ofSeconds(10)).until(() -> TestApi.decisions(p).get(0), x -> "REJECTED".equals(x.get("outcome")));
        assertTrue(refused.get("reasons").toString().contains("drift_suspended: automatic drift retraining is suspended (review "), refused.toString());
        trained(p);

        // rejecting the review does not resume; approving it does
        admin().contentType("application/json").body("{}").post("/api/approvals/" + reviews.get(0).get("id") + "/reject").then().statusCode(409);
        admin().contentType("application/json").body("{\"comment\":\"data fixed\"}").post("/api/approvals/" + reviews.get(0).get("id") + "/approve")
                .then().statusCode(200).body("approval.status", equalTo("APPROVED"));
        String resumed = driftTraining(p);
        assertTrue(resumed != null);
    }

    /** A medium drift alert (0.15: priority 3, no approval) of {@code pipeline}, launched and sent: its decision id. */
    private static String driftTraining(String pipeline) {
        int before = TestApi.decisions(pipeline).size();
        TestApi.drift(pipeline, "amount", 0.15).then().statusCode(202);
        Map<String, Object> d = await().atMost(Duration.ofSeconds(10)).until(() -> TestApi.decisions(pipeline),
                l -> l.size() > before && l.get(0).get("launch") instanceof Map<?, ?> launch && "SUBMITTED".equals(launch.get("status"))).get(0);
        assertEquals("DRIFT", d.get("triggerType"), d.toString());
        return (String) d.get("id");
    }
}
