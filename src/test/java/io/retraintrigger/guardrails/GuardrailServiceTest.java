package io.retraintrigger.guardrails;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ModelPromoter;
import io.retraintrigger.launch.ReportReader;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EvaluationReport;
import io.retraintrigger.model.GuardrailOutcome;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.Promotion;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.store.StateContractFixtures;
import io.retraintrigger.store.jdbc.JdbcApprovalLog;
import io.retraintrigger.store.jdbc.JdbcDecisionLog;
import io.retraintrigger.store.jdbc.JdbcPipelineSteps;
import io.retraintrigger.store.jdbc.JdbcPool;
import io.retraintrigger.backtest.SimulatedClock;
import io.retraintrigger.testing.TestConfig;
import io.retraintrigger.wiring.Producers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guardrail service without Quarkus, on H2 and a clock the test moves: a training's status, the report timeout, racing evaluators, retried promotions. */
class GuardrailServiceTest {
    private static final Instant T = Instant.parse("2026-03-10T12:00:00Z");
    private static AgroalDataSource dataSource;
    private static JdbcDecisionLog decisions;
    private static PipelineRegistry pipelines;
    private static final SimulatedClock clock = new SimulatedClock(T);

    @BeforeAll
    static void start() throws Exception {
        dataSource = JdbcPool.open("jdbc:h2:mem:guardrails_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", null, null, 16);
        Producers.migrate(dataSource);
        decisions = new JdbcDecisionLog(dataSource);
        pipelines = new PipelineRegistry(TestConfig.retrainConfig(Map.of("retrain.pipelines.p.target", "dry-run",
                "retrain.pipelines.p.guardrails.report-timeout", "2h",
                "retrain.pipelines.r.target", "dry-run",
                "retrain.pipelines.r.guardrails.report-uri", "s3://reports/{pipeline}/{executionId}/evaluation.json")));
    }

    @AfterAll
    static void stop() {
        if (dataSource != null) dataSource.close();
    }

    private static GuardrailService service(ModelPromoter promoter) {
        return service(promoter, List.of());
    }

    private static GuardrailService service(ModelPromoter promoter, List<ReportReader> readers) {
        return new GuardrailService(pipelines, decisions, new JdbcApprovalLog(dataSource), new JdbcPipelineSteps(dataSource), List.of(promoter), readers,
                new RetrainMetrics(new SimpleMeterRegistry()), clock, 200);
    }

    /** A sent training of pipeline p, recorded as LAUNCHED/SUBMITTED. */
    private static Decision submitted() {
        return submitted("p");
    }

    private static Decision submitted(String pipeline) {
        String id = UUID.randomUUID().toString();
        TrainingRequest r = new TrainingRequest(pipeline, TriggerType.SCHEDULED, 5, "scheduled", T, null);
        Decision d = new Decision(id, pipeline, TriggerType.SCHEDULED, 5, Outcome.LAUNCHED, List.of("allowed"), T, null, 150, r,
                Launch.pending("dry-run", 1, Map.of()).submitted("exec-" + id, T));
        decisions.recordDecision(d);
        return d;
    }

    private static EvaluationReport good() {
        return new EvaluationReport("model-1", Map.of("accuracy", 0.9), Map.of("accuracy", 0.9), Map.of("accuracy", 0.89),
                new EvaluationReport.Predictions(Map.of("a", 0.5, "b", 0.5), Map.of("a", 0.5, "b", 0.5)), Map.of(), false);
    }

    private static final ModelPromoter PROMOTES = new ModelPromoter() {
        public String target() {
            return "dry-run";
        }

        public Map<String, String> promote(io.retraintrigger.config.PipelineSettings p, Decision d, EvaluationReport r) {
            return Map.of("model", r.model());
        }
    };

    @Test
    void aSucceededTrainingAwaitsItsReportAndGetsNoReportAfterTheTimeout() {
        clock.set(T);
        GuardrailService g = service(PROMOTES);
        Decision d = submitted();
        assertEquals(Optional.empty(), g.trainingStatus(decisions.recordExecutionStatus("exec-" + d.id(), "Executing", T)), "not finished");
        Decision awaiting = g.trainingStatus(decisions.recordExecutionStatus("exec-" + d.id(), "Succeeded", T.plusSeconds(60))).orElseThrow();
        assertEquals(GuardrailOutcome.AWAITING_REPORT, awaiting.evaluation().outcome());
        assertEquals(Optional.empty(), g.trainingStatus(decisions.recordExecutionStatus("exec-" + d.id(), "Succeeded", T.plusSeconds(61))),
                "a repeated status changes nothing");

        clock.set(T.plus(Duration.ofHours(2)).minusSeconds(1));
        assertTrue(g.sweep().stream().noneMatch(x -> x.id().equals(d.id())), "within the timeout");
        clock.set(T.plus(Duration.ofHours(2)).plusSeconds(1));
        Decision late = g.sweep().stream().filter(x -> x.id().equals(d.id())).findFirst().orElseThrow();
        assertEquals(GuardrailOutcome.NO_REPORT, late.evaluation().outcome());
        assertTrue(late.evaluation().reasons().get(0).startsWith("no_report: no evaluation report within PT2H"), late.evaluation().reasons().toString());
        assertTrue(g.notifies(late));
        BadInputException tooLate = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class, () -> g.evaluate(d.id(), good(), "api"));
        assertEquals(409, tooLate.status());
    }

    @Test
    void ofEightRacingEvaluatorsOneEvaluatesAndThePromotionIsSentOnce() throws Exception {
        clock.set(T);
        AtomicInteger sent = new AtomicInteger();
        GuardrailService g = service(new ModelPromoter() {
            public String target() {
                return "dry-run";
            }

            public Map<String, String> promote(io.retraintrigger.config.PipelineSettings p, Decision d, EvaluationReport r) {
                sent.incrementAndGet();
                return Map.of("model", r.model());
            }
        });
        Decision d = submitted();
        List<Object> results = StateContractFixtures.runConcurrently(8, i -> {
            try {
                return g.evaluate(d.id(), good(), "evaluator-" + i);
            } catch (BadInputException e) {
                return e;
            }
        });
        assertEquals(1, results.stream().filter(r -> r instanceof Decision).count(), "evaluations");
        assertEquals(7, results.stream().filter(r -> r instanceof BadInputException b && b.status() == 409).count(), "refused as evaluated already");
        assertEquals(1, sent.get(), "promotions sent");
        assertEquals(Promotion.PromotionStatus.PROMOTED, decisions.decision(d.id()).orElseThrow().evaluation().promotion().status());
    }

    @Test
    void aPromotionTheRegistryCannotTakeNowIsSentAgainByTheSweepAndARefusalFailsIt() {
        clock.set(T);
        List<RuntimeException> answers = new ArrayList<>(List.of(new RetryableLaunchException("throttled", null), new LaunchRejectedException("no such model package", null)));
        GuardrailService g = service(new ModelPromoter() {
            public String target() {
                return "dry-run";
            }

            public Map<String, String> promote(io.retraintrigger.config.PipelineSettings p, Decision d, EvaluationReport r) {
                throw answers.remove(0);
            }
        });
        Decision d = submitted();
        Promotion first = g.evaluate(d.id(), good(), "api").evaluation().promotion();
        assertEquals(Promotion.PromotionStatus.PENDING, first.status());
        assertEquals(1, first.attempts());
        assertEquals("throttled", first.error());
        Decision swept = g.sweep().stream().filter(x -> x.id().equals(d.id())).findFirst().orElseThrow();
        assertEquals(Promotion.PromotionStatus.FAILED, swept.evaluation().promotion().status());
        assertEquals("no such model package", swept.evaluation().promotion().error());
        assertTrue(g.notifies(swept), "a failed promotion is news");
        assertTrue(g.sweep().stream().noneMatch(x -> x.id().equals(d.id())), "a failed promotion is not sent again");
    }

    /** The report store as the reader port sees it: objects by URI (the real readers are on their emulators in the cloud tests). */
    static final class Objects implements ReportReader {
        final Map<String, byte[]> stored = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();

        public boolean reads(String uri) {
            return uri.startsWith("s3://");
        }

        public Optional<byte[]> read(String uri) {
            reads.add(uri);
            return Optional.ofNullable(stored.get(uri));
        }
    }

    @Test
    void aReportThatComesAfterTheStatusIsReadByTheSweep() {
        clock.set(T);
        Objects store = new Objects();
        GuardrailService g = service(PROMOTES, List.of(store));
        Decision d = submitted("r");
        String uri = "s3://reports/r/exec-" + d.id() + "/evaluation.json";
        Decision awaiting = g.trainingStatus(decisions.recordExecutionStatus("exec-" + d.id(), "Succeeded", T)).orElseThrow();
        assertEquals(GuardrailOutcome.AWAITING_REPORT, awaiting.evaluation().outcome());
        assertEquals(List.of(uri), store.reads, "read at once: not there yet");

        store.stored.put(uri, ("{\"model\":\"model-1\",\"goldenSet\":{\"accuracy\":0.9},\"candidate\":{\"accuracy\":0.9},"
                + "\"baseline\":{\"accuracy\":0.89},\"predictions\":{\"candidate\":{\"a\":0.5,\"b\":0.5},\"baseline\":{\"a\":0.5,\"b\":0.5}}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Decision swept = g.sweep().stream().filter(x -> x.id().equals(d.id())).findFirst().orElseThrow();
        assertEquals(GuardrailOutcome.PROMOTE, swept.evaluation().outcome());
        assertEquals(uri, swept.evaluation().source());
        assertEquals(Promotion.PromotionStatus.PROMOTED, swept.evaluation().promotion().status());
        int reads = store.reads.size();
        g.sweep();
        assertEquals(reads, store.reads.size(), "an evaluated training is not read again");
    }

    @Test
    void anInvalidReportAtItsUriRejectsTheModelWithTheReason() {
        clock.set(T);
        Objects store = new Objects();
        GuardrailService g = service(PROMOTES, List.of(store));
        Decision d = submitted("r");
        store.stored.put("s3://reports/r/exec-" + d.id() + "/evaluation.json", "{\"goldenSet\":{\"accuracy\":7}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Decision rejected = g.trainingStatus(decisions.recordExecutionStatus("exec-" + d.id(), "Succeeded", T)).orElseThrow();
        assertEquals(GuardrailOutcome.REJECT, rejected.evaluation().outcome());
        assertTrue(rejected.evaluation().reasons().get(0).startsWith("reject: invalid_report at s3://reports/r/exec-" + d.id()
                + "/evaluation.json: invalid field goldenSet.accuracy: must be in [0, 1]"), rejected.evaluation().reasons().toString());
        assertEquals(null, rejected.evaluation().promotion());
    }
}
