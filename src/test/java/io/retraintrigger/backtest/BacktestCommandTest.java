package io.retraintrigger.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.wiring.ReplayWiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backtest command as the jar runs it: its arguments, its exit status, its table, its JSON. */
class BacktestCommandTest {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path dir;

    private record Ran(int status, String out, String err) {
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BacktestCommand.run(args, new ReplayWiring(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path files() throws Exception {
        Events e = new Events();
        for (int i = 0; i < 6; i++) e.data(T0.plus(Duration.ofMinutes(10L * i)), "fraud", "s3://b/fraud/" + i + ".csv", 2_000_000_000L);
        e.drift(T0.plus(Duration.ofHours(2)), "fraud", 0.2).drift(T0.plus(Duration.ofHours(9)), "fraud", 0.2);
        Files.write(dir.resolve("events.jsonl"), e.lines());
        Files.writeString(dir.resolve("candidate.properties"), """
                retrain.pipelines.fraud.target=sagemaker
                retrain.pipelines.fraud.sagemaker.pipeline-name=fraud-training
                retrain.pipelines.fraud.data-sources=s3://b/fraud/
                retrain.pipelines.fraud.batch.size=3
                retrain.pipelines.fraud.coordinator.min-interval=1h
                """);
        Files.writeString(dir.resolve("current.properties"), """
                retrain.pipelines.fraud.target=sagemaker
                retrain.pipelines.fraud.sagemaker.pipeline-name=fraud-training
                retrain.pipelines.fraud.data-sources=s3://b/fraud/
                retrain.pipelines.fraud.batch.size=6
                retrain.pipelines.fraud.coordinator.min-interval=12h
                """);
        return dir;
    }

    @Test
    void twoConfigurationsSideBySide() throws Exception {
        Path d = files();
        Ran r = run("--events", d.resolve("events.jsonl").toString(), "--config", d.resolve("candidate.properties").toString(),
                "--against", d.resolve("current.properties").toString(), "--progress", "0");
        assertEquals(0, r.status(), r.err());
        String header = r.out().lines().findFirst().orElseThrow();
        assertTrue(header.contains("candidate") && header.contains("against"), r.out());
        String trainings = r.out().lines().filter(l -> l.startsWith("trainings")).findFirst().orElseThrow();
        // candidate: two batches of 3 (the second deferred by 1h? no: 50 min after the first, cooldown 1h: deferred then launched), drift
        // current: one batch of 6, the first alert within the 12 h cooldown
        assertTrue(trainings.matches("trainings\\s+\\d+\\s+\\d+\\s*"), trainings);
        String[] cells = trainings.trim().split("\\s+");
        assertTrue(Integer.parseInt(cells[1]) > Integer.parseInt(cells[2]), "the candidate trains more often: " + r.out());
    }

    @Test
    void aSweepMarksItsParetoFrontInJson() throws Exception {
        Path d = files();
        Ran r = run("--events", d.resolve("events.jsonl").toString(), "--config", d.resolve("candidate.properties").toString(),
                "--sweep", "retrain.pipelines.fraud.coordinator.min-interval=0s,1h,12h", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode reports = new ObjectMapper().readTree(r.out()).get("reports");
        assertEquals(3, reports.size());
        assertEquals("retrain.pipelines.fraud.coordinator.min-interval=0s", reports.get(0).get("name").asText());
        boolean anyFront = false;
        for (JsonNode rep : reports) {
            assertTrue(rep.has("pareto") && rep.get("estimatedCost").isNumber() && rep.get("timeToAdapt").has("p50Seconds"), rep.toString());
            anyFront |= rep.get("pareto").asBoolean();
        }
        assertTrue(anyFront, "a front is never empty");
        assertTrue(reports.get(0).get("estimatedCost").asDouble() >= reports.get(2).get("estimatedCost").asDouble(),
                "no cooldown costs at least what a 12 h cooldown does: " + reports);
    }

    @Test
    void badArgumentsAndConfigurationAreRefusedWithStatus2() throws Exception {
        Path d = files();
        Ran missing = run("--config", d.resolve("candidate.properties").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("--events is required") && missing.err().contains("usage:"), missing.err());
        Ran unknown = run("--events", "x", "--config", "y", "--fast");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("unknown argument '--fast'"), unknown.err());
        Ran noFile = run("--events", d.resolve("none.jsonl").toString(), "--config", d.resolve("candidate.properties").toString());
        assertEquals(2, noFile.status());
        assertTrue(noFile.err().contains("none.jsonl"), noFile.err());
        Files.writeString(d.resolve("bad.properties"), "retrain.pipelines.fraud.batch.size=many\n");
        Ran badConfig = run("--events", d.resolve("events.jsonl").toString(), "--config", d.resolve("bad.properties").toString());
        assertEquals(2, badConfig.status());
        assertTrue(badConfig.err().contains("retrain.pipelines.fraud.batch.size"), badConfig.err());
        Ran badSweep = run("--events", d.resolve("events.jsonl").toString(), "--config", d.resolve("candidate.properties").toString(), "--sweep", "novalues");
        assertEquals(2, badSweep.status());
        assertTrue(badSweep.err().contains("--sweep takes key=value1,value2"), badSweep.err());
    }
}
