package io.retraintrigger.backtest;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.wiring.ReplayWiring;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay on simulated time, through the service's routes and beans: what each rule does, at the simulated
 * time it would have done it.
 */
class ReplayTest {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    private static final Map<String, String> CONFIG = Map.of(
            "retrain.pipelines.fraud.target", "sagemaker",
            "retrain.pipelines.fraud.sagemaker.pipeline-name", "fraud-training",
            "retrain.pipelines.fraud.data-sources", "s3://bucket/fraud/",
            "retrain.pipelines.fraud.batch.size", "3",
            "retrain.pipelines.fraud.batch.window", "1h",
            "retrain.pipelines.fraud.coordinator.min-interval", "6h",
            "retrain.pipelines.fraud.coordinator.max-daily-trainings", "10");

    private static Replay.Result replay(Map<String, String> config, Events events) throws Exception {
        return new Replay(new ReplayWiring(), config, new Replay.Options(Duration.ofMinutes(1), Duration.ofHours(1), true, 0), p -> { })
                .run(events.lines().iterator());
    }

    private static List<Decision> inOrder(Replay.Result r) {
        return r.decisions().stream().sorted(Comparator.comparing(Decision::decidedAt)).toList();
    }

    @Test
    void aFullBatchLaunchesAtItsLastEventAndMediumDriftWaitsForTheCooldown() throws Exception {
        Events e = new Events()
                .data(T0, "fraud", "s3://bucket/fraud/1.csv", 1_000)
                .data(T0.plusSeconds(60), "fraud", "s3://bucket/fraud/2.csv", 1_000)
                .data(T0.plusSeconds(120), "fraud", "s3://bucket/fraud/3.csv", 1_000)
                .drift(T0.plus(Duration.ofHours(1)), "fraud", 0.2);
        Replay.Result r = replay(CONFIG, e);
        List<Decision> d = inOrder(r);
        assertEquals(List.of(Outcome.LAUNCHED, Outcome.DEFERRED, Outcome.LAUNCHED), d.stream().map(Decision::outcome).toList(), d.toString());
        assertEquals(TriggerType.DATA_ARRIVAL, d.get(0).triggerType());
        assertEquals(T0.plusSeconds(120), d.get(0).decidedAt(), "batch_size_reached in the append of its third event");
        assertEquals(T0.plus(Duration.ofHours(1)), d.get(1).decidedAt());
        assertTrue(d.get(1).reasons().get(0).startsWith("cooldown:"), d.get(1).reasons().toString());
        Instant cooldownEnd = T0.plusSeconds(120).plus(Duration.ofHours(6));
        assertTrue(!d.get(2).decidedAt().isBefore(cooldownEnd) && d.get(2).decidedAt().isBefore(cooldownEnd.plus(Duration.ofMinutes(1))),
                "re-evaluated at the first deferred check after the cooldown: " + d.get(2).decidedAt());
        assertEquals("dry-run", d.get(2).launch().target(), "every launch is a dry run");

        BacktestReport report = BacktestReport.of("candidate", r);
        assertEquals(2, report.totalTrainings());
        assertEquals(1, report.timeToAdapt().count());
        assertEquals(Duration.between(T0.plus(Duration.ofHours(1)), d.get(2).decidedAt()), report.timeToAdapt().p50());
        assertEquals(Map.of("cooldown", 1L), report.deferred());
        assertEquals(Duration.ofSeconds(120), report.untrainedDataAge().max(), "the first batch's oldest object waited 2 minutes");
        assertEquals(3, report.largestStorm().events(), "the alert came one hour after the first object: not in its hour");
    }
}
