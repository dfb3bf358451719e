package io.retraintrigger.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/** The service's own metrics, served with Camel's and the JVM's at /q/metrics. */
@ApplicationScoped
public class RetrainMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> driftScores = new ConcurrentHashMap<>();
    /** Per pipeline: epoch milliseconds of the last data arrival taken in by this process. */
    private final Map<String, AtomicLong> lastData = new ConcurrentHashMap<>();

    @Inject
    public RetrainMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void event(TriggerEvent e, boolean duplicate) {
        Counter.builder(duplicate ? "retrain.events.duplicate" : "retrain.events")
                .description(duplicate ? "Events dropped as duplicates" : "Events taken in")
                .tag("kind", e.kind().name()).tag("pipeline", e.pipeline() == null ? "none" : e.pipeline()).tag("cloud", e.cloud().name())
                .register(registry).increment();
        if (!duplicate && e.kind() == EventKind.DATA_ARRIVAL && e.pipeline() != null) {
            lastDataHolder(e.pipeline()).set(System.currentTimeMillis());
        }
    }

    public void decision(Decision d) {
        String reason = d.reasons().isEmpty() ? "none" : code(d.reasons().get(0));
        String pipeline = d.pipeline() == null ? "none" : d.pipeline();
        Counter.builder("retrain.decisions").description("Decisions by outcome and first reason")
                .tag("pipeline", pipeline).tag("outcome", d.outcome().name()).tag("reason", reason)
                .register(registry).increment();
        if (d.estimatedCost() > 0) {
            // retrain_decisions_cost_total{pipeline,outcome}: the estimated cost of what was decided (LAUNCHED: spent)
            Counter.builder("retrain.decisions.cost").description("Estimated cost of the trainings decided, by outcome")
                    .tag("pipeline", pipeline).tag("outcome", d.outcome().name()).register(registry).increment(d.estimatedCost());
        }
    }

    /**
     * One call of a launcher (retrain_launch_duration_seconds{pipeline,target,result}, a histogram): result
     * {@code submitted}, {@code rejected} (the target refused it: the launch is FAILED) or {@code retryable} (throttled,
     * unavailable: retried); the last two also count in retrain_launch_failures_total{pipeline,target,kind}.
     */
    public void launchCall(String pipeline, String target, String result, Duration took) {
        launchTimer(pipeline, target, result).record(took);
        if (!LAUNCH_SUBMITTED.equals(result)) launchFailures(pipeline, target, result).increment();
    }

    public static final String LAUNCH_SUBMITTED = "submitted";
    public static final String LAUNCH_REJECTED = "rejected";
    public static final String LAUNCH_RETRYABLE = "retryable";

    private Timer launchTimer(String pipeline, String target, String result) {
        return Timer.builder("retrain.launch.duration").description("Calls of a pipeline's launcher (its target's API), by result")
                .tags("pipeline", pipeline, "target", target, "result", result)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    private Counter launchFailures(String pipeline, String target, String kind) {
        return Counter.builder("retrain.launch.failures").description("Launcher calls that failed: rejected (the launch FAILED) or retryable (retried)")
                .tags("pipeline", pipeline, "target", target, "kind", kind).register(registry);
    }

    /**
     * Series that alert rules watch, registered at zero for every pipeline at startup, so that the first failure
     * or arrival is an increase (a counter born at 1 shows none to increase(); the findings: SignalWatch):
     * retrain_launch_failures_total and the launch histogram per pipeline and target, and for a pipeline with expect.data-within
     * retrain_expect_data_within_seconds (the expectation) and retrain_data_last_arrival_seconds (epoch seconds of
     * the last data arrival this process took in; NaN until one came).
     */
    void registerPipelineSeries(@Observes StartupEvent ev, PipelineRegistry pipelines) {
        for (PipelineSettings p : pipelines.all()) {
            launchFailures(p.name(), p.target(), LAUNCH_REJECTED);
            launchFailures(p.name(), p.target(), LAUNCH_RETRYABLE);
            launchTimer(p.name(), p.target(), LAUNCH_SUBMITTED);
            p.expect().dataWithin().ifPresent(within -> {
                Gauge.builder("retrain.expect.data.within", within, d -> d.toMillis() / 1000.0).baseUnit("seconds")
                        .description("Longest silence of its data the pipeline expects (expect.data-within)").tag("pipeline", p.name()).register(registry);
                lastDataHolder(p.name());
            });
        }
    }

    private AtomicLong lastDataHolder(String pipeline) {
        return lastData.computeIfAbsent(pipeline, k -> {
            AtomicLong h = new AtomicLong(-1);
            Gauge.builder("retrain.data.last.arrival", h, t -> t.get() < 0 ? Double.NaN : t.get() / 1000.0).baseUnit("seconds")
                    .description("When this process last took in a data arrival for the pipeline (epoch seconds)").tag("pipeline", pipeline).register(registry);
            return h;
        });
    }

    /** retrain_missed_signals_total{pipeline,signal}: a finding of a signal that did not come. */
    public void missedSignal(String pipeline, String signal) {
        missedSignals(pipeline, signal).increment();
    }

    /** The counter of a pipeline's findings of one signal (registered at zero by the signal watch at startup). */
    public Counter missedSignals(String pipeline, String signal) {
        return Counter.builder("retrain.missed.signals").description("Signals a pipeline expects that did not come (findings), by signal")
                .tags("pipeline", pipeline, "signal", signal).register(registry);
    }

    /** retrain_guardrail_checks_total{pipeline,check,result}: result passed or failed. */
    public void guardrailCheck(String pipeline, String check, boolean passed) {
        Counter.builder("retrain.guardrail.checks").description("Guardrail checks of trained models, by check and result")
                .tag("pipeline", pipeline).tag("check", check).tag("result", passed ? "passed" : "failed").register(registry).increment();
    }

    /** retrain_promotions_total{pipeline,outcome}: PROMOTE, HOLD, REJECT, NO_REPORT as evaluated; PROMOTED, FAILED as the registry answered. */
    public void promotion(String pipeline, String outcome) {
        Counter.builder("retrain.promotions").description("Evaluated models by outcome, and promotions by the registry's answer")
                .tag("pipeline", pipeline).tag("outcome", outcome).register(registry).increment();
    }

    public void loginFailed() {
        Counter.builder("retrain.auth.failures").description("Requests with credentials answered 401").register(registry).increment();
    }

    public void loginThrottled() {
        Counter.builder("retrain.auth.throttled").description("Requests answered 429: too many failed logins").register(registry).increment();
    }

    public void deadLetter(String source, int status) {
        Counter.builder("retrain.dead.letters").description("Messages kept as dead letters")
                .tag("source", source).tag("status", Integer.toString(status)).register(registry).increment();
    }

    public void driftScore(String pipeline, String feature, double score) {
        AtomicLong holder = driftScores.computeIfAbsent(pipeline + '\u0000' + feature, k -> {
            AtomicLong h = new AtomicLong();
            Gauge.builder("retrain.drift.score", h, bits -> Double.longBitsToDouble(bits.get()))
                    .description("Last drift score reported").tag("pipeline", pipeline).tag("feature", feature).register(registry);
            return h;
        });
        holder.set(Double.doubleToLongBits(score));
        registry.summary("retrain.drift.score.distribution", "pipeline", pipeline, "feature", feature).record(score);
    }

    /** A gauge read on each scrape. */
    public <T> void gauge(String name, String description, String pipeline, T source, ToDoubleFunction<T> f) {
        Gauge.builder(name, source, f).description(description).tag("pipeline", pipeline).register(registry);
    }

    /** "cooldown: ..." -> "cooldown". */
    public static String code(String reason) {
        int i = reason.indexOf(':');
        return i > 0 ? reason.substring(0, i) : reason;
    }
}
