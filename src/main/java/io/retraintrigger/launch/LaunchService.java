package io.retraintrigger.launch;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.coordinator.Coordinator;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.store.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.retraintrigger.model.TriggerEvent;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends a recorded LAUNCHED decision to its pipeline's launcher and records the answer. The decision
 * is in the store (launch PENDING) before this runs, so a crash here means a resend, not a loss.
 */
@ApplicationScoped
@Named("launcher")
public class LaunchService {
    private static final Logger LOG = Logger.getLogger(LaunchService.class);
    private final Map<String, PipelineLauncher> launchers;
    private final PipelineRegistry pipelines;
    private final StateStore store;
    private final Clock clock;
    private final Coordinator coordinator;
    private final Duration resendAfter;

    @Inject
    public LaunchService(Instance<PipelineLauncher> launchers, PipelineRegistry pipelines, StateStore store, Clock clock, RetrainConfig config,
                         Coordinator coordinator) {
        this.coordinator = coordinator;
        this.resendAfter = config.launch().resendAfter();
        this.launchers = launchers.stream().collect(Collectors.toMap(PipelineLauncher::target, Function.identity()));
        this.pipelines = pipelines;
        this.store = store;
        this.clock = clock;
    }

    /**
     * @return the decision as now recorded: SUBMITTED with the execution id, or FAILED with the
     * launcher's message. A {@link RetryableLaunchException} propagates and leaves it PENDING.
     */
    public Decision launch(Decision decision) {
        if (decision.outcome() != Outcome.LAUNCHED || decision.launch() == null || decision.launch().status() != LaunchStatus.PENDING) {
            return decision;
        }
        PipelineSettings pipeline = pipelines.get(decision.pipeline());
        PipelineLauncher launcher = launchers.get(decision.launch().target());
        if (launcher == null) {
            return fail(decision, "no launcher for target '" + decision.launch().target() + "'");
        }
        try {
            String executionId = launcher.launch(pipeline, decision);
            Launch done = decision.launch().submitted(executionId, clock.instant());
            store.updateLaunch(decision.id(), Outcome.LAUNCHED, decision.reasons(), done);
            return decision.withLaunch(done);
        } catch (LaunchRejectedException e) {
            return fail(decision, "launch_failed: " + e.getMessage());
        }
    }

    private Decision fail(Decision decision, String reason) {
        Launch failed = decision.launch().failed(reason, clock.instant());
        List<String> reasons = new ArrayList<>(decision.reasons());
        reasons.add(reason);
        store.updateLaunch(decision.id(), Outcome.FAILED, reasons, failed);
        coordinator.releaseFailedLaunch(decision);
        return decision.failed(failed, reason);
    }

    /** A target reported the state of an execution: kept with the launch that started it. */
    public Optional<Decision> recordExecutionStatus(TriggerEvent event) {
        String executionId = event.attributes().get(TriggerEvent.EXECUTION_ID);
        String status = event.attributes().get(TriggerEvent.EXECUTION_STATUS);
        String ended = event.attributes().get(TriggerEvent.EXECUTION_ENDED_AT);
        Instant at = ended != null ? Instant.parse(ended) : event.occurredAt() != null ? event.occurredAt() : clock.instant();
        Optional<Decision> d = store.recordExecutionStatus(executionId, status, at);
        if (d.isEmpty()) {
            LOG.infof("execution %s (%s) was not launched by retrain-trigger; not recorded", executionId, status);
        }
        return d;
    }

    /** LAUNCHED decisions left PENDING (crash, or retries exhausted) for retrain.launch.resend-after. */
    public List<Decision> stalled() {
        return store.pendingLaunches(clock.instant().minus(resendAfter), 100);
    }
}
