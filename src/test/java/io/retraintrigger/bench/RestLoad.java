package io.retraintrigger.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Closed-loop HTTP load: {@code threads} clients, each sending its next CloudEvent as soon as the previous
 * one is answered, over kept-alive HTTP/1.1 connections (one java.net.http client), basic auth.
 */
final class RestLoad {
    static final String CE = "application/cloudevents+json";

    /** What a run measured: latency of each event (by index), completion time of the k-th answer. */
    static final class Result {
        final long startNanos;
        final long[] latencyNanos;
        final long[] doneAtNanos;
        final int done;
        final int errors;
        final String firstError;

        Result(long startNanos, long[] latencyNanos, long[] doneAtNanos, int done, int errors, String firstError) {
            this.startNanos = startNanos;
            this.latencyNanos = latencyNanos;
            this.doneAtNanos = doneAtNanos;
            this.done = done;
            this.errors = errors;
            this.firstError = firstError;
        }

        double seconds() {
            return (doneAtNanos[done - 1] - startNanos) / 1e9;
        }

        double rate() {
            return done / seconds();
        }

        /** Rate of answers number from (inclusive, 0-based) to to (exclusive). */
        double rate(int from, int to) {
            long a = from == 0 ? startNanos : doneAtNanos[from - 1];
            return (to - from) / ((doneAtNanos[to - 1] - a) / 1e9);
        }

        double percentileMillis(double p) {
            long[] l = Arrays.copyOf(latencyNanos, done);
            Arrays.sort(l);
            return l[Math.min(l.length - 1, (int) Math.ceil(p * l.length) - 1)] / 1e6;
        }
    }

    static String dataEvent(String id, String uri, long size) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/bench\",\"type\":\"io.retraintrigger.data.arrived\","
                + "\"data\":{\"uri\":\"" + uri + "\",\"sizeBytes\":" + size + "}}";
    }

    static String driftEvent(String id, String pipeline, double score) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/bench\",\"type\":\"io.retraintrigger.drift.detected\","
                + "\"data\":{\"pipeline\":\"" + pipeline + "\",\"features\":[{\"name\":\"amount\",\"score\":" + score + "}]}}";
    }

    private final BenchApp app;
    private final int threads;
    private final HttpClient http;

    RestLoad(BenchApp app, int threads) {
        this.app = app;
        this.threads = threads;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> post(String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(app.base() + "/api/events")).timeout(Duration.ofSeconds(60))
                .header("Authorization", BenchApp.AUTH).header("Content-Type", CE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends events 0..total-1 (body(i)), stopping early at deadlineNanos; onDone is told the number of
     * answers so far after each answer.
     */
    Result run(int total, IntFunction<String> body, long deadlineNanos, IntConsumer onDone) throws Exception {
        long[] latency = new long[total];
        long[] doneAt = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        String[] firstError = new String[1];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    while (true) {
                        int i = next.getAndIncrement();
                        if (i >= total || System.nanoTime() > deadlineNanos) return null;
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = post(body.apply(i));
                        long t1 = System.nanoTime();
                        if (r.statusCode() != 202) {
                            if (errors.getAndIncrement() == 0) firstError[0] = r.statusCode() + " " + r.body();
                        }
                        int k = done.getAndIncrement();
                        latency[k] = t1 - t0;
                        doneAt[k] = t1;
                        if (onDone != null) onDone.accept(k + 1);
                    }
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        return new Result(start, latency, doneAt, done.get(), errors.get(), firstError[0]);
    }
}
