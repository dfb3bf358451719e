package io.retraintrigger.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.model.TriggerType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics the dashboard and the alert rules read: launch calls, decision cost, the last data arrival. */
class RetrainMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RetrainMetrics metrics = new RetrainMetrics(registry);

    @Test
    void aLaunchCallIsTimedByResultAndOnlyFailuresAreCounted() {
        metrics.launchCall("fraud", "sagemaker", RetrainMetrics.LAUNCH_SUBMITTED, Duration.ofMillis(120));
        metrics.launchCall("fraud", "sagemaker", RetrainMetrics.LAUNCH_RETRYABLE, Duration.ofMillis(30));
        metrics.launchCall("fraud", "sagemaker", RetrainMetrics.LAUNCH_RETRYABLE, Duration.ofMillis(40));
        metrics.launchCall("fraud", "sagemaker", RetrainMetrics.LAUNCH_REJECTED, Duration.ofMillis(50));

        Timer submitted = registry.get("retrain.launch.duration").tags("pipeline", "fraud", "target", "sagemaker", "result", "submitted").timer();
        assertEquals(1, submitted.count());
        assertEquals(120, submitted.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS), 0.001);
        assertEquals(2, registry.get("retrain.launch.duration").tags("result", "retryable").timer().count());
        assertEquals(2, registry.get("retrain.launch.failures").tags("pipeline", "fraud", "kind", "retryable").counter().count());
        assertEquals(1, registry.get("retrain.launch.failures").tags("pipeline", "fraud", "kind", "rejected").counter().count());
        assertNull(registry.find("retrain.launch.failures").tags("kind", "submitted").counter(), "a submitted launch is no failure");
    }

    @Test
    void theCostOfADecisionIsAddedUpByOutcome() {
        metrics.decision(decision("d1", Outcome.LAUNCHED, 150));
        metrics.decision(decision("d2", Outcome.LAUNCHED, 165.5));
        metrics.decision(decision("d3", Outcome.DEFERRED, 150));
        metrics.decision(decision("d4", Outcome.LOGGED, 0));

        assertEquals(315.5, registry.get("retrain.decisions.cost").tags("pipeline", "fraud", "outcome", "LAUNCHED").counter().count(), 1e-9);
        assertEquals(150, registry.get("retrain.decisions.cost").tags("outcome", "DEFERRED").counter().count(), 1e-9);
        assertNull(registry.find("retrain.decisions.cost").tags("outcome", "LOGGED").counter(), "nothing to add for a decision without cost");
        assertEquals(4, registry.get("retrain.decisions").counters().stream().mapToDouble(c -> c.count()).sum(), 1e-9);
    }

    @Test
    void theLastDataArrivalIsWhenItWasTakenInAndNotADuplicate() {
        long before = System.currentTimeMillis();
        metrics.event(TriggerEvent.dataArrival("e1", Cloud.AWS, "s3", "fraud", Instant.parse("2020-01-01T00:00:00Z"), "s3://b/k", 10), false);
        double at = registry.get("retrain.data.last.arrival").tags("pipeline", "fraud").gauge().value();
        assertTrue(at * 1000 >= before - 1 && at * 1000 <= System.currentTimeMillis() + 1, "taken in now, not when it occurred: " + at);

        metrics.event(TriggerEvent.dataArrival("e2", Cloud.AWS, "s3", "other", Instant.now(), "s3://b/k2", 10), true);
        metrics.event(TriggerEvent.driftAlert("e3", Cloud.AWS, "cw", "other2", Instant.now(), List.of(), null), false);
        assertNull(registry.find("retrain.data.last.arrival").tags("pipeline", "other").gauge(), "a duplicate is no arrival");
        assertNull(registry.find("retrain.data.last.arrival").tags("pipeline", "other2").gauge(), "a drift alert is no data");
    }

    private static Decision decision(String id, Outcome outcome, double cost) {
        return new Decision(id, "fraud", TriggerType.MANUAL, 3, outcome, List.of("allowed: test"), Instant.now(), null, cost, null, null);
    }
}
