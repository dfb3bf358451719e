package io.retraintrigger.model;

public enum ApprovalType {
    /** Critical drift: a human decides whether to train at all. */
    TRAINING_REVIEW,
    /** A training launched with RequireApproval=true: a human approves or rejects the model. */
    MODEL_APPROVAL
}
