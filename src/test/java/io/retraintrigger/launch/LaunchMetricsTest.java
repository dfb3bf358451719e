package io.retraintrigger.launch;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retraintrigger.batch.DecisionData;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.coordinator.Coordinator;
import io.retraintrigger.ingest.TrainingRequests;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.store.jdbc.JdbcApprovalLog;
import io.retraintrigger.store.jdbc.JdbcBatchStore;
import io.retraintrigger.store.jdbc.JdbcDecisionLog;
import io.retraintrigger.store.jdbc.JdbcLaunchLeases;
import io.retraintrigger.store.jdbc.JdbcPipelineSteps;
import io.retraintrigger.store.jdbc.JdbcPool;
import io.retraintrigger.testing.TestConfig;
import io.retraintrigger.wiring.Producers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * LaunchService counts each launcher call where it happens: retrain_launch_duration_seconds by result and
 * retrain_launch_failures_total by kind, for a target that submits, refuses and throttles (a stub launcher; the
 * real coordinator and stores on H2).
 */
class LaunchMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private AgroalDataSource dataSource;
    private Function<Decision, Submission> answer;

    @AfterEach
    void close() {
        if (dataSource != null) dataSource.close();
    }

    private Decision launchOnce() throws Exception {
        dataSource = dataSource != null ? dataSource : JdbcPool.open("jdbc:h2:mem:launch_metrics_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", null, null, 4);
        Producers.migrate(dataSource);
        RetrainConfig config = TestConfig.retrainConfig(Map.of("retrain.pipelines.p.target", "stub", "retrain.pipelines.p.coordinator.min-interval", "0s"));
        PipelineRegistry pipelines = new PipelineRegistry(config);
        RetrainMetrics metrics = new RetrainMetrics(registry);
        Clock clock = Clock.systemUTC();
        JdbcDecisionLog decisions = new JdbcDecisionLog(dataSource);
        Coordinator coordinator = new Coordinator(new JdbcPipelineSteps(dataSource), decisions, new JdbcApprovalLog(dataSource), pipelines, clock, metrics);
        PipelineLauncher stub = new PipelineLauncher() {
            @Override
            public String target() {
                return "stub";
            }

            @Override
            public Submission launch(PipelineSettings pipeline, Decision decision) {
                return answer.apply(decision);
            }
        };
        LaunchService launches = new LaunchService(List.of(stub), pipelines, decisions, new JdbcLaunchLeases(dataSource), clock, config, coordinator,
                new DecisionData(new JdbcBatchStore(dataSource, config.batch().decideLease())), metrics);
        Decision d = coordinator.decide(new TrainingRequests(pipelines, clock).manual("p", "{}".getBytes(StandardCharsets.UTF_8), "test"), null);
        assertEquals(Outcome.LAUNCHED, d.outcome(), d.reasons().toString());
        return launches.launch(d, launches.claim(d));
    }

    @Test
    void eachCallIsTimedByResultAndTheFailuresCountedByKind() throws Exception {
        answer = d -> new Submission("exec-" + d.id(), Map.of());
        assertEquals(LaunchStatus.SUBMITTED, launchOnce().launch().status());
        answer = d -> {
            throw new RetryableLaunchException("throttled", null);
        };
        assertThrows(RetryableLaunchException.class, this::launchOnce);
        answer = d -> {
            throw new LaunchRejectedException("no such pipeline", null);
        };
        assertEquals(LaunchStatus.FAILED, launchOnce().launch().status());

        for (String result : List.of("submitted", "retryable", "rejected")) {
            assertEquals(1, registry.get("retrain.launch.duration").tags("pipeline", "p", "target", "stub", "result", result).timer().count(), result);
        }
        assertEquals(1, registry.get("retrain.launch.failures").tags("pipeline", "p", "target", "stub", "kind", "retryable").counter().count());
        assertEquals(1, registry.get("retrain.launch.failures").tags("pipeline", "p", "target", "stub", "kind", "rejected").counter().count());
    }
}
