package io.retraintrigger.model;

import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every decision the service takes, with its reasons. {@code id} is the idempotency key of the
 * launch it makes.
 */
public record Decision(
        String id,
        @Nullable String pipeline,
        @Nullable TriggerType triggerType,
        int priority,
        Outcome outcome,
        List<String> reasons,
        @Nullable Instant decidedAt,
        @Nullable Instant deferredUntil,
        double estimatedCost,
        @Nullable TrainingRequest request,
        @Nullable Launch launch,
        @Nullable Evaluation evaluation) {

    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outcome, "outcome");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** A decision whose training, if any, has not been evaluated. */
    public Decision(String id, String pipeline, TriggerType triggerType, int priority, Outcome outcome, List<String> reasons, Instant decidedAt,
                    Instant deferredUntil, double estimatedCost, TrainingRequest request, Launch launch) {
        this(id, pipeline, triggerType, priority, outcome, reasons, decidedAt, deferredUntil, estimatedCost, request, launch, null);
    }

    /** This decision as its launch ended: the launcher's outcome and reasons, the launch as answered. */
    public Decision launchAnswered(Outcome outcome, List<String> reasons, Launch launch) {
        return new Decision(id, pipeline, triggerType, priority, outcome, reasons, decidedAt, deferredUntil, estimatedCost, request, launch, evaluation);
    }

    public Decision withLaunch(Launch l) {
        return new Decision(id, pipeline, triggerType, priority, outcome, reasons, decidedAt, deferredUntil, estimatedCost, request, l, evaluation);
    }

    public Decision failed(Launch l, String reason) {
        List<String> r = new ArrayList<>(reasons);
        r.add(reason);
        return new Decision(id, pipeline, triggerType, priority, Outcome.FAILED, r, decidedAt, deferredUntil, estimatedCost, request, l, evaluation);
    }

    public Decision withEvaluation(Evaluation e) {
        return new Decision(id, pipeline, triggerType, priority, outcome, reasons, decidedAt, deferredUntil, estimatedCost, request, launch, e);
    }
}
