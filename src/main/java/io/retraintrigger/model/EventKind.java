package io.retraintrigger.model;

/** What a trigger event says happened. */
public enum EventKind {
    /** New training data landed in object storage. */
    DATA_ARRIVAL,
    /** A monitor reported drift of one or more features. */
    DRIFT_ALERT,
    /** A schedule fired (local Quartz or a cloud scheduler). */
    SCHEDULE_TICK,
    /** A monitor's alert ended (alarm back to OK, incident closed): recorded, no action. */
    ALERT_RESOLVED,
    /** A launched training execution changed state (running, succeeded, failed): recorded against its launch. */
    LAUNCH_STATUS,
    /** A well-formed message that asks for nothing (a storage test event, a deletion): acknowledged and counted. */
    IGNORED
}
