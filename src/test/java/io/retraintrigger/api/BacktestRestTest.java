package io.retraintrigger.api;

import io.quarkus.test.junit.QuarkusTest;
import io.retraintrigger.backtest.Replay;
import io.retraintrigger.config.ConfigFiles;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Decision;
import io.retraintrigger.wiring.ReplayWiring;
import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backtest is the production path: a live run of pipeline {@code replayed} (batches of 3, a 3 s cooldown)
 * through POST /api/events, exported by GET /api/events/export, replayed under the live configuration, makes the
 * same decisions; POST /api/backtest replays the service's own kept events; its refusals.
 */
@QuarkusTest
class BacktestRestTest {
    private static final String P = "replayed";

    private static void post(String type, String data) {
        String body = "{\"specversion\":\"1.0\",\"id\":\"" + TestApi.newId() + "\",\"source\":\"/tests\",\"type\":\"" + type + "\",\"time\":\""
                + Instant.now() + "\",\"data\":" + data + "}";
        TestApi.postEvent(body).then().statusCode(202);
    }

    private static void data(int n) {
        for (int i = 0; i < n; i++) post("io.retraintrigger.data.arrived", "{\"uri\":\"s3://test-bucket/replayed/" + TestApi.newId() + ".csv\",\"sizeBytes\":1000}");
    }

    private static void drift(double score) {
        post("io.retraintrigger.drift.detected", "{\"pipeline\":\"" + P + "\",\"features\":[{\"name\":\"amount\",\"score\":" + score + "}]}");
    }

    private static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    /** What a decision is, apart from its id and exact time: trigger, outcome and the code of each reason, in order. */
    private static String shape(Map<String, ?> d) {
        @SuppressWarnings("unchecked")
        List<String> reasons = (List<String>) d.get("reasons");
        return d.get("triggerType") + " " + d.get("outcome") + " " + reasons.stream().map(RetrainMetrics::code).toList();
    }

    private static String shape(Decision d) {
        return d.triggerType() + " " + d.outcome() + " " + d.reasons().stream().map(RetrainMetrics::code).toList();
    }

    @Test
    void theReplayOfALiveRunReproducesItsDecisions() throws Exception {
        Instant from = Instant.now().minusSeconds(1);
        data(3);                                   // a batch of 3: launched
        sleep(500);
        drift(0.2);                                // medium, in the cooldown: deferred, then re-evaluated and launched
        await().atMost(Duration.ofSeconds(10)).until(() -> TestApi.decisions(P).stream().filter(d -> "LAUNCHED".equals(d.get("outcome"))).count() == 2);
        sleep(300);
        drift(0.05);                               // low: logged
        data(3);                                   // a batch in the new cooldown: deferred
        sleep(300);
        drift(0.4);                                // high: bypasses the cooldown, launched, consumes the deferred batch, opens an approval
        sleep(300);
        data(3);                                   // pending approval: rejected
        await().atMost(Duration.ofSeconds(10)).until(() -> TestApi.decisions(P).stream().anyMatch(d -> "REJECTED".equals(d.get("outcome"))));
        sleep(4000);                               // nothing else is due
        Instant to = Instant.now().plusSeconds(1);
        List<Map<String, Object>> live = TestApi.decisions(P);
        List<String> liveShapes = live.stream().sorted(Comparator.comparing(d -> Instant.parse((String) d.get("decidedAt"))))
                .map(BacktestRestTest::shape).toList();
        assertEquals(7, live.size(), "the live run: " + liveShapes);

        String exported = admin().queryParam("from", from.toString()).queryParam("to", to.toString()).get("/api/events/export")
                .then().statusCode(200).extract().asString();
        Map<String, String> config = ConfigFiles.resolved(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
        Replay.Result replay = new Replay(new ReplayWiring(), config, new Replay.Options(null, true, 0), p -> { })
                .run(exported.lines().iterator());
        List<String> replayed = replay.decisions().stream().filter(d -> P.equals(d.pipeline()))
                .sorted(Comparator.comparing(Decision::decidedAt)).map(BacktestRestTest::shape).toList();
        assertEquals(liveShapes, replayed, "the replay decides as the live run did");
        assertTrue(liveShapes.stream().anyMatch(s -> s.startsWith("DRIFT DEFERRED [cooldown")), liveShapes.toString());
        assertTrue(liveShapes.stream().anyMatch(s -> s.startsWith("DATA_ARRIVAL REJECTED [pending_approval")), liveShapes.toString());

        // the same over REST: the kept events replayed under the configuration as it runs, and under a candidate
        Map<String, Object> answer = as("admin", TestApi.ADMIN_PASSWORD).contentType("application/json")
                .body("{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"approveAfter\":\"never\","
                        + "\"candidate\":{\"retrain.pipelines.replayed.coordinator.min-interval\":\"0s\"}}")
                .post("/api/backtest").then().statusCode(200).extract().jsonPath().getMap("$");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> reports = (List<Map<String, Object>>) answer.get("reports");
        assertEquals(List.of("candidate", "against"), reports.stream().map(r -> r.get("name")).toList());
        long liveData = live.stream().filter(d -> "LAUNCHED".equals(d.get("outcome")) && "DATA_ARRIVAL".equals(d.get("triggerType"))).count();
        long liveDrift = live.stream().filter(d -> "LAUNCHED".equals(d.get("outcome")) && "DRIFT".equals(d.get("triggerType"))).count();
        Map<?, ?> current = (Map<?, ?>) reports.get(1).get("trainings");
        assertEquals(liveData, ((Number) current.get("DATA_ARRIVAL")).longValue(), reports.get(1).toString());
        assertEquals(liveDrift, ((Number) current.get("DRIFT")).longValue(), reports.get(1).toString());
        Map<?, ?> candidate = (Map<?, ?>) reports.get(0).get("trainings");
        assertTrue(((Number) candidate.get("DATA_ARRIVAL")).longValue() >= liveData, "no cooldown, no fewer trainings: " + reports);
    }

    @Test
    void refusalsNameTheProblem() {
        String range = "\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-02T00:00:00Z\"";
        TestApi.admin().contentType("application/json").body("{").post("/api/backtest").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.startsWith("malformed JSON"));
        TestApi.admin().contentType("application/json").body("{\"from\":\"yesterday\",\"to\":\"2026-01-02T00:00:00Z\"}").post("/api/backtest")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("from"));
        TestApi.admin().contentType("application/json").body("{" + range + ",\"candidate\":{\"retrain.store.kind\":\"dynamodb\"}}").post("/api/backtest")
                .then().statusCode(422).body("error", org.hamcrest.Matchers.containsString("retrain.store.kind"));
        TestApi.admin().contentType("application/json").body("{" + range + ",\"candidate\":{\"retrain.pipelines.replayed.batch.size\":\"many\"}}")
                .post("/api/backtest").then().statusCode(422).body("error", org.hamcrest.Matchers.containsString("retrain.pipelines.replayed.batch.size"));
        TestApi.admin().contentType("application/json").body("{" + range + ",\"sweep\":\"retrain.coordinator.min-interval\"}").post("/api/backtest")
                .then().statusCode(422).body("error", org.hamcrest.Matchers.containsString("sweep"));
        as("viewer", "test-viewer").contentType("application/json").body("{" + range + "}").post("/api/backtest").then().statusCode(403);
        io.restassured.RestAssured.given().contentType("application/json").body("{" + range + "}").post("/api/backtest").then().statusCode(401);
        Map<String, Object> sweep = TestApi.admin().contentType("application/json")
                .body("{" + range + ",\"sweep\":\"retrain.coordinator.min-interval=1h,6h\"}").post("/api/backtest")
                .then().statusCode(200).extract().jsonPath().getMap("$");
        assertEquals(2, ((List<?>) sweep.get("reports")).size(), sweep.toString());
    }
}
