package io.retraintrigger.backtest;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The report's figures from decisions and inputs made by hand (no replay), and the Pareto marking of a sweep. */
class BacktestReportTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    private static Decision decision(String id, TriggerType type, Outcome outcome, long minutes, double cost, String reason) {
        return new Decision(id, "p", type, 3, outcome, List.of(reason), T0.plus(Duration.ofMinutes(minutes)), null, cost, null, null);
    }

    private static Replay.Result result(List<Decision> decisions, Inputs inputs) {
        return new Replay.Result(decisions, inputs, 10, 0, 0, T0, T0.plus(Duration.ofDays(1)), Duration.ofSeconds(1));
    }

    @Test
    void episodesTrainingsAgesAndReasons() {
        Inputs inputs = new Inputs(null);
        for (long m : new long[]{5, 10, 200, 210}) {
            inputs.add(io.retraintrigger.model.TriggerEvent.dataArrival("d" + m, io.retraintrigger.model.Cloud.LOCAL, "t", "p", T0, "s3://b/k", 1),
                    T0.plus(Duration.ofMinutes(m)));
        }
        List<Decision> d = new ArrayList<>(List.of(
                decision("1", TriggerType.DRIFT, Outcome.LOGGED, 0, 0, "drift_low: x"),             // logged: no episode
                decision("2", TriggerType.DRIFT, Outcome.DEFERRED, 20, 100, "cooldown: until later"), // episode 1 begins
                decision("3", TriggerType.DRIFT, Outcome.REJECTED, 30, 100, "daily_cap: 3 of 3"),
                decision("4", TriggerType.DATA_ARRIVAL, Outcome.LAUNCHED, 60, 100, "allowed: data"),  // answers it: 40 min
                decision("5", TriggerType.DRIFT, Outcome.LAUNCHED, 300, 150, "allowed: drift"),      // episode 2: 0 min
                decision("6", TriggerType.DRIFT, Outcome.AWAITING_APPROVAL, 400, 0, "drift_critical: review"))); // open
        BacktestReport r = BacktestReport.of("x", result(d, inputs));
        assertEquals(Map.of(TriggerType.DATA_ARRIVAL, 1L, TriggerType.DRIFT, 1L), r.trainings());
        assertEquals(250.0, r.estimatedCost());
        assertEquals(Map.of("cooldown", 1L), r.deferred());
        assertEquals(Map.of("daily_cap", 1L), r.rejected());
        assertEquals(2, r.timeToAdapt().count());
        assertEquals(Duration.ZERO, r.timeToAdapt().p50());
        assertEquals(Duration.ofMinutes(40), r.timeToAdapt().max());
        assertEquals(1, r.openEpisodes());
        // first training at 60 min: the oldest data came at 5 (55 min); the second at 300: oldest after 60 came at 200 (100 min)
        assertEquals(Duration.ofMinutes(55), r.untrainedDataAge().p50());
        assertEquals(Duration.ofMinutes(100), r.untrainedDataAge().max());
        assertEquals(2, r.largestStorm().events(), "5 and 10 minutes, or 200 and 210: two in an hour");
        assertEquals(1, r.daily().size());
    }

    @Test
    void paretoMarksTheValuesNoOtherBeatsOnCostAndMedianTimeToAdapt() {
        List<BacktestReport> reports = List.of(
                report("1h", 900, Duration.ofMinutes(10), 0),
                report("6h", 500, Duration.ofHours(3), 0),
                report("12h", 600, Duration.ofHours(5), 0),   // beaten by 6h on both
                report("24h", 300, Duration.ofHours(1), 2),   // open episodes: never adapts, but the cheapest
                report("48h", 300, Duration.ofHours(1), 3));  // as cheap as 24h, not better on adapting: beaten? no, equal cost and equal (never)
        assertArrayEquals(new boolean[]{true, true, false, true, true}, BacktestReport.pareto(reports));
    }

    private static BacktestReport report(String name, double cost, Duration p50, long open) {
        return new BacktestReport(name, 0, 0, T0, T0, Duration.ZERO, 0, Map.of(), cost, Map.of(), Map.of(), 0,
                new BacktestReport.Stats(1, p50, p50, p50), open, new BacktestReport.Stats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO), null, List.of());
    }
}
