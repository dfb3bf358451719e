package io.retraintrigger.model;

/**
 * Forms of {@code retrain.pipelines.NAME.schedule-sources} beside a rule or job name: they claim Cloud
 * Scheduler messages that carry no pipeline of their own.
 */
public final class ScheduleSource {
    /** {@code pubsub-subscription:<subscription>}: the messages of that subscription are the pipeline's ticks. */
    public static final String PUBSUB_SUBSCRIPTION = "pubsub-subscription:";
    /** {@code pubsub-attribute:<key>=<value>}: the messages with that attribute are the pipeline's ticks. */
    public static final String PUBSUB_ATTRIBUTE = "pubsub-attribute:";

    private ScheduleSource() {
    }
}
