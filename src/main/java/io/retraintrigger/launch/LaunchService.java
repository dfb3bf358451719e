package io.retraintrigger.launch;

import io.retraintrigger.batch.DecisionData;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.coordinator.Coordinator;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchParameters;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.observability.Traces;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.LaunchLeases;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends a recorded LAUNCHED decision to its pipeline's launcher and records the answer. The decision
 * is in the store (launch PENDING) before this runs, so a crash here means a resend, not a loss.
 */
@ApplicationScoped
@Startup // its configuration is checked at startup
@Named("launchService")
public class LaunchService {
    private static final Logger LOG = Logger.getLogger(LaunchService.class);
    static final int MAX_RECORDED_VALUE = 2048;
    private final Map<String, PipelineLauncher> launchers;
    private final PipelineRegistry pipelines;
    private final DecisionLog decisions;
    private final LaunchLeases leases;
    private final Clock clock;
    private final Coordinator coordinator;
    private final Duration resendAfter;

    private final DecisionData data;
    private final RetrainMetrics metrics;
    /** One daemon thread renews the leases of the launches being sent (each renewal is one small store write). */
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "launch-lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public LaunchService(Instance<PipelineLauncher> launchers, PipelineRegistry pipelines, DecisionLog decisions, LaunchLeases leases, Clock clock, RetrainConfig config,
                         Coordinator coordinator, DecisionData data, RetrainMetrics metrics) {
        this(launchers.stream().toList(), pipelines, decisions, leases, clock, config, coordinator, data, metrics);
    }

    /** Without CDI (the backtest's replay). */
    public LaunchService(List<PipelineLauncher> launchers, PipelineRegistry pipelines, DecisionLog decisions, LaunchLeases leases, Clock clock, RetrainConfig config,
                         Coordinator coordinator, DecisionData data, RetrainMetrics metrics) {
        this.data = data;
        this.metrics = metrics;
        this.coordinator = coordinator;
        this.resendAfter = sendLease(config.launch());
        this.launchers = byTarget(launchers, pipelines.all());
        this.pipelines = pipelines;
        this.decisions = decisions;
        this.leases = leases;
        this.clock = clock;
    }

    /**
     * The launchers by target, each pipeline's target settings checked by every launcher.
     *
     * @throws ConfigurationError a pipeline's target is unknown, or a launcher refuses its section
     */
    static Map<String, PipelineLauncher> byTarget(List<PipelineLauncher> launchers, Collection<PipelineSettings> pipelines) {
        Map<String, PipelineLauncher> byTarget = launchers.stream().collect(Collectors.toMap(PipelineLauncher::target, Function.identity()));
        for (PipelineSettings p : pipelines) {
            if (!byTarget.containsKey(p.target())) {
                throw new ConfigurationError(p.key() + ".target", "unknown target '" + p.target() + "'; available: " + new TreeSet<>(byTarget.keySet()));
            }
            launchers.forEach(l -> l.check(p));
        }
        return byTarget;
    }

    /** retrain.launch.resend-after, checked: it must outlast the longest wait between two retries. */
    static Duration sendLease(RetrainConfig.Launch launch) {
        if (launch.resendAfter().toMillis() <= launch.maxRetryDelay()) {
            throw new ConfigurationError("retrain.launch.resend-after", "the send lease (" + launch.resendAfter() + ") must outlast the longest"
                    + " wait between retries (retrain.launch.max-retry-delay=" + launch.maxRetryDelay() + " ms), or a launch waiting for"
                    + " its retry would be sent again by the resend sweep");
        }
        return launch.resendAfter();
    }

    /**
     * Sends a PENDING launch whose lease {@code holder} holds ({@link #claim}). Called again by each retry of
     * the launch route: each attempt first renews the lease, and a heartbeat renews it while the target is
     * being called, so that no other sender (the resend sweep, a replica) takes it while this one is at it.
     *
     * @return the decision as now recorded: SUBMITTED with the execution id, or FAILED with the
     * launcher's message; unchanged when the lease is no longer held. A {@link RetryableLaunchException}
     * propagates and leaves it PENDING, its lease held until it expires or the next attempt renews it.
     */
    @WithSpan(Traces.LAUNCH_SPAN)
    public Decision launch(Decision decision, String holder) {
        Decision answered = send(decision, holder);
        Traces.launch(answered);
        return answered;
    }

    private Decision send(Decision decision, String holder) {
        if (decision.outcome() != Outcome.LAUNCHED || decision.launch() == null || decision.launch().status() != LaunchStatus.PENDING) {
            return decision;
        }
        if (holder == null || !leases.renewLaunch(decision.id(), holder, clock.instant().plus(resendAfter))) {
            LOG.infof("launch of %s is no longer held by this sender (answered, or its lease expired and another took it); not sent", decision.id());
            return decision;
        }
        Decision sent = withAllData(decision);
        PipelineSettings pipeline = pipelines.get(decision.pipeline());
        PipelineLauncher launcher = launchers.get(decision.launch().target());
        if (launcher == null) {
            return fail(decision, "no launcher for target '" + decision.launch().target() + "'");
        }
        Submission submitted;
        long started = System.nanoTime();
        try (Heartbeat ignored = heartbeat(decision.id(), holder)) {
            submitted = launcher.launch(pipeline, sent);
        } catch (LaunchRejectedException e) {
            launchCall(decision, RetrainMetrics.LAUNCH_REJECTED, started);
            return fail(decision, "launch_failed: " + e.getMessage());
        } catch (RetryableLaunchException e) {
            launchCall(decision, RetrainMetrics.LAUNCH_RETRYABLE, started);
            throw e;
        }
        launchCall(decision, RetrainMetrics.LAUNCH_SUBMITTED, started);
        Launch done = decision.launch().submitted(submitted.executionId(), recorded(submitted.parameters()), clock.instant());
        decisions.updateLaunch(decision.id(), Outcome.LAUNCHED, decision.reasons(), done);
        return decision.withLaunch(done);
    }

    /** The launcher call timed and counted by result (retrain_launch_duration_seconds, retrain_launch_failures_total). */
    private void launchCall(Decision decision, String result, long startedNanos) {
        metrics.launchCall(decision.pipeline(), decision.launch().target(), result, Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /**
     * What the target was sent, as recorded with the launch: a value over {@value #MAX_RECORDED_VALUE} characters
     * (a long inline data list) is kept cut, with its length, so that the decision stays small.
     */
    static Map<String, String> recorded(Map<String, String> sent) {
        Map<String, String> out = new LinkedHashMap<>();
        sent.forEach((k, v) -> out.put(k, v == null || v.length() <= MAX_RECORDED_VALUE ? v
                : v.substring(0, MAX_RECORDED_VALUE) + "... (" + v.length() + " characters)"));
        return out;
    }

    /** The launch FAILED and the training's counters released, in one store step (see {@link Coordinator#recordFailedLaunch}). */
    private Decision fail(Decision decision, String reason) {
        Decision failed = decision.failed(decision.launch().failed(reason, clock.instant()), reason);
        if (coordinator.recordFailedLaunch(failed)) return failed;
        LOG.infof("launch of %s was answered by another sender meanwhile; its refusal here (%s) is not recorded", decision.id(), reason);
        return decisions.decision(decision.id()).orElse(decision);
    }

    /**
     * Claims the sending of a PENDING launch for retrain.launch.resend-after: of replicas (and redeliveries)
     * that find the same decision, one sends it; the others leave it to the lease holder, and after the
     * lease to the resend sweep.
     *
     * @return the holder id to send it with ({@link #launch}), or null when another sender holds it
     */
    public String claim(Decision decision) {
        Instant now = clock.instant();
        String holder = UUID.randomUUID().toString();
        return leases.claimLaunch(decision.id(), holder, now, now.plus(resendAfter)) ? holder : null;
    }

    /** Renews a lease every third of its length until closed; a renewal that fails is logged (the call in flight cannot be taken back). */
    private Heartbeat heartbeat(String decisionId, String holder) {
        long every = Math.max(1, resendAfter.toMillis() / 3);
        ScheduledFuture<?> task = heartbeats.scheduleAtFixedRate(() -> {
            try {
                if (!leases.renewLaunch(decisionId, holder, clock.instant().plus(resendAfter))) {
                    LOG.warnf("lost the send lease of launch %s while its target is still being called", decisionId);
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not renew the send lease of launch %s: %s", decisionId, e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }

    private interface Heartbeat extends AutoCloseable {
        @Override
        void close();
    }

    @PreDestroy
    public void stop() {
        heartbeats.shutdownNow();
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
        Optional<Decision> d = decisions.recordExecutionStatus(executionId, status, at);
        if (d.isEmpty()) {
            LOG.infof("execution %s (%s) was not launched by retrain-trigger; not recorded", executionId, status);
        }
        return d;
    }

    /** LAUNCHED decisions left PENDING (crash, or retries exhausted) for retrain.launch.resend-after. */
    public List<Decision> stalled() {
        return decisions.pendingLaunches(clock.instant().minus(resendAfter), 100);
    }
}
