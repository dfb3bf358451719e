package io.retraintrigger.store;

/**
 * The state every decision depends on, one port per concern; a store adapter implements these
 * ({@code jdbc}: H2, PostgreSQL; {@code dynamodb}) and passes {@code StateStoreContract}. Each consumer
 * depends only on the ports it uses. Dead letters ({@link DeadLetterStore}), audit marks
 * ({@link AuditMarks}) and batches ({@link BatchStore}) have adapter classes and contract suites of their own.
 */
public interface StateStore extends PipelineSteps, DecisionLog, LaunchLeases, ApprovalLog {

    /** Throws if the store cannot be reached. */
    void ping();
}
