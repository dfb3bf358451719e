package io.retraintrigger.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/** The service's own metrics, served with Camel's and the JVM's at /q/metrics. */
@ApplicationScoped
public class RetrainMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> driftScores = new ConcurrentHashMap<>();

    @Inject
    public RetrainMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void event(TriggerEvent e, boolean duplicate) {
        Counter.builder(duplicate ? "retrain.events.duplicate" : "retrain.events")
                .description(duplicate ? "Events dropped as duplicates" : "Events taken in")
                .tag("kind", e.kind().name()).tag("pipeline", e.pipeline() == null ? "none" : e.pipeline()).tag("cloud", e.cloud().name())
                .register(registry).increment();
    }

    public void decision(Decision d) {
        String reason = d.reasons().isEmpty() ? "none" : code(d.reasons().get(0));
        Counter.builder("retrain.decisions").description("Decisions by outcome and first reason")
                .tag("pipeline", d.pipeline() == null ? "none" : d.pipeline()).tag("outcome", d.outcome().name()).tag("reason", reason)
                .register(registry).increment();
    }

    /** retrain_guardrail_checks_total{pipeline,check,result}: result passed or failed. */
    public void missedSignal(String pipeline, String signal) {
        Counter.builder("retrain.missed.signals").description("Signals a pipeline expects that did not come (findings), by signal")
                .tags("pipeline", pipeline, "signal", signal).register(registry).increment();
    }

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
