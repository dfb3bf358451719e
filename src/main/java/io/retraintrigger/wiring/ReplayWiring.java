package io.retraintrigger.wiring;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retraintrigger.audit.AuditTrail;
import io.retraintrigger.audit.SinkAttributes;
import io.retraintrigger.backtest.ReplayServices;
import io.retraintrigger.batch.Batches;
import io.retraintrigger.batch.DecisionData;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.coordinator.Coordinator;
import io.retraintrigger.drift.DriftService;
import io.retraintrigger.ingest.DeadLetters;
import io.retraintrigger.ingest.EventHistory;
import io.retraintrigger.ingest.Intake;
import io.retraintrigger.ingest.PipelineMatcher;
import io.retraintrigger.ingest.TrainingRequests;
import io.retraintrigger.ingest.azure.ServiceBusSettlement;
import io.retraintrigger.ingest.http.CloudEventLines;
import io.retraintrigger.ingest.http.CloudEventParser;
import io.retraintrigger.ingest.http.HttpCloudEvents;
import io.retraintrigger.launch.LaunchService;
import io.retraintrigger.launch.dryrun.DryRunLauncher;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.jdbc.JdbcApprovalLog;
import io.retraintrigger.store.jdbc.JdbcAuditMarks;
import io.retraintrigger.store.jdbc.JdbcBatchStore;
import io.retraintrigger.store.jdbc.JdbcDeadLetterStore;
import io.retraintrigger.store.jdbc.JdbcDecisionLog;
import io.retraintrigger.store.jdbc.JdbcEventArchive;
import io.retraintrigger.store.jdbc.JdbcLaunchLeases;
import io.retraintrigger.store.jdbc.JdbcPipelineSteps;
import io.retraintrigger.store.jdbc.JdbcPool;
import io.retraintrigger.store.jdbc.JdbcSignalTimes;
import io.retraintrigger.watch.SignalWatch;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The services of a backtest's replay, made by hand as the CDI producers make them for the service: the same
 * classes, on an in-memory H2 store of the replay's own (the JDBC adapters, schema by the same migrations) and
 * the dry-run launcher. One store per replay, so that replays of several configurations never meet.
 */
@ApplicationScoped
public class ReplayWiring implements ReplayServices {

    private final CloudEventParser parser = new CloudEventParser();
    private final CloudEventLines lines = new CloudEventLines();

    @Override
    public String write(TriggerEvent event) {
        return lines.line(event);
    }

    @Override
    public TriggerEvent read(String line) {
        return parser.parse("application/cloudevents+json", Map.of(), line);
    }

    @Override
    public Stack open(RetrainConfig config, Clock clock) {
        AgroalDataSource ds;
        try {
            ds = JdbcPool.open("jdbc:h2:mem:backtest_" + UUID.randomUUID().toString().replace("-", "")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", null, null, 4);
        } catch (SQLException e) {
            throw new ConfigurationError("backtest", "cannot open the replay's in-memory store: " + e.getMessage());
        }
        try {
            Producers.migrate(ds);
            PipelineRegistry pipelines = new PipelineRegistry(config);
            RetrainMetrics metrics = new RetrainMetrics(new SimpleMeterRegistry());
            JdbcDecisionLog decisions = new JdbcDecisionLog(ds);
            JdbcApprovalLog approvals = new JdbcApprovalLog(ds);
            JdbcBatchStore batchStore = new JdbcBatchStore(ds, config.batch().decideLease());
            JdbcPipelineSteps steps = new JdbcPipelineSteps(ds);
            Coordinator coordinator = new Coordinator(steps, decisions, approvals, pipelines, clock, metrics);
            Batches batches = new Batches(batchStore, pipelines, clock, config);
            DeadLetters deadLetters = new DeadLetters(new JdbcDeadLetterStore(ds), metrics, clock, config);
            // what it sees is kept for checks of signals that did not come, which a replay does not run (it writes nothing)
            SignalWatch watch = new SignalWatch(pipelines, new JdbcSignalTimes(ds), decisions, new JdbcAuditMarks(ds), metrics, clock, config);
            EventHistory history = new EventHistory(new JdbcEventArchive(ds), Duration.ZERO, clock); // a replay keeps no events
            Intake intake = new Intake(List.of(new HttpCloudEvents(config)), new PipelineMatcher(pipelines), batches, decisions, deadLetters, metrics,
                    watch, clock, history);
            LaunchService launches = new LaunchService(List.of(new DryRunLauncher()), pipelines, decisions, new JdbcLaunchLeases(ds), clock, config,
                    coordinator, new DecisionData(batchStore), metrics);
            Map<String, Object> beans = Map.ofEntries(
                    Map.entry("intake", intake),
                    Map.entry("batches", batches),
                    Map.entry("deadLetters", deadLetters),
                    Map.entry("trainingRequests", new TrainingRequests(pipelines, clock)),
                    Map.entry("driftService", new DriftService(pipelines, coordinator, metrics, clock)),
                    Map.entry("coordinator", coordinator),
                    Map.entry("launchService", launches),
                    Map.entry("auditTrail", new AuditTrail(new JdbcAuditMarks(ds))),
                    Map.entry("sinkAttributes", new SinkAttributes()),
                    Map.entry("serviceBusSettlement", new ServiceBusSettlement()),
                    Map.entry("eventHistory", history));
            return new Stack(beans, decisions, approvals, steps, batchStore, coordinator, () -> {
                launches.stop();
                ds.close();
            });
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }
}
