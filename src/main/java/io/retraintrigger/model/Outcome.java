package io.retraintrigger.model;

/** What became of a training request or a drift alert. */
public enum Outcome {
    /** The training was recorded and sent to the launcher. */
    LAUNCHED,
    /** Kept and re-evaluated when the cooldown ends. */
    DEFERRED,
    /** Not trained, for the reason given. */
    REJECTED,
    /** Drift below the action threshold: only recorded. */
    LOGGED,
    /** Critical drift: a human review item was opened, no training. */
    AWAITING_APPROVAL,
    /** Allowed, but the launcher refused it for good (its message is in the reasons). */
    FAILED,
    /** A finding: a signal the pipeline expects did not come (no data, a silent monitor, a schedule fire missed while down). */
    MISSED_SIGNAL
}
