package io.retraintrigger.store;

/** The state adapters of one store, as the state contracts take them. */
public record StateAdapters(PipelineSteps steps, DecisionLog decisions, LaunchLeases leases, ApprovalLog approvals) {
}
