package io.retraintrigger.store;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.PipelineState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state every decision depends on. Adapters: {@code jdbc} (H2, PostgreSQL), later DynamoDB.
 * All adapters pass {@code StateStoreContract}.
 */
public interface StateStore {

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

    // --- decisions ---

    /**
     * Records a decision that changes no pipeline state (LOGGED, or a rejection of bad input), unless one
     * with its id is recorded already.
     *
     * @return the decision recorded under that id: this one, or the one recorded before
     */
    Decision recordDecision(Decision decision);

    /** Writes what the launcher answered; the decision keeps its id. */
    void updateLaunch(String decisionId, Outcome outcome, List<String> reasons, Launch launch);

    Optional<Decision> decision(String id);

    /**
     * Records the state a target reported for the execution a launch started ({@code executionId} as
     * the launcher returned it). Empty when no decision launched that execution.
     */
    Optional<Decision> recordExecutionStatus(String executionId, String status, Instant at);

    /** Newest first. Null filters match everything. */
    List<Decision> decisions(String pipeline, Outcome outcome, int limit);

    /**
     * Claims the sending of a PENDING launch for {@code holder} until {@code until}: true for exactly one of
     * concurrent callers, and again only after that lease has ended at {@code now}; false when the launch
     * is not pending.
     */
    boolean claimLaunch(String decisionId, String holder, Instant now, Instant until);

    /** Extends the lease {@code holder} holds on a PENDING launch; false when it no longer holds it or the launch is not pending. */
    boolean renewLaunch(String decisionId, String holder, Instant until);

    /**
     * Notes that {@code state} of a decision went to the audit sink: true the first time for that decision
     * and state, false for every later caller (concurrent ones included).
     */
    boolean markAudited(String decisionId, String state);

    /** LAUNCHED decisions whose launch is still PENDING and were decided before {@code decidedBefore}. */
    List<Decision> pendingLaunches(Instant decidedBefore, int limit);

    // --- deferred requests ---

    Optional<Deferred> deferred(String pipeline);

    /** Pipelines whose deferred request is due at {@code now}. */
    List<String> pipelinesWithDueDeferred(Instant now);

    // --- approvals ---

    Optional<Approval> approval(String id);

    /** Newest first; null status matches every status. */
    List<Approval> approvals(String pipeline, ApprovalStatus status, int limit);

    // --- dead letters ---

    void addDeadLetter(DeadLetter letter);

    /** Newest first. */
    List<DeadLetter> deadLetters(int limit);

    long deadLetterCount();

    /** Removes the dead letters received before {@code before}, then all but the newest {@code keep}; returns how many went. */
    int purgeDeadLetters(Instant before, int keep);

    /** Throws if the store cannot be reached. */
    void ping();
}
