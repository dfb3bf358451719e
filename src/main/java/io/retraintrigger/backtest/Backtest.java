package io.retraintrigger.backtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One backtest: the events replayed under a candidate configuration, and beside it another configuration
 * ({@code against}) or each value of one key (a sweep). Each replay is a fresh one on a store of its own.
 */
public final class Backtest {
    private final ReplayServices services;
    private final Replay.Options options;
    private final Consumer<String> progress;

    /** @param progress a line per progress step of each replay (null: none) */
    public Backtest(ReplayServices services, Replay.Options options, Consumer<String> progress) {
        this.services = services;
        this.options = options;
        this.progress = progress == null ? line -> { } : progress;
    }

    /** A sweep: one key, the values it takes in turn (over the candidate configuration). */
    public record Sweep(String key, List<String> values) {
        /** {@code key=v1,v2,...} */
        public static Sweep parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--sweep takes key=value1,value2,...; was '" + spec + "'");
            }
            List<String> values = new ArrayList<>();
            for (String v : spec.substring(eq + 1).split(",")) if (!v.isBlank()) values.add(v.trim());
            if (values.isEmpty()) throw new IllegalArgumentException("--sweep " + spec + ": no value");
            return new Sweep(spec.substring(0, eq).trim(), values);
        }
    }

    /** The candidate's report, then the other configuration's (when given). */
    public List<BacktestReport> compare(Supplier<Iterator<String>> events, Map<String, String> candidate, Map<String, String> against) throws Exception {
        List<BacktestReport> out = new ArrayList<>();
        out.add(replay("candidate", events, candidate));
        if (against != null) out.add(replay("against", events, against));
        return out;
    }

    /** One report per value of the sweep, in its order. */
    public List<BacktestReport> sweep(Supplier<Iterator<String>> events, Map<String, String> candidate, Sweep sweep) throws Exception {
        List<BacktestReport> out = new ArrayList<>();
        for (String value : sweep.values()) {
            Map<String, String> p = new HashMap<>(candidate);
            p.remove("%prod." + sweep.key());
            p.put(sweep.key(), value);
            out.add(replay(sweep.key() + "=" + value, events, p));
        }
        return out;
    }

    private BacktestReport replay(String name, Supplier<Iterator<String>> events, Map<String, String> properties) throws Exception {
        Replay replay = new Replay(services, properties, options,
                p -> progress.accept(name + ": " + p.events() + " events, at " + p.at() + ", " + p.elapsed().toMillis() / 1000.0 + " s"));
        return BacktestReport.of(name, replay.run(events.get()));
    }
}
