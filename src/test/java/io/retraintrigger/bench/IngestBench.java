package io.retraintrigger.bench;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A benchmark, not a test: run with {@code ./mvnw -B -Pbench verify}. It starts the packaged application
 * as separate processes and measures, in one run, (1) the SQS ingestion rate against the raw
 * receive+delete rate of the same emulator, (2) REST ingestion rate, latency and the rate at the 100,000th
 * event of a batch against its first 1,000, (3) how long a drift alert takes to its decision behind a
 * flood of data, over SQS and over REST, (4) heap per event in open batches. The figures are printed and
 * written to target/bench/results.md; the application's logs and thread-dump counts are in target/bench/.
 * Sizes: -Dbench.sqs.messages (60000 per round: rounds of 20000, about 5 s, ended while the app's JIT
 * compiler was still among its busiest threads, and measured its warm-up more than its rate), -Dbench.sqs.consumers (1,4,16), -Dbench.rest.events (105000),
 * -Dbench.lanes.flood (20000), -Dbench.memory.events (1000000), -Dbench.memory.seconds (540),
 * -Dbench.memory.mode (sqs: messages of 10 records | rest), -Dbench.memory.pipelines (4); parts to run:
 * -Dbench.parts (sqs,lanes,rest,memory).
 */
class IngestBench {
    static final String PIPELINE = "bench";
    static final String BUCKET = "bench-bucket";
    static final String ALARM = "fraud-amount-drift";
    /** Measured rounds after the warm-up round (SQS). */
    static final int ROUNDS = 3;

    final int sqsMessages = Integer.getInteger("bench.sqs.messages", 60_000);
    final int[] consumers = Arrays.stream(System.getProperty("bench.sqs.consumers", "1,4,16").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    final int restEvents = Integer.getInteger("bench.rest.events", 105_000);
    final int restThreads = Integer.getInteger("bench.rest.threads", 8);
    final int laneFlood = Integer.getInteger("bench.lanes.flood", 20_000);
    final int memoryEvents = Integer.getInteger("bench.memory.events", 1_000_000);
    final long memorySeconds = Long.getLong("bench.memory.seconds", 540);
    final String memoryMode = System.getProperty("bench.memory.mode", "sqs");
    final int memoryPipelines = Integer.getInteger("bench.memory.pipelines", 4);
    final List<String> parts = List.of(System.getProperty("bench.parts", "sqs,lanes,rest,memory").split(","));

    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder profiles = new StringBuilder();
    private int bestConsumers = 1;
    /** Seconds from sending an alert to the first answer of the API (the app still starting when > 0.1). */
    private double httpUpAfterSend;
    private String loadAtStart = "";

    @Test
    void bench() throws Exception {
        quietLogging();
        long began = System.nanoTime();
        ZonedDateTime startedAt = ZonedDateTime.now();
        loadAtStart = loadAverage();
        Files.createDirectories(BenchApp.OUT);
        BenchApp.prepareWorkDir();
        log("benchmark started " + startedAt + " on " + Runtime.getRuntime().availableProcessors() + " cores; logs in " + BenchApp.OUT);

        try (BenchSqs sqs = new BenchSqs()) {
            if (parts.contains("sqs")) sqsRates(sqs);
            if (parts.contains("lanes")) sqsLane(sqs);
            if (parts.contains("rest")) restRates();
            if (parts.contains("lanes")) restLane();
            if (parts.contains("memory")) memory(sqs);
        } finally {
            String md = results(startedAt, (System.nanoTime() - began) / 1e9);
            Files.writeString(BenchApp.OUT.resolve("results.md"), md);
            System.out.println();
            System.out.println(md);
            System.out.flush();
        }
    }

    // ---- 1. SQS ---------------------------------------------------------------------------------

    /**
     * The raw rate and the app's, measured side by side: ElasticMQ (in this JVM) goes on warming up over the
     * whole run, so each of the app's rounds follows a raw round of its own, with the app's consumers stopped
     * (idle), and the ratio is that of the two medians. Before that, two raw rounds and one app round
     * warm the JVMs up (reported, not counted); the app's rounds run in one process, its consumer routes
     * stopped while the next round is sent, so that each round times a full queue being drained.
     */
    private void sqsRates(BenchSqs sqs) throws Exception {
        int n = sqsMessages;
        double[] warm = new double[2];
        for (int r = 0; r < warm.length; r++) warm[r] = rawRound(sqs, "raw-warm-" + r, n, 10L + r);
        log(String.format("SQS raw warm-up rounds: %s msg/s", fmtAll(warm)));
        row("1 SQS", "raw receive(10, wait 1s) + deleteMessageBatch, 1 thread, " + n + " msgs: warm-up rounds", fmtAll(warm) + " msg/s", "", "");

        String single = sqs.createQueue("raw-single-deletes");
        sqs.fill(single, n, i -> BenchSqs.s3Message(BUCKET, "incoming/raw-single/obj-" + i + ".parquet", 50 * 10_000_000L + i));
        double rawSingle = sqs.drainRate(single, n, false);
        log(String.format("SQS raw with one deleteMessage per message: %.0f msg/s", rawSingle));
        row("1 SQS", "for reference: raw receive(10) + one deleteMessage per message (what Camel's aws2-sqs consumer does), 1 run",
                fmt(rawSingle) + " msg/s", "", "");

        double bestRatio = 0, best = 0, bestRaw = 0;
        for (int cc : consumers) {
            String events = "events-cc" + cc, data = "data-cc" + cc;
            sqs.createQueue(events);
            String dataUrl = sqs.createQueue(data);
            IntFunction<String> body = i -> BenchSqs.s3Message(BUCKET, "incoming/cc" + cc + "/obj-" + i + ".parquet", (100L + cc) * 10_000_000L + i);
            sqs.fill(dataUrl, n, body);
            Map<String, String> props = pipeline(PIPELINE, "s3://" + BUCKET + "/incoming/", 1_000_000, "24h", ALARM);
            props.putAll(sqs.appProperties(events, data, cc));
            try (BenchApp app = BenchApp.launch("sqs-cc" + cc, "1g", props)) {
                double[] rates = new double[ROUNDS + 1];
                double[] raw = new double[ROUNDS];
                String cpu = "";
                for (int r = 0; r < rates.length; r++) {
                    long t0;
                    if (r == 0) {
                        t0 = awaitConsumption(sqs, dataUrl, n, app, 180);
                    } else {
                        app.awaitReady();
                        routes(app, "ingest-aws-sqs-data", cc, "stop");
                        raw[r - 1] = rawRound(sqs, "raw-cc" + cc + "-" + r, n, 200L + 10L * cc + r);
                        sqs.fill(dataUrl, r * n, (r + 1) * n, body);
                        routes(app, "ingest-aws-sqs-data", cc, "start");
                        t0 = System.nanoTime();
                    }
                    double[] marks;
                    if (r == ROUNDS) {
                        try (ThreadSamples samples = new ThreadSamples(app, 1000)) {
                            double[] c0 = cpu(app);
                            marks = awaitDrained(sqs, dataUrl, n, t0, 300);
                            cpu = cpuUse(c0, cpu(app));
                            String report = samples.report(BenchApp.OUT.resolve("profile-sqs-cc" + cc + ".txt"), 15);
                            if (cc == consumers[0] || cc == consumers[consumers.length - 1]) {
                                profiles.append("\n### SQS ingestion, concurrent-consumers=").append(cc).append(", last round (").append(samples.taken())
                                        .append(" SIGQUIT dumps, 1/s)\n```\n").append(ThreadSamples.head(report, 60)).append("\n```\n");
                            }
                        }
                    } else {
                        marks = awaitDrained(sqs, dataUrl, n, t0, 300);
                    }
                    rates[r] = n / marks[0];
                    log(String.format("SQS cc=%d round %d: %sapp %.0f events/s", cc, r,
                            r == 0 ? "(cold start, warm-up) " : String.format("raw %.0f msg/s, ", raw[r - 1]), rates[r]));
                }
                app.awaitReady();
                long recorded = awaitEvents(app, PIPELINE, (long) n * rates.length, 30);
                double rate = median(Arrays.copyOfRange(rates, 1, rates.length));
                double rawMedian = median(raw);
                double ratio = rate / rawMedian;
                log(String.format("SQS cc=%d: app median %.0f events/s against raw %.0f msg/s: %.2f; recorded %d of %d; last round %s",
                        cc, rate, rawMedian, ratio, recorded, (long) n * rates.length, cpu));
                if (recorded != (long) n * rates.length) notes.add("SQS cc=" + cc + ": recorded " + recorded + " events of " + (long) n * rates.length);
                row("1 SQS", "concurrent-consumers=" + cc + ": app durable (S3 notif. -> recorded -> deleted) against raw, rounds side by side, medians of " + ROUNDS,
                        "app " + fmt(rate) + " events/s (cold round " + fmt(rates[0]) + ", then " + fmtAll(Arrays.copyOfRange(rates, 1, rates.length))
                                + "), raw " + fmt(rawMedian) + " msg/s (" + fmtAll(raw) + "); app's last round " + cpu,
                        "ratio >= 0.8", String.format("%.2f", ratio));
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    best = rate;
                    bestRaw = rawMedian;
                    bestConsumers = cc;
                }
            }
        }
        row("1 SQS", "best: concurrent-consumers=" + bestConsumers, fmt(best) + " events/s vs raw " + fmt(bestRaw),
                "ratio >= 0.8", verdict(bestRatio >= 0.8, String.format("%.2f", bestRatio)));
    }

    /** One raw round on a queue of its own: n messages sent, then drained by receive + deleteMessageBatch; messages per second. */
    private static double rawRound(BenchSqs sqs, String queue, int n, long salt) throws Exception {
        String url = sqs.createQueue(queue);
        sqs.fill(url, n, i -> BenchSqs.s3Message(BUCKET, "incoming/" + queue + "/obj-" + i + ".parquet", salt * 10_000_000L + i));
        return sqs.drainRate(url, n);
    }

    /** Stops or starts the consumer routes of a queue: ROUTE, ROUTE-2, ... */
    private static void routes(BenchApp app, String route, int consumers, String action) throws Exception {
        for (int i = 1; i <= consumers; i++) {
            String id = i == 1 ? route : route + "-" + i;
            var r = app.send("POST", "/api/routes/" + id + "/" + action, null, null);
            if (r.statusCode() != 200) throw new IllegalStateException(action + " " + id + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** The instant (nanoTime) at which the application first took messages from the queue. */
    private static long awaitConsumption(BenchSqs sqs, String url, int n, BenchApp app, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!app.process.isAlive()) throw new IllegalStateException(app.name + " exited; see " + app.log);
            long[] c = sqs.counts(url);
            if (c[0] < n) return System.nanoTime();
            Thread.sleep(10);
        }
        throw new IllegalStateException(app.name + " did not start consuming within " + seconds + " s; see " + app.log);
    }

    /** Seconds from t0 until the queue is empty (nothing visible, nothing in flight), and from the first 10% gone. */
    private static double[] awaitDrained(BenchSqs sqs, String url, int n, long t0, int seconds) throws Exception {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
        long tenth = 0;
        while (System.nanoTime() < deadline) {
            long[] c = sqs.counts(url);
            long now = System.nanoTime();
            if (tenth == 0 && c[0] + c[1] <= n - n / 10) tenth = now;
            if (c[0] == 0 && c[1] == 0) return new double[]{(now - t0) / 1e9, (now - (tenth == 0 ? t0 : tenth)) / 1e9};
            Thread.sleep(50);
        }
        throw new IllegalStateException("queue not drained within " + seconds + " s: " + Arrays.toString(sqs.counts(url)));
    }

    /** Waits until the pipeline's open batch and decisions hold n events; returns how many they hold. */
    private static long awaitEvents(BenchApp app, String pipeline, long n, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long got = 0;
        while (System.nanoTime() < deadline) {
            got = app.openBatchEvents(pipeline) + app.decidedEvents(pipeline);
            if (got >= n) return got;
            Thread.sleep(200);
        }
        return got;
    }

    // ---- 3. Lanes ------------------------------------------------------------------------------

    private void sqsLane(BenchSqs sqs) throws Exception {
        int n = laneFlood;
        String events = "events-lanes", data = "data-lanes";
        String eventsUrl = sqs.createQueue(events);
        String dataUrl = sqs.createQueue(data);
        sqs.fill(dataUrl, n, i -> BenchSqs.s3Message(BUCKET, "incoming/lanes/obj-" + i + ".parquet", 900L * 10_000_000L + i));
        Map<String, String> props = pipeline(PIPELINE, "s3://" + BUCKET + "/incoming/", 1_000_000, "24h", ALARM);
        props.putAll(sqs.appProperties(events, data, bestConsumers));
        try (BenchApp app = BenchApp.launch("lanes-sqs", "1g", props)) {
            awaitConsumption(sqs, dataUrl, n, app, 180);
            long tSend = System.nanoTime();
            sqs.sqs.sendMessage(b -> b.queueUrl(eventsUrl).messageBody(BenchSqs.driftAlarm(UUID.randomUUID().toString(), ALARM)));
            double seconds = awaitDrift(app, tSend, 120);
            long[] left = sqs.counts(dataUrl);
            double up = httpUpAfterSend;
            log(String.format("lanes SQS: DRIFT decision %.3f s after the alarm; data messages still queued then: %d; API first answered %.3f s after the alarm",
                    seconds, left[0] + left[1], up));
            row("3 Lanes", "SQS: CloudWatch alarm (EventBridge) on the events queue, sent as the app starts consuming " + n
                            + " S3 notifications on the data queue, concurrent-consumers=" + bestConsumers,
                    String.format("%.3f s to the DRIFT decision (data still queued then: %d of %d; the app's HTTP API first answered %.3f s after the alarm was sent: startup not finished)",
                            seconds, left[0] + left[1], n, up),
                    "< 2 s", verdict(seconds < 2, ""));
            // A second alarm once the app is warm, the flood still running (its decision: REJECTED, approval pending).
            Thread.sleep(5000);
            long[] still = sqs.counts(dataUrl);
            if (still[0] + still[1] > 0) {
                long tSend2 = System.nanoTime();
                sqs.sqs.sendMessage(b -> b.queueUrl(eventsUrl).messageBody(BenchSqs.driftAlarm(UUID.randomUUID().toString(), ALARM)));
                double seconds2 = awaitDrift(app, tSend2, 120, 2);
                long[] left2 = sqs.counts(dataUrl);
                log(String.format("lanes SQS: second alarm: DRIFT decision %.3f s; data still queued then: %d", seconds2, left2[0] + left2[1]));
                row("3 Lanes", "SQS: a second alarm 5 s later (app warm, flood still running)",
                        String.format("%.3f s to the DRIFT decision (data still queued then: %d of %d)", seconds2, left2[0] + left2[1], n),
                        "< 2 s", verdict(seconds2 < 2, ""));
            }
        }
    }

    private double awaitDrift(BenchApp app, long tSend, int seconds) throws Exception {
        return awaitDrift(app, tSend, seconds, 1);
    }

    /** Seconds from tSend until the pipeline has {@code count} DRIFT decisions. */
    private double awaitDrift(BenchApp app, long tSend, int seconds, int count) throws Exception {
        long deadline = tSend + TimeUnit.SECONDS.toNanos(seconds);
        httpUpAfterSend = -1;
        while (System.nanoTime() < deadline) {
            try {
                int n = app.countDecisions(PIPELINE, "DRIFT");
                if (httpUpAfterSend < 0) httpUpAfterSend = (System.nanoTime() - tSend) / 1e9;
                if (n >= count) return (System.nanoTime() - tSend) / 1e9;
            } catch (java.io.IOException | IllegalStateException notYet) {
                // HTTP not up yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no DRIFT decision within " + seconds + " s; see " + app.log);
    }

    private void restLane() throws Exception {
        int n = laneFlood;
        Map<String, String> props = pipeline(PIPELINE, "s3://" + BUCKET + "/incoming/", 1_000_000, "24h", ALARM);
        try (BenchApp app = BenchApp.start("lanes-rest", "1g", props)) {
            RestLoad load = new RestLoad(app, restThreads);
            AtomicInteger doneSoFar = new AtomicInteger();
            ExecutorService flood = Executors.newSingleThreadExecutor();
            Future<RestLoad.Result> f = flood.submit(() -> load.run(n, i -> RestLoad.dataEvent("lane-" + i,
                    "s3://" + BUCKET + "/incoming/lanes/obj-" + i + ".parquet", 1000), System.nanoTime() + TimeUnit.SECONDS.toNanos(300), doneSoFar::set));
            while (doneSoFar.get() < Math.min(2000, n / 10) && !f.isDone()) Thread.sleep(5);
            int before = doneSoFar.get();
            RestLoad alert = new RestLoad(app, 1);
            long tSend = System.nanoTime();
            HttpResponse<String> r = alert.post(RestLoad.driftEvent("drift-" + UUID.randomUUID(), PIPELINE, 0.42));
            double postSeconds = (System.nanoTime() - tSend) / 1e9;
            double seconds = awaitDrift(app, tSend, 120);
            int after = doneSoFar.get();
            RestLoad.Result flooded = f.get();
            flood.shutdownNow();
            log(String.format("lanes REST: POST answered %d in %.3f s, DRIFT decision visible %.3f s after sending (flood at %d -> %d of %d, %.0f/s)",
                    r.statusCode(), postSeconds, seconds, before, after, n, flooded.rate()));
            row("3 Lanes", "REST: drift CloudEvent POSTed while " + restThreads + " clients flood " + n + " data events",
                    String.format("%.3f s to the DRIFT decision in GET /api/decisions (POST answered %d in %.3f s)", seconds, r.statusCode(), postSeconds),
                    "< 2 s", verdict(seconds < 2, ""));
        }
    }

    // ---- 2. REST -------------------------------------------------------------------------------

    private void restRates() throws Exception {
        Map<String, String> props = pipeline(PIPELINE, "s3://" + BUCKET + "/incoming/", 1_000_000, "24h", ALARM);
        props.putAll(pipeline("warmup", "s3://" + BUCKET + "/warmup/", 1_000_000, "24h", null));
        try (BenchApp app = BenchApp.start("rest", "1g", props)) {
            RestLoad load = new RestLoad(app, restThreads);
            int warm = 5000;
            RestLoad.Result w = load.run(warm, i -> RestLoad.dataEvent("warm-" + i, "s3://" + BUCKET + "/warmup/obj-" + i + ".parquet", 1000),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(120), null);
            log(String.format("REST warm-up: %d events to another pipeline at %.0f/s", w.done, w.rate()));
            RestLoad.Result r;
            String cpu;
            try (ThreadSamples samples = new ThreadSamples(app, 2000)) {
                double[] c0 = cpu(app);
                r = load.run(restEvents, i -> RestLoad.dataEvent("rest-" + i, "s3://" + BUCKET + "/incoming/rest/obj-" + i + ".parquet", 1000),
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(300), null);
                cpu = cpuUse(c0, cpu(app));
                String report = samples.report(BenchApp.OUT.resolve("profile-rest.txt"), 15);
                profiles.append("\n### REST ingestion, ").append(restThreads).append(" clients (").append(samples.taken())
                        .append(" SIGQUIT dumps, 1 per 2 s)\n```\n").append(ThreadSamples.head(report, 60)).append("\n```\n");
            }
            long recorded = app.openBatchEvents(PIPELINE);
            log(String.format("REST: %d events in %.1f s = %.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d, recorded %d",
                    r.done, r.seconds(), r.rate(), r.percentileMillis(0.5), r.percentileMillis(0.99), r.errors, recorded));
            if (r.errors > 0) notes.add("REST: " + r.errors + " answers other than 202, first: " + r.firstError);
            if (recorded != r.done - r.errors) notes.add("REST: open batch holds " + recorded + " events, " + (r.done - r.errors) + " were accepted");
            row("2 REST", restThreads + " clients, POST /api/events, H2 file, batch.size 1,000,000 (after a 5,000-event warm-up)",
                    String.format("%s events/s (%,d events in %.1f s); %s", fmt(r.rate()), r.done, r.seconds(), cpu), ">= 2,000/s", verdict(r.rate() >= 2000, ""));
            row("2 REST", "latency p50 / p99", String.format("%.2f ms / %.2f ms", r.percentileMillis(0.5), r.percentileMillis(0.99)), "", "");
            double first = r.rate(0, Math.min(1000, r.done));
            int to = Math.min(r.done, 101_000), from = Math.max(0, to - 2000);
            double at = r.rate(from, to);
            if (to < 101_000) notes.add("REST: only " + r.done + " events in the time allowed; the 'around 100,000' rate is of events " + from + "-" + to);
            row("2 REST", String.format("rate of the batch's events 1-1,000 vs %,d-%,d", from + 1, to),
                    String.format("%s/s vs %s/s", fmt(first), fmt(at)), "ratio >= 0.8", verdict(at / first >= 0.8, String.format("%.2f", at / first)));
            if (r.done >= 12_000) {
                double tenK = r.rate(9_000, 11_000);
                row("2 REST", String.format("steady state: events 9,001-11,000 vs %,d-%,d (the first 1,000 still pay for JIT warm-up)", from + 1, to),
                        String.format("%s/s vs %s/s", fmt(tenK), fmt(at)), "ratio >= 0.8", verdict(at / tenK >= 0.8, String.format("%.2f", at / tenK)));
            }
            StringBuilder series = new StringBuilder();
            for (int a = 0; a + 10_000 <= r.done; a += 10_000) series.append(a == 0 ? "" : ", ").append(fmt(r.rate(a, a + 10_000)));
            row("2 REST", "rate per block of 10,000 events, in order (events/s)", series.toString(), "", "");
            row("2 REST", "cold start, for reference: the 5,000 warm-up events (another pipeline) on the fresh JVM", fmt(w.rate()) + " events/s", "", "");
        }
    }

    // ---- 4. Memory -----------------------------------------------------------------------------

    private void memory(BenchSqs sqs) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        for (int p = 0; p < memoryPipelines; p++) {
            props.putAll(pipeline("mem" + p, "s3://" + BUCKET + "/mem" + p + "/", 10_000_000, "24h", null));
        }
        String dataUrl = null;
        boolean viaSqs = "sqs".equals(memoryMode);
        if (viaSqs) {
            sqs.createQueue("events-mem");
            dataUrl = sqs.createQueue("data-mem");
            props.putAll(sqs.appProperties("events-mem", "data-mem", bestConsumers));
        }
        try (BenchApp app = BenchApp.start("memory", "2g", props)) {
            Thread.sleep(3000);
            long before = app.heapUsedAfterFullGc();
            long beforeMetrics = app.heapUsedFromMetrics();
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(memorySeconds);
            // Two halves, each until every event is in (queue drained), the heap measured in between, quiescent.
            int halfEvents = memoryEvents / 20 * 10;
            ingestMemory(app, sqs, dataUrl, 0, halfEvents, deadline);
            long halfCount = memoryEventsIn(app);
            long halfHeap = app.heapUsedAfterFullGc();
            ingestMemory(app, sqs, dataUrl, halfEvents, memoryEvents, deadline);
            double ingestSeconds = (System.nanoTime() - t0) / 1e9;
            long events = memoryEventsIn(app);
            long after = app.heapUsedAfterFullGc();
            long afterMetrics = app.heapUsedFromMetrics();
            double perEvent = (after - before) / (double) events;
            log(String.format("memory: %,d events in %.0f s (%.0f/s) via %s; heap after full GC %,d -> %,d (at %,d events) -> %,d bytes: %.0f bytes/event (metrics %,d -> %,d: %.0f)",
                    events, ingestSeconds, events / ingestSeconds, memoryMode, before, halfHeap, halfCount, after, perEvent, beforeMetrics, afterMetrics,
                    (afterMetrics - beforeMetrics) / (double) events));
            if (events < memoryEvents) {
                notes.add(String.format("Memory: scaled down: %,d of %,d events got in within %d s (-Dbench.memory.seconds); bytes/event is over those.",
                        events, memoryEvents, memorySeconds));
            }
            row("4 Memory", String.format("%,d events in %d open batches (batch.size 10,000,000), in via %s in %.0f s (%.0f/s, ingestion paused once at half for a measurement), -Xmx2g G1",
                            events, memoryPipelines, viaSqs ? "SQS, 10 S3 records per message, concurrent-consumers=" + bestConsumers : "REST, " + restThreads + " clients",
                            ingestSeconds, events / ingestSeconds),
                    String.format("%.0f bytes/event (used heap after jcmd GC.run: %.1f MB -> %.1f MB; /q/metrics: %.1f -> %.1f MB)",
                            perEvent, before / 1e6, after / 1e6, beforeMetrics / 1e6, afterMetrics / 1e6), "", "");
            if (halfCount > 0 && events > halfCount) {
                row("4 Memory", "heap after GC.run at half vs at the end (does the heap grow with the events?)",
                        String.format("%.1f MB at %,d events (%.0f bytes/event), %.1f MB at %,d (%.0f bytes/event for the second part)",
                                halfHeap / 1e6, halfCount, (halfHeap - before) / (double) halfCount, after / 1e6, events,
                                (after - halfHeap) / (double) (events - halfCount)), "", "");
            }
            long disk = dirSize(app.dataDir);
            row("4 Memory", "store on disk (H2 file) after the events", String.format("%.0f MB, %.0f bytes/event", disk / 1e6, disk / (double) events), "", "");
        }
    }

    private long memoryEventsIn(BenchApp app) throws Exception {
        long n = 0;
        for (int p = 0; p < memoryPipelines; p++) n += app.openBatchEvents("mem" + p);
        return n;
    }

    /** Events from..to-1 into the mem pipelines, over SQS (10 records per message) or REST; returns when they are all in (or at the deadline). */
    private void ingestMemory(BenchApp app, BenchSqs sqs, String dataUrl, int from, int to, long deadline) throws Exception {
        if (System.nanoTime() > deadline) return;
        if (dataUrl != null) {
            feedMemoryQueue(sqs, dataUrl, from / 10, to / 10, deadline);
        } else {
            RestLoad load = new RestLoad(app, restThreads);
            int pipelines = memoryPipelines;
            load.run(to - from, k -> {
                int i = from + k;
                return RestLoad.dataEvent("mem-" + i, "s3://" + BUCKET + "/mem" + (i % pipelines) + "/obj-" + i + ".parquet", 1000);
            }, deadline, null);
        }
    }

    /**
     * Messages fromMsg..toMsg-1 of 10 S3 records each (one pipeline per message) from two producers, a backlog of at
     * most about 2,000 messages, until all are sent and taken off the queue.
     */
    private void feedMemoryQueue(BenchSqs sqs, String url, int fromMsg, int toMsg, long deadline) throws Exception {
        AtomicLong sent = new AtomicLong();
        int producers = 2;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < producers; t++) {
                int me = t;
                fs.add(pool.submit(() -> {
                    int calls = 0;
                    for (int first = fromMsg + me * 10; first < toMsg; first += producers * 10) {
                        if (System.nanoTime() > deadline) return null;
                        int end = Math.min(toMsg, first + 10);
                        sqs.fill1(url, first, end, m -> {
                            StringBuilder b = new StringBuilder("{\"Records\":[");
                            String prefix = "mem" + (m % memoryPipelines) + "/";
                            for (int j = 0; j < 10; j++) {
                                long e = m * 10L + j;
                                if (j > 0) b.append(',');
                                b.append(BenchSqs.s3Record(BUCKET, prefix + "obj-" + e + ".parquet", 500L * 10_000_000L + e, 1000));
                            }
                            return b.append("]}").toString();
                        });
                        long s = sent.addAndGet(end - first);
                        if (me == 0 && ++calls % 50 == 0) {
                            while (System.nanoTime() < deadline) {
                                long[] c = sqs.counts(url);
                                if (c[0] + c[1] < 2000) break;
                                Thread.sleep(100);
                            }
                            if (calls % 2500 == 0) log(String.format("memory: %,d messages sent", s + fromMsg));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        long drainBy = Math.max(deadline, System.nanoTime()) + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < drainBy) {
            long[] c = sqs.counts(url);
            if (c[0] == 0 && c[1] == 0) return;
            Thread.sleep(100);
        }
        notes.add("Memory: the data queue was not drained 120 s after the deadline: " + Arrays.toString(sqs.counts(url)));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static long dirSize(Path dir) throws java.io.IOException {
        try (var st = Files.walk(dir)) {
            return st.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static Map<String, String> pipeline(String name, String dataSource, long batchSize, String window, String monitors) {
        Map<String, String> p = new LinkedHashMap<>();
        String k = "retrain.pipelines." + name + ".";
        p.put(k + "target", "dry-run");
        p.put(k + "data-sources", dataSource);
        p.put(k + "batch.size", Long.toString(batchSize));
        p.put(k + "batch.window", window);
        if (monitors != null) p.put(k + "monitors", monitors);
        return p;
    }

    private void row(String part, String what, String value, String goal, String met) {
        rows.add(new String[]{part, what, value, goal, met});
    }

    private static String verdict(boolean ok, String figure) {
        return (figure.isEmpty() ? "" : figure + " ") + (ok ? "met" : "MISSED");
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmtAll(double[] a) {
        return String.join(", ", Arrays.stream(a).mapToObj(IngestBench::fmt).toList());
    }

    private static void log(String s) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + s);
        System.out.flush();
    }

    private String results(ZonedDateTime startedAt, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append("# retrain-trigger ingestion benchmark\n\n");
        b.append("- date: ").append(startedAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", Java ").append(System.getProperty("java.version")).append('\n');
        b.append("- command: `./mvnw -B -Pbench verify`; everything on 127.0.0.1, the app and ElasticMQ (in the benchmark's JVM) and the clients share the cores\n");
        b.append("- app: java -Xmx1g (memory: 2g) -XX:+UseG1GC -jar quarkus-run.jar, H2 file store (WRITE_DELAY=0), dry-run launcher, logs in target/bench/*.log\n");
        b.append("- load average (1, 5, 15 min) at start: ").append(loadAtStart).append(", at end: ").append(loadAverage())
                .append(" (other processes on the machine count: the cores are shared)\n");
        b.append(String.format(Locale.ROOT, "- total benchmark time: %.0f s%n%n", seconds));
        b.append("| part | measurement | result | goal | met |\n|---|---|---|---|---|\n");
        for (String[] r : rows) b.append("| ").append(String.join(" | ", r)).append(" |\n");
        if (!notes.isEmpty()) {
            b.append("\nNotes:\n");
            for (String n : notes) b.append("- ").append(n).append('\n');
        }
        b.append("\nProperties (as -D on the app's command line; the full command is the first line of each target/bench/*.log):\n");
        b.append("- every run: `quarkus.http.host=127.0.0.1 quarkus.http.port=<free> retrain.store.jdbc.url=jdbc:h2:file:<tmp>/retrain-trigger;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0 retrain.auth.password-file=<tmp>/admin-password`, env `RETRAIN_ADMIN_PASSWORD`, working directory holding `routes/`\n");
        b.append("- pipeline: `retrain.pipelines.bench.target=dry-run retrain.pipelines.bench.data-sources=s3://" + BUCKET + "/incoming/ retrain.pipelines.bench.batch.size=1000000 retrain.pipelines.bench.batch.window=24h retrain.pipelines.bench.monitors=" + ALARM + "` (memory: mem0..mem" + (memoryPipelines - 1) + ", batch.size=10000000)\n");
        b.append("- SQS: `retrain.sources.aws.enabled=true retrain.sources.aws.queue=<events queue> retrain.sources.aws.data-queue=<data queue> retrain.sources.aws.concurrent-consumers=<1|4|16> retrain.sources.aws.wait-time-seconds=1 retrain.aws.endpoints.sqs=http://127.0.0.1:<port> retrain.aws.region=us-east-1 retrain.aws.access-key-id=x retrain.aws.secret-access-key=x` (queues created with VisibilityTimeout " + BenchSqs.VISIBILITY_TIMEOUT + " s; the app's visibility-timeout default is 300)\n");
        if (profiles.length() > 0) {
            b.append("\n## Where the time goes (thread-dump samples; full counts in target/bench/profile-*.txt)\n").append(profiles);
        }
        return b.toString();
    }

    /** CPU seconds so far of: the app, this JVM (clients, ElasticMQ), the whole machine (busy, from /proc/stat); and the wall time. */
    private static double[] cpu(BenchApp app) {
        double appCpu = app.process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
        double self = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        double machine = Double.NaN;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            machine = (total - idle) / 100.0; // USER_HZ 100
        } catch (Exception e) {
            // not Linux
        }
        return new double[]{appCpu, self, machine, System.nanoTime() / 1e9};
    }

    /** "app 1.2 cores, benchmark JVM 0.5, machine 1.9 of N" between two {@link #cpu} readings. */
    private static String cpuUse(double[] a, double[] b) {
        double wall = b[3] - a[3];
        return String.format(Locale.ROOT, "CPU: app %.2f cores, benchmark JVM %.2f, whole machine %.2f of %d",
                (b[0] - a[0]) / wall, (b[1] - a[1]) / wall, (b[2] - a[2]) / wall, Runtime.getRuntime().availableProcessors());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static void quietLogging() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler h : root.getHandlers()) h.setLevel(Level.WARNING);
    }
}
