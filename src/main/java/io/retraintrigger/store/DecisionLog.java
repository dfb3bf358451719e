package io.retraintrigger.store;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Evaluation;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.Outcome;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every decision with its reasons, its launch and the execution it started.
 */
public interface DecisionLog {

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

    /**
     * Changes the evaluation of a decision's model, atomically: {@code change} gets the current one (null when
     * none) and returns the next, or null to leave it. Of concurrent changes each sees the one before it, so
     * exactly one of concurrent "awaiting to evaluated" steps makes the change. {@code change} must be free of
     * side effects: it may run more than once.
     *
     * @return the decision as changed; empty when unchanged or unknown
     */
    Optional<Decision> recordEvaluation(String decisionId, UnaryOperator<Evaluation> change);

    /** Newest first. Null filters match everything. */
    List<Decision> decisions(String pipeline, Outcome outcome, int limit);

    /** LAUNCHED decisions whose launch is still PENDING and were decided before {@code decidedBefore}. */
    List<Decision> pendingLaunches(Instant decidedBefore, int limit);
}
