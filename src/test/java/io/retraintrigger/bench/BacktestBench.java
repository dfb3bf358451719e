package io.retraintrigger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.ingest.http.CloudEventParser;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark, not a test: {@code ./mvnw -B -Pbench verify -Dit.test=BacktestBench}. Writes a year of recorded
 * events (an hourly drift alert of pipeline fraud, 8,760, and -Dbench.backtest.data=1,000,000 data arrivals
 * over fraud and churn, with one storm of 20,000 in ten minutes), then runs the packaged application's
 * backtest command on them as a process ({@code bin/backtest}, JAVA_OPTS=-XX:ActiveProcessorCount=2),
 * once for one configuration and once for a sweep of three values of min-interval. The limit it is measured
 * against, in the same run: reading and parsing the same lines with the same CloudEvents parser in this JVM.
 * Figures printed and written to target/bench/backtest-results.md.
 */
class BacktestBench {
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    final int dataEvents = Integer.getInteger("bench.backtest.data", 1_000_000);
    final Path out = BenchApp.OUT;

    @Test
    void bench() throws Exception {
        Files.createDirectories(out);
        Path events = out.resolve("backtest-events.jsonl");
        Path config = out.resolve("backtest-candidate.properties");
        long alerts = generate(events);
        Files.writeString(config, String.join("\n",
                "retrain.pipelines.fraud.target=dry-run",
                "retrain.pipelines.fraud.data-sources=s3://bench/fraud/",
                "retrain.pipelines.fraud.batch.size=50000",
                "retrain.pipelines.fraud.batch.window=24h",
                "retrain.pipelines.fraud.coordinator.min-interval=6h",
                "retrain.pipelines.fraud.coordinator.max-daily-trainings=3",
                "retrain.pipelines.fraud.coordinator.daily-budget=300",
                "retrain.pipelines.fraud.coordinator.base-cost=40",
                "retrain.pipelines.churn.target=dry-run",
                "retrain.pipelines.churn.data-sources=s3://bench/churn/",
                "retrain.pipelines.churn.batch.size=20000",
                "retrain.pipelines.churn.batch.window=12h",
                "retrain.pipelines.churn.schedule=0 0 3 ? * MON",
                ""));
        long size = Files.size(events);
        System.out.printf(Locale.ROOT, "wrote %d events (%d alerts) to %s, %.0f MB%n", dataEvents + alerts, alerts, events, size / 1e6);

        double parse = parseAll(events);
        Run one = backtest("one", events, "--config", config.toString());
        Run sweep = backtest("sweep", events, "--config", config.toString(), "--sweep", "retrain.coordinator.min-interval=1h,6h,12h");

        StringBuilder md = new StringBuilder();
        md.append("Backtest benchmark ").append(ZonedDateTime.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load at start ").append(loadAverage()).append("\n\n");
        md.append("| part | measured | goal |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| events | %,d (%,d data arrivals, %,d hourly drift alerts, one year; %.0f MB) | |%n",
                dataEvents + alerts, dataEvents, alerts, size / 1e6));
        md.append(String.format(Locale.ROOT, "| limit: read + parse every line (CloudEventParser, this JVM) | %.1f s | |%n", parse));
        md.append(String.format(Locale.ROOT, "| backtest, one configuration (process: start, replay, report) | **%.1f s** (replay %.1f s, %.1f × the parse) | < 60 s |%n",
                one.wall, one.replaySeconds.get(0), one.replaySeconds.get(0) / parse));
        md.append(String.format(Locale.ROOT, "| backtest, sweep of 3 values | %.1f s (replays %s s) | |%n", sweep.wall, sweep.replaySeconds));
        md.append(String.format(Locale.ROOT, "| one configuration's report | %s | |%n", one.summary));
        System.out.println(md);
        Files.writeString(out.resolve("backtest-results.md"), md.toString());
        if (one.wall >= 60) throw new AssertionError("the backtest took " + one.wall + " s, the goal is under 60 s");
    }

    /** A year: an hourly alert (mostly low drift, some medium and high, a few critical), data arrivals spread over it, one storm. */
    private long generate(Path file) throws Exception {
        Random random = new Random(42);
        long yearMs = Duration.ofDays(365).toMillis();
        long storm = Duration.ofDays(200).toMillis();
        int stormEvents = Math.min(20_000, dataEvents / 10);
        double step = (double) yearMs / (dataEvents - stormEvents);
        long alerts = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long nextAlert = 0;
            int d = 0;
            for (int i = 0; i < dataEvents - stormEvents; i++) {
                long t = (long) (i * step);
                while (nextAlert <= t) {
                    alert(w, alerts++, nextAlert, random);
                    nextAlert += 3_600_000;
                }
                if (t >= storm && d == 0) {
                    for (int s = 0; s < stormEvents; s++) data(w, "fraud", "storm-" + s, t + s * 30L, random);
                    d = 1;
                }
                data(w, i % 10 < 7 ? "fraud" : "churn", Integer.toString(i), t, random);
            }
            while (nextAlert < yearMs) {
                alert(w, alerts++, nextAlert, random);
                nextAlert += 3_600_000;
            }
        }
        return alerts;
    }

    private static void data(BufferedWriter w, String pipeline, String id, long t, Random random) throws Exception {
        w.write("{\"specversion\":\"1.0\",\"id\":\"" + pipeline + "-" + id + "\",\"source\":\"aws:s3\",\"type\":\"io.retraintrigger.data.arrived\",\"time\":\""
                + START.plusMillis(t) + "\",\"data\":{\"pipeline\":\"" + pipeline + "\",\"uri\":\"s3://bench/" + pipeline + "/part-" + id
                + ".parquet\",\"sizeBytes\":" + (1_000_000 + random.nextInt(9_000_000)) + "}}\n");
    }

    private static void alert(BufferedWriter w, long n, long t, Random random) throws Exception {
        double r = random.nextDouble();
        double score = r < 0.90 ? 0.02 + random.nextDouble() * 0.07 : r < 0.97 ? 0.1 + random.nextDouble() * 0.19 : r < 0.995 ? 0.3 + random.nextDouble() * 0.19 : 0.55;
        w.write("{\"specversion\":\"1.0\",\"id\":\"alarm-" + n + "\",\"source\":\"aws:cloudwatch\",\"type\":\"io.retraintrigger.drift.detected\",\"time\":\""
                + START.plusMillis(t) + "\",\"data\":{\"pipeline\":\"fraud\",\"features\":[{\"name\":\"amount\",\"score\":"
                + String.format(Locale.ROOT, "%.3f", score) + "}]}}\n");
    }

    private static double parseAll(Path file) throws Exception {
        CloudEventParser parser = new CloudEventParser();
        long t0 = System.nanoTime();
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                parser.parse("application/cloudevents+json", Map.of(), line);
                n++;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "parsed %d lines in %.1f s%n", n, s);
        return s;
    }

    private record Run(double wall, List<Double> replaySeconds, String summary) {
    }

    private Run backtest(String name, Path events, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bin/backtest", "--events", events.toString(), "--json", "--progress", "250000"));
        cmd.addAll(List.of(args));
        Path stdout = out.resolve("backtest-" + name + ".json");
        Path stderr = out.resolve("backtest-" + name + ".log");
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("JAVA_OPTS", "-XX:ActiveProcessorCount=2");
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("backtest " + name + " did not end in 20 minutes");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new AssertionError("backtest " + name + " exited " + p.exitValue() + ": " + Files.readString(stderr));
        JsonNode reports = new ObjectMapper().readTree(stdout.toFile()).get("reports");
        List<Double> replay = new ArrayList<>();
        for (JsonNode r : reports) replay.add(r.get("replaySeconds").asDouble());
        JsonNode r = reports.get(0);
        String summary = r.get("totalTrainings") + " trainings " + r.get("trainings") + ", cost " + r.get("estimatedCost") + ", deferred "
                + r.get("deferredByReason") + ", rejected " + r.get("rejectedByReason") + ", time to adapt p50 " + r.get("timeToAdapt").get("p50").asText()
                + " p95 " + r.get("timeToAdapt").get("p95").asText() + ", largest storm " + r.get("largestStorm");
        System.out.printf(Locale.ROOT, "backtest %s: %.1f s wall, replays %s s%n%s%n", name, wall, replay, Files.readString(stderr));
        return new Run(wall, replay, summary);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
