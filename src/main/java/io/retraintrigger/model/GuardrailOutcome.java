package io.retraintrigger.model;

/** Where the evaluation of a finished training stands. */
public enum GuardrailOutcome {
    /** The training succeeded; its evaluation report has not come yet. */
    AWAITING_REPORT,
    /** Every check passed and no human is required: the model is promoted. */
    PROMOTE,
    /** Every check passed, and a human must approve the model (its MODEL_APPROVAL item); approving it promotes. */
    HOLD,
    /** A check failed: the model is never promoted. */
    REJECT,
    /** No report came within the pipeline's guardrails.report-timeout: nothing is promoted. */
    NO_REPORT;

    /** Whether the checks have run or the wait has ended: nothing changes the outcome any more, but a human's answer to a HOLD. */
    public boolean settled() {
        return this != AWAITING_REPORT;
    }
}
