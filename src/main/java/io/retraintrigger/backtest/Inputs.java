package io.retraintrigger.backtest;

import io.retraintrigger.ingest.PipelineMatcher;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a replay read, per pipeline, for its report: when data arrived and when any signal came (epoch
 * milliseconds, in replay order, so ascending). Compact: a million arrivals are eight megabytes.
 */
public final class Inputs {
    private final PipelineMatcher matcher;
    private final Map<String, Times> data = new HashMap<>();
    private final Map<String, Times> all = new HashMap<>();

    public Inputs(PipelineMatcher matcher) {
        this.matcher = matcher;
    }

    /** Records one event replayed at {@code at}; an event no pipeline takes is not counted (the intake refuses it). */
    public void add(TriggerEvent e, Instant at) {
        String pipeline = e.pipeline();
        if (pipeline == null) {
            try {
                pipeline = matcher.resolve(e).pipeline();
            } catch (RuntimeException unmatched) {
                return;
            }
        }
        if (pipeline == null) return;
        long t = at.toEpochMilli();
        if (e.kind() == EventKind.DATA_ARRIVAL) data.computeIfAbsent(pipeline, k -> new Times()).add(t);
        all.computeIfAbsent(pipeline, k -> new Times()).add(t);
    }

    public Set<String> pipelines() {
        return all.keySet();
    }

    /** Data arrival times of a pipeline, ascending. */
    public long[] data(String pipeline) {
        Times t = data.get(pipeline);
        return t == null ? new long[0] : t.values();
    }

    /** Times of every event of a pipeline (data and signals), ascending. */
    public long[] events(String pipeline) {
        Times t = all.get(pipeline);
        return t == null ? new long[0] : t.values();
    }

    private static final class Times {
        private long[] values = new long[64];
        private int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        long[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
