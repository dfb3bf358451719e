package io.retraintrigger.store;

/** The pure part of a coordinator step: reads a pipeline's view, says what to record. */
@FunctionalInterface
public interface CoordinatorStep {
    StepEffects apply(PipelineView view);
}
