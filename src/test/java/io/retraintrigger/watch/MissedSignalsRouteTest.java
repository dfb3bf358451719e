package io.retraintrigger.watch;

import io.quarkus.test.junit.QuarkusTest;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.store.SignalTimes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.retraintrigger.api.TestApi.admin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals that did not come, through routes/signals.yaml on the default profile: checks run when the test sends
 * to direct:check-signals (retrain.expect.check-interval is 1h here). Pipelines quiet-data, quiet-monitor and
 * missed-fires are this class's own. Each check looks at every pipeline, so a test counts the findings its own
 * steps add; the catch-up test runs first, before any check has begun watching missed-fires.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MissedSignalsRouteTest {
    @Inject
    CamelContext camel;
    @Inject
    ProducerTemplate send;
    @Inject
    SignalTimes times;

    private void check() {
        send.sendBody("direct:check-signals", null);
    }

    private static List<Map<String, Object>> findings(String pipeline) {
        return admin().queryParam("pipeline", pipeline).queryParam("outcome", "MISSED_SIGNAL").get("/api/decisions")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private List<String> notifications(String pipeline) {
        return camel.getEndpoint("mock:notify", MockEndpoint.class).getExchanges().stream().map(x -> x.getMessage().getBody(String.class))
                .filter(b -> b.contains("\"signal.missing\"") && b.contains("\"pipeline\":\"" + pipeline + "\"")).toList();
    }

    @Test
    @Order(2)
    void noDataForLongerThanExpectedIsOneFindingNotifiedOnceAndCounted() {
        check();
        int before = findings("quiet-data").size(); // a silence since an earlier check of this class began watching
        int notifiedBefore = notifications("quiet-data").size();
        TestApi.dataArrived(TestApi.newId(), "s3://test-bucket/quiet-data/a.csv", 10).then().statusCode(202);
        check();
        assertEquals(before, findings("quiet-data").size(), "data just came");
        await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            check();
            assertEquals(before + 1, findings("quiet-data").size());
        });
        check();
        check();
        List<Map<String, Object>> f = findings("quiet-data");
        assertEquals(before + 1, f.size(), "one silence, one finding: " + f);
        assertTrue(((List<?>) f.get(0).get("reasons")).get(0).toString().startsWith("data_missing: no data arrival since "), f.toString());
        assertEquals("DATA_ARRIVAL", f.get(0).get("triggerType"));
        assertEquals(notifiedBefore + 1, notifications("quiet-data").size(), notifications("quiet-data").toString());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("retrain_missed_signals_total{") && l.contains("pipeline=\"quiet-data\"")
                && l.contains("signal=\"data_missing\"") && l.endsWith(" " + (before + 1) + ".0")), "the metric counts each finding once");

        // data again, then silence again: another finding
        TestApi.dataArrived(TestApi.newId(), "s3://test-bucket/quiet-data/b.csv", 10).then().statusCode(202);
        check();
        await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            check();
            assertEquals(before + 2, findings("quiet-data").size());
        });
    }

    @Test
    @Order(3)
    void aSilentMonitorIsAFindingAndAnAlertEndsTheSilence() {
        check();
        TestApi.drift("quiet-monitor", "amount", 0.01).then().statusCode(202);
        check();
        int before = findings("quiet-monitor").size();
        await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            check();
            assertEquals(before + 1, findings("quiet-monitor").size());
        });
        assertTrue(((List<?>) findings("quiet-monitor").get(0).get("reasons")).get(0).toString().startsWith("monitor_silent:"));
        assertEquals("DRIFT", findings("quiet-monitor").get(0).get("triggerType"));
    }

    /** The service was down over three daily fires: each is caught up through the coordinator, whose daily cap still applies; once. */
    @Test
    @Order(1)
    void firesMissedWhileDownAreCaughtUpEachThroughTheCoordinator() {
        Instant lastFire = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3)).plus(Duration.ofHours(3));
        if (lastFire.plus(Duration.ofDays(3)).isAfter(Instant.now().minus(Duration.ofMinutes(62)))) lastFire = lastFire.minus(Duration.ofDays(1));
        times.advance("missed-fires", "schedule", lastFire); // the last fire before the outage, as the service recorded it
        check();
        List<Map<String, Object>> f = findings("missed-fires");
        assertEquals(1, f.size(), f.toString());
        String reason = ((List<?>) f.get(0).get("reasons")).get(0).toString();
        assertTrue(reason.startsWith("schedule_missed: 3 fires of '0 0 3 * * ?' missed from " + lastFire.plus(Duration.ofDays(1))), reason);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(3, TestApi.decisions("missed-fires").stream()
                .filter(MissedSignalsRouteTest::tick).count()));
        List<Map<String, Object>> ticks = TestApi.decisions("missed-fires").stream().filter(MissedSignalsRouteTest::tick).toList();
        assertEquals(2, ticks.stream().filter(d -> "LAUNCHED".equals(d.get("outcome"))).count(), "the daily cap (2) holds: " + ticks);
        assertEquals(1, ticks.stream().filter(d -> "REJECTED".equals(d.get("outcome"))).count(), ticks.toString());
        assertEquals(lastFire.plus(Duration.ofDays(3)), times.last("missed-fires", "schedule").orElseThrow());

        check();
        assertEquals(3, TestApi.decisions("missed-fires").stream().filter(MissedSignalsRouteTest::tick).count(),
                "caught up once: the next check finds nothing missed");
        assertEquals(1, findings("missed-fires").size());
    }

    private static boolean tick(Map<String, Object> d) {
        return "SCHEDULED".equals(d.get("triggerType")) && !"MISSED_SIGNAL".equals(d.get("outcome"));
    }
}
