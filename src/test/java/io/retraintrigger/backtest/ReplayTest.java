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
        return new Replay(new ReplayWiring(), config, new Replay.Options(Duration.ofHours(1), true, 0), p -> { })
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
        assertTrue(!d.get(2).decidedAt().isBefore(cooldownEnd) && d.get(2).decidedAt().isBefore(cooldownEnd.plusSeconds(30)),
                "re-evaluated at the first deferred check (every 30 s) after the cooldown: " + d.get(2).decidedAt());
        assertEquals("dry-run", d.get(2).launch().target(), "every launch is a dry run");

        BacktestReport report = BacktestReport.of("candidate", r);
        assertEquals(2, report.totalTrainings());
        assertEquals(1, report.timeToAdapt().count());
        assertEquals(Duration.between(T0.plus(Duration.ofHours(1)), d.get(2).decidedAt()), report.timeToAdapt().p50());
        assertEquals(Map.of("cooldown", 1L), report.deferred());
        assertEquals(Duration.ofSeconds(120), report.untrainedDataAge().max(), "the first batch's oldest object waited 2 minutes");
        assertEquals(3, report.largestStorm().events(), "the alert came one hour after the first object: not in its hour");
    }

    @Test
    void schedulesFireFromTheReplayedConfigurationAndRecordedQuartzTicksAreLeftOut() throws Exception {
        Map<String, String> config = new java.util.HashMap<>(CONFIG);
        config.put("retrain.pipelines.fraud.schedule", "0 0 */6 * * ?"); // 00:00, 06:00, 12:00, 18:00 UTC
        config.put("retrain.pipelines.fraud.coordinator.min-interval", "0s");
        Events e = new Events()
                .tick(T0.plusSeconds(1), "fraud", "quartz") // recorded under another schedule: not replayed
                .drift(T0.plus(Duration.ofHours(11)), "fraud", 0.01);
        Replay.Result r = replay(config, e);
        List<Decision> scheduled = inOrder(r).stream().filter(d -> d.triggerType() == TriggerType.SCHEDULED).toList();
        assertEquals(List.of(T0.plus(Duration.ofHours(4)), T0.plus(Duration.ofHours(10))), scheduled.stream().map(Decision::decidedAt).toList(),
                "the fires at 12:00 and 18:00 between the first event (08:00:01) and the last (19:00)");
        assertTrue(scheduled.stream().allMatch(d -> d.outcome() == Outcome.LAUNCHED), scheduled.toString());
        assertEquals(1, r.skippedTicks());
    }

    @Test
    void aReviewOfCriticalDriftIsApprovedByTheSimulatedReviewerAndTrainsWithPriority1() throws Exception {
        Events e = new Events().drift(T0, "fraud", 0.7).drift(T0.plus(Duration.ofHours(3)), "fraud", 0.01);
        List<Decision> d = inOrder(replay(CONFIG, e));
        assertEquals(Outcome.AWAITING_APPROVAL, d.get(0).outcome(), d.toString());
        Decision training = d.stream().filter(x -> x.outcome() == Outcome.LAUNCHED).findFirst().orElseThrow(() -> new AssertionError(d.toString()));
        assertEquals(T0.plus(Duration.ofHours(1)), training.decidedAt(), "approved when it had waited --approve-after (1h)");
        assertEquals(1, training.priority());

        Replay.Result never = new Replay(new ReplayWiring(), CONFIG, new Replay.Options(null, true, 0), p -> { }).run(e.lines().iterator());
        assertTrue(never.decisions().stream().noneMatch(x -> x.outcome() == Outcome.LAUNCHED), "without a reviewer the review stays pending");
    }

    @Test
    void unreadableLinesAreCountedAndLateEventsAreReplayedAtTheTimeReached() throws Exception {
        Events e = new Events()
                .drift(T0, "fraud", 0.2)
                .line("{not json")
                .line("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/t\",\"type\":\"nope\",\"data\":{}}")
                .drift(T0.minus(Duration.ofHours(5)), "fraud", 0.2);
        Replay.Result r = replay(CONFIG, e);
        assertEquals(2, r.unreadable());
        assertEquals(2, r.events());
        List<Decision> d = inOrder(r).stream().filter(x -> x.decidedAt().equals(T0)).toList();
        assertEquals(java.util.Set.of(Outcome.LAUNCHED, Outcome.DEFERRED), d.stream().map(Decision::outcome).collect(java.util.stream.Collectors.toSet()),
                "the late alert is decided when it was replayed (in the cooldown of the first), not 5 hours before it: " + inOrder(r));
    }
}
