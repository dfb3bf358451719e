package io.retraintrigger.model;

/** What a trigger event says happened. */
public enum EventKind {
    /** New training data landed in object storage. */
    DATA_ARRIVAL,
    /** A monitor reported drift of one or more features. */
    DRIFT_ALERT,
    /** A schedule fired (local Quartz or a cloud scheduler). */
    SCHEDULE_TICK
}
