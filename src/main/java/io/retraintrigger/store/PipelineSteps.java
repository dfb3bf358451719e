package io.retraintrigger.store;

import io.retraintrigger.model.PipelineState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each pipeline's state and the coordinator steps that change it, one at a time per pipeline.
 */
public interface PipelineSteps {

    /**
     * One coordinator step for one pipeline, atomically: the adapter reads the pipeline's state (its
     * pending approvals and deferred request included), hands it to {@code step}, and persists the
     * effects the step returns, or nothing if another writer got there first (then it retries or, if it
     * cannot, throws). {@code step} must be free of side effects: it may run more than once.
     *
     * <p>When {@code decisionId} is not null and a decision with that id is recorded already, the step does
     * not run and nothing is written: the answer is {@link StepEffects#replayed} with that decision. The
     * check is part of the atomic step, so of concurrent steps with one decision id exactly one records it
     * (a redelivered event, a batch decided again after a crash, replicas firing one schedule).
     *
     * @return the effects that were persisted
     */
    StepEffects coordinate(String pipeline, Instant now, String decisionId, CoordinatorStep step);

    /** A step whose decision takes a new id. */
    default StepEffects coordinate(String pipeline, Instant now, CoordinatorStep step) {
        return coordinate(pipeline, now, null, step);
    }

    /** State of a pipeline as last written (its counters may belong to an earlier UTC day). */
    Optional<PipelineState> pipelineState(String pipeline);

    /** The request deferred for a pipeline, when there is one. */
    Optional<Deferred> deferred(String pipeline);

    /** Pipelines whose deferred request is due at {@code now}. */
    List<String> pipelinesWithDueDeferred(Instant now);
}
