package io.retraintrigger.backtest;

import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerType;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a configuration would have done with the events replayed. Pure: computed from the replay's decisions and
 * inputs.
 * <ul>
 *   <li>trainings by trigger type and their estimated cost (LAUNCHED decisions);</li>
 *   <li>decisions deferred and rejected, by the code of their first reason (cooldown, daily_cap, budget, ...);</li>
 *   <li>time to adapt: a drift episode of a pipeline begins with its first drift alert that asked for a training
 *   (launched, deferred, rejected or sent to review; not one only logged) after its last training, and ends with
 *   its next training, whatever its trigger; episodes still open at the end are counted apart;</li>
 *   <li>the age of the oldest untrained data at each training: from the first data arrival after the pipeline's
 *   previous training to this one;</li>
 *   <li>the largest storm: the most events one pipeline took within one hour, and the trainings it launched in
 *   that hour.</li>
 * </ul>
 */
public record BacktestReport(
        String name,
        long events,
        long unreadable,
        Instant from,
        Instant to,
        Duration elapsed,
        long decisions,
        Map<TriggerType, Long> trainings,
        double estimatedCost,
        Map<String, Long> deferred,
        Map<String, Long> rejected,
        long failed,
        Stats timeToAdapt,
        long openEpisodes,
        Stats untrainedDataAge,
        Storm largestStorm,
        List<Day> daily) {

    static final Duration STORM_WINDOW = Duration.ofHours(1);

    /** Nearest-rank percentiles of durations; zeros when there are none (count 0). */
    public record Stats(int count, Duration p50, Duration p95, Duration max) {
        static Stats of(List<Duration> values) {
            if (values.isEmpty()) return new Stats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            long[] ms = values.stream().mapToLong(Duration::toMillis).sorted().toArray();
            return new Stats(ms.length, Duration.ofMillis(rank(ms, 0.50)), Duration.ofMillis(rank(ms, 0.95)), Duration.ofMillis(ms[ms.length - 1]));
        }

        private static long rank(long[] sorted, double p) {
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }

    public record Storm(String pipeline, Instant from, long events, long trainings) {
    }

    public record Day(LocalDate day, long trainings, double cost) {
    }

    public long totalTrainings() {
        return trainings.values().stream().mapToLong(Long::longValue).sum();
    }

    public static BacktestReport of(String name, Replay.Result r) {
        List<Decision> ordered = new ArrayList<>(r.decisions());
        ordered.sort(Comparator.comparing(Decision::decidedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        Map<TriggerType, Long> trainings = new EnumMap<>(TriggerType.class);
        Map<String, Long> deferred = new TreeMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        Map<LocalDate, double[]> days = new TreeMap<>();
        Map<String, List<Decision>> byPipeline = new HashMap<>();
        double cost = 0;
        long failed = 0;
        for (Decision d : ordered) {
            byPipeline.computeIfAbsent(d.pipeline() == null ? "" : d.pipeline(), k -> new ArrayList<>()).add(d);
            switch (d.outcome()) {
                case LAUNCHED -> {
                    trainings.merge(d.triggerType(), 1L, Long::sum);
                    cost += d.estimatedCost();
                    double[] day = days.computeIfAbsent(d.decidedAt().atZone(ZoneOffset.UTC).toLocalDate(), k -> new double[2]);
                    day[0]++;
                    day[1] += d.estimatedCost();
                }
                case DEFERRED -> deferred.merge(code(d), 1L, Long::sum);
                case REJECTED -> rejected.merge(code(d), 1L, Long::sum);
                case FAILED -> failed++;
                default -> {
                }
            }
        }
        List<Duration> adapt = new ArrayList<>();
        List<Duration> ages = new ArrayList<>();
        long open = 0;
        Storm storm = null;
        for (var e : byPipeline.entrySet()) {
            List<Decision> ds = e.getValue();
            Instant episode = null;
            long[] data = r.inputs().data(e.getKey());
            int next = 0; // the first data arrival not trained yet
            Instant previous = null;
            for (Decision d : ds) {
                if (asksForDrift(d) && episode == null) episode = d.decidedAt();
                if (d.outcome() != Outcome.LAUNCHED) continue;
                if (episode != null) {
                    adapt.add(Duration.between(episode, d.decidedAt()));
                    episode = null;
                }
                long t = d.decidedAt().toEpochMilli();
                long after = previous == null ? Long.MIN_VALUE : previous.toEpochMilli();
                while (next < data.length && data[next] <= after) next++;
                if (next < data.length && data[next] <= t) ages.add(Duration.ofMillis(t - data[next]));
                previous = d.decidedAt();
            }
            if (episode != null) open++;
            Storm s = storm(e.getKey(), r.inputs().events(e.getKey()), ds);
            if (s != null && (storm == null || s.events() > storm.events())) storm = s;
        }
        List<Day> daily = new ArrayList<>();
        days.forEach((day, v) -> daily.add(new Day(day, (long) v[0], v[1])));
        return new BacktestReport(name, r.events(), r.unreadable(), r.from(), r.to(), r.elapsed(), ordered.size(), trainings, cost, deferred, rejected, failed,
                Stats.of(adapt), open, Stats.of(ages), storm, daily);
    }

    /** A drift alert that asked for a training (not one only logged: low drift, or medium with auto-retrain off). */
    private static boolean asksForDrift(Decision d) {
        return d.triggerType() == TriggerType.DRIFT && d.outcome() != Outcome.LOGGED && d.outcome() != Outcome.FAILED;
    }

    private static String code(Decision d) {
        return d.reasons().isEmpty() ? "unknown" : RetrainMetrics.code(d.reasons().get(0));
    }

    /** The hour with the most events of one pipeline (a sliding window over its ascending event times). */
    private static Storm storm(String pipeline, long[] times, List<Decision> decisions) {
        if (times.length == 0) return null;
        long window = STORM_WINDOW.toMillis();
        int best = 0;
        int bestStart = 0;
        for (int lo = 0, hi = 0; hi < times.length; hi++) {
            while (times[hi] - times[lo] >= window) lo++;
            if (hi - lo + 1 > best) {
                best = hi - lo + 1;
                bestStart = lo;
            }
        }
        long from = times[bestStart];
        long launched = decisions.stream().filter(d -> d.outcome() == Outcome.LAUNCHED)
                .mapToLong(d -> d.decidedAt().toEpochMilli()).filter(t -> t >= from && t < from + window).count();
        return new Storm(pipeline, Instant.ofEpochMilli(from), best, launched);
    }

    /**
     * The reports no other beats on both estimated cost and median time to adapt (lower is better on both; an
     * open episode counts as never adapting). Indexes into {@code reports}.
     */
    public static boolean[] pareto(List<BacktestReport> reports) {
        boolean[] front = new boolean[reports.size()];
        Arrays.fill(front, true);
        for (int i = 0; i < reports.size(); i++) {
            for (int j = 0; j < reports.size() && front[i]; j++) {
                if (i != j && dominates(reports.get(j), reports.get(i))) front[i] = false;
            }
        }
        return front;
    }

    private static boolean dominates(BacktestReport a, BacktestReport b) {
        double ca = round(a.estimatedCost), cb = round(b.estimatedCost);
        long ta = adaptScore(a), tb = adaptScore(b);
        return ca <= cb && ta <= tb && (ca < cb || ta < tb);
    }

    private static double round(double cost) {
        return Math.round(cost * 100) / 100.0;
    }

    private static long adaptScore(BacktestReport r) {
        return r.openEpisodes > 0 ? Long.MAX_VALUE : r.timeToAdapt.p50().toMillis();
    }

    /** The report as JSON-ready maps and lists: durations in ISO-8601 and in seconds. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("events", events);
        out.put("unreadableLines", unreadable);
        out.put("from", from == null ? null : from.toString());
        out.put("to", to == null ? null : to.toString());
        out.put("replaySeconds", elapsed.toMillis() / 1000.0);
        out.put("decisions", decisions);
        Map<String, Long> t = new LinkedHashMap<>();
        trainings.forEach((k, v) -> t.put(k.name(), v));
        out.put("trainings", t);
        out.put("totalTrainings", totalTrainings());
        out.put("estimatedCost", round(estimatedCost));
        out.put("deferredByReason", deferred);
        out.put("rejectedByReason", rejected);
        out.put("failed", failed);
        out.put("timeToAdapt", stats(timeToAdapt));
        out.put("openDriftEpisodes", openEpisodes);
        out.put("untrainedDataAge", stats(untrainedDataAge));
        out.put("largestStorm", largestStorm == null ? null : Map.of("pipeline", largestStorm.pipeline(), "from", largestStorm.from().toString(),
                "events", largestStorm.events(), "trainings", largestStorm.trainings()));
        out.put("daily", daily.stream().map(d -> Map.of("day", d.day().toString(), "trainings", d.trainings(), "cost", round(d.cost()))).toList());
        return out;
    }

    private static Map<String, Object> stats(Stats s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", s.count());
        out.put("p50", s.p50().toString());
        out.put("p95", s.p95().toString());
        out.put("max", s.max().toString());
        out.put("p50Seconds", s.p50().toMillis() / 1000.0);
        out.put("p95Seconds", s.p95().toMillis() / 1000.0);
        out.put("maxSeconds", s.max().toMillis() / 1000.0);
        return out;
    }
}
