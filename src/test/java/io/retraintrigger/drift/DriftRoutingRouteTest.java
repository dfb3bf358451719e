package io.retraintrigger.drift;

import io.quarkus.test.junit.QuarkusTest;
import io.retraintrigger.api.TestApi;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.drift;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drift-driven triggering end to end, over REST: what high and critical drift open (launch parameters, approvals,
 * notifications) and a redelivered alert. Each severity's branch of the router: {@link DriftRouterTest}, without Quarkus.
 */
@QuarkusTest
class DriftRoutingRouteTest {
    @Inject
    CamelContext camel;

    private Map<String, Object> onlyDecision(String pipeline) {
        List<Map<String, Object>> d = await().atMost(Duration.ofSeconds(10)).until(() -> TestApi.decisions(pipeline), l -> !l.isEmpty());
        assertEquals(1, d.size(), d.toString());
        return d.get(0);
    }

    private String notificationsFor(String pipeline) {
        MockEndpoint notify = camel.getEndpoint("mock:notify", MockEndpoint.class);
        return notify.getExchanges().stream().map(e -> e.getMessage().getBody(String.class))
                .filter(b -> b.contains("\"pipeline\":\"" + pipeline + "\"")).findFirst().orElse(null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void highDriftLaunchesWithRequireApprovalOpensAModelApprovalAndNotifies() {
        drift("drift-high", "amount", 0.3).then().statusCode(202);
        Map<String, Object> d = onlyDecision("drift-high");
        assertEquals("LAUNCHED", d.get("outcome"));
        assertEquals(2, d.get("priority"));
        Map<String, Object> params = (Map<String, Object>) ((Map<String, Object>) d.get("launch")).get("parameters");
        assertEquals("true", params.get("RequireApproval"));
        assertEquals("HIGH", params.get("DriftSeverity"));
        assertEquals("0.3", params.get("DriftScore"));
        assertEquals("amount", params.get("DriftedFeatures"));

        List<Map<String, Object>> approvals = admin().queryParam("pipeline", "drift-high").get("/api/approvals").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, approvals.size());
        assertEquals("MODEL_APPROVAL", approvals.get(0).get("type"));
        assertEquals("PENDING", approvals.get(0).get("status"));
        assertEquals(d.get("id"), approvals.get(0).get("decisionId"));
        await().atMost(Duration.ofSeconds(5)).until(() -> notificationsFor("drift-high") != null);
        assertTrue(notificationsFor("drift-high").contains("drift.retrain_requires_approval"));
    }

    @Test
    void criticalDriftOpensAReviewAndNotifiesWithoutTraining() {
        drift("drift-critical", "amount", 0.5).then().statusCode(202);
        Map<String, Object> d = onlyDecision("drift-critical");
        assertEquals("AWAITING_APPROVAL", d.get("outcome"));
        assertEquals(null, d.get("launch"));
        List<Map<String, Object>> approvals = admin().queryParam("pipeline", "drift-critical").get("/api/approvals").then().extract().jsonPath().getList("$");
        assertEquals(1, approvals.size());
        assertEquals("TRAINING_REVIEW", approvals.get(0).get("type"));
        await().atMost(Duration.ofSeconds(5)).until(() -> notificationsFor("drift-critical") != null);
        assertTrue(notificationsFor("drift-critical").contains("drift.review_required"));
    }

    /**
     * A redelivered alert (same CloudEvents id), also while the first delivery is still being decided, finds
     * the decision the first one caused: one decision, one review, one training at most.
     */
    @Test
    void aRedeliveredAlertIsDecidedOnce() throws Exception {
        String body = TestApi.event(TestApi.newId(), "io.retraintrigger.drift.detected",
                "{\"pipeline\":\"drift-redelivered\",\"features\":[{\"name\":\"amount\",\"score\":0.2}]}");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) answers.add(pool.submit(() -> TestApi.postEvent(body).statusCode()));
            for (java.util.concurrent.Future<Integer> a : answers) assertEquals(202, a.get());
        } finally {
            pool.shutdownNow();
        }
        TestApi.postEvent(body).then().statusCode(202).body("duplicate", org.hamcrest.Matchers.equalTo(true));
        Map<String, Object> d = onlyDecision("drift-redelivered");
        assertEquals("LAUNCHED", d.get("outcome"));
        Thread.sleep(500);
        assertEquals(1, TestApi.decisions("drift-redelivered").size());
    }
}
