package io.retraintrigger.launch;

import io.retraintrigger.batch.DecisionData;
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

    private final DecisionData data;

    @Inject
    public LaunchService(Instance<PipelineLauncher> launchers, PipelineRegistry pipelines, StateStore store, Clock clock, RetrainConfig config,
                         Coordinator coordinator, DecisionData data) {
        this.data = data;
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
        Decision sent = withAllData(decision);
        PipelineSettings pipeline = pipelines.get(decision.pipeline());
        PipelineLauncher launcher = launchers.get(decision.launch().target());
        if (launcher == null) {
            return fail(decision, "no launcher for target '" + decision.launch().target() + "'");
        }
        try {
            String executionId = launcher.launch(pipeline, sent);
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

    /**
     * Claims the sending of a PENDING launch for retrain.launch.resend-after: of replicas (and redeliveries)
     * that find the same decision, one sends it; the others leave it to the lease holder, and after the
     * lease to the resend sweep.
     */
    public boolean claim(Decision decision) {
        Instant now = clock.instant();
        return store.claimLaunch(decision.id(), now, now.plus(resendAfter));
    }

    /** The decision as its launcher receives it: a batch's whole object list in its request and DataPaths. */
    private Decision withAllData(Decision d) {
        if (d.request() == null || !d.request().metadata().dataInStore()) return d;
        List<String> all = data.all(d.request().metadata());
        return new Decision(d.id(), d.pipeline(), d.triggerType(), d.priority(), d.outcome(), d.reasons(), d.decidedAt(), d.deferredUntil(),
                d.estimatedCost(), d.request().withMetadata(d.request().metadata().withAllDataUris(all)),
                d.launch().withParameter(LaunchParameters.DATA_PATHS, String.join(",", all)));
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
