package io.retraintrigger.store;

/**
 * The state every decision depends on, one port per concern; a store adapter implements them all
 * ({@code jdbc}: H2, PostgreSQL; {@code dynamodb}) and passes {@code StateStoreContract}. Each consumer
 * depends only on the ports it uses.
 */
public interface StateStore extends PipelineSteps, DecisionLog, LaunchLeases, AuditMarks, ApprovalLog, DeadLetterStore {

    /** Throws if the store cannot be reached. */
    void ping();
}
