package io.retraintrigger.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.TriggerEvent;

import java.util.List;
import java.util.Objects;

/**
 * The service's attributes on its own spans ({@code @WithSpan} on {@code Intake.record} "retrain.intake",
 * {@code Coordinator.decide} "retrain.decide", {@code LaunchService.launch} "retrain.launch"; Camel's route and
 * endpoint spans around them). Set on the current span: a no-op when tracing is off (the SDK disabled, or a plain
 * Java caller such as the backtest, where no span is current). Only on the span of that name: the backtest's replay
 * (POST /api/backtest) runs the same classes without CDI, so without {@code @WithSpan}, inside the request's span,
 * which its replayed decisions must not write over. README, "Health and metrics", Traces.
 */
public final class Traces {
    public static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("retrain.pipeline");
    public static final AttributeKey<List<String>> PIPELINES = AttributeKey.stringArrayKey("retrain.pipelines");
    public static final AttributeKey<List<String>> EVENT_IDS = AttributeKey.stringArrayKey("retrain.event.ids");
    public static final AttributeKey<List<String>> EVENT_KINDS = AttributeKey.stringArrayKey("retrain.event.kinds");
    public static final AttributeKey<Long> DUPLICATES = AttributeKey.longKey("retrain.event.duplicates");
    public static final AttributeKey<Long> BATCHES_CLOSED = AttributeKey.longKey("retrain.batches.closed");
    public static final AttributeKey<String> DECISION_ID = AttributeKey.stringKey("retrain.decision.id");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("retrain.decision.outcome");
    public static final AttributeKey<String> TRIGGER = AttributeKey.stringKey("retrain.trigger.type");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("retrain.decision.reason");
    public static final AttributeKey<String> TARGET = AttributeKey.stringKey("retrain.launch.target");
    public static final AttributeKey<String> LAUNCH_STATUS = AttributeKey.stringKey("retrain.launch.status");
    public static final AttributeKey<String> EXECUTION_ID = AttributeKey.stringKey("retrain.launch.execution.id");

    public static final String INTAKE_SPAN = "retrain.intake";
    public static final String DECIDE_SPAN = "retrain.decide";
    public static final String LAUNCH_SPAN = "retrain.launch";

    private Traces() {
    }

    /** The current span if it is the one named (made by {@code @WithSpan(name)}), else a span that records nothing. */
    private static Span own(String name) {
        Span span = Span.current();
        return span instanceof ReadableSpan r && r.getName().equals(name) && span.isRecording() ? span : Span.getInvalid();
    }

    /** On the intake span: the events of one delivery (ids, kinds, pipelines), how many were duplicates, batches they closed. */
    public static void intake(List<TriggerEvent> events, int duplicates, int closedBatches) {
        Span span = own(INTAKE_SPAN);
        if (!span.isRecording()) return;
        span.setAttribute(EVENT_IDS, events.stream().map(TriggerEvent::id).filter(Objects::nonNull).toList());
        span.setAttribute(EVENT_KINDS, events.stream().map(e -> e.kind().name()).distinct().toList());
        List<String> pipelines = events.stream().map(TriggerEvent::pipeline).filter(Objects::nonNull).distinct().toList();
        span.setAttribute(PIPELINES, pipelines);
        if (pipelines.size() == 1) span.setAttribute(PIPELINE, pipelines.get(0));
        span.setAttribute(DUPLICATES, (long) duplicates);
        span.setAttribute(BATCHES_CLOSED, (long) closedBatches);
    }

    /** On the decision span: the decision as recorded. */
    public static void decision(Decision d) {
        Span span = own(DECIDE_SPAN);
        if (!span.isRecording() || d == null) return;
        span.setAttribute(PIPELINE, d.pipeline());
        span.setAttribute(DECISION_ID, d.id());
        span.setAttribute(OUTCOME, d.outcome().name());
        if (d.triggerType() != null) span.setAttribute(TRIGGER, d.triggerType().name());
        if (!d.reasons().isEmpty()) span.setAttribute(REASON, d.reasons().get(0));
    }

    /** On the launch span: the decision launched and what its target answered. */
    public static void launch(Decision d) {
        Span span = own(LAUNCH_SPAN);
        if (!span.isRecording() || d == null) return;
        span.setAttribute(PIPELINE, d.pipeline());
        span.setAttribute(DECISION_ID, d.id());
        if (d.launch() == null) return;
        span.setAttribute(TARGET, d.launch().target());
        span.setAttribute(LAUNCH_STATUS, d.launch().status().name());
        if (d.launch().executionId() != null) span.setAttribute(EXECUTION_ID, d.launch().executionId());
        // refused by its target (a retryable failure propagates: @WithSpan records the exception)
        if (d.launch().status() == LaunchStatus.FAILED) span.setStatus(StatusCode.ERROR, d.reasons().isEmpty() ? "launch failed" : d.reasons().get(0));
    }
}
