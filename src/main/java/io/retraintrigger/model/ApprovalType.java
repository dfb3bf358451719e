package io.retraintrigger.model;

public enum ApprovalType {
    /** Critical drift: a human decides whether to train at all. */
    TRAINING_REVIEW,
    /** A trained model a human must approve (RequireApproval, or drift above guardrails.require-human-approval); approving promotes it. */
    MODEL_APPROVAL,
    /**
     * The feedback-loop breaker suspended automatic drift retraining of the pipeline (the summary says why);
     * approving it resumes drift retraining. Unlike the others it does not hold back schedules and data.
     */
    DRIFT_SUSPENSION
}
