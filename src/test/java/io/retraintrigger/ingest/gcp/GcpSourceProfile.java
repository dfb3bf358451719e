package io.retraintrigger.ingest.gcp;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.retraintrigger.testing.PubSubEmulatorResource;

import java.util.List;
import java.util.Map;

/** The Google Cloud source switched on against the Pub/Sub emulator, with pipelines for its message types. */
public class GcpSourceProfile implements QuarkusTestProfile {
    /** Alert policy of the pipeline gcp-drift; not fraud-feature-drift, which the built-in pipeline fraud lists. */
    static final String DRIFT_POLICY = "gcp-feature-drift";
    /** A topic of its own for one Cloud Scheduler job, whose subscription the pipeline gcp-job-sub claims. */
    static final String SCHEDULER_TOPIC = "gcp-weekly-job";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "retrain.pipelines.gcp-data.data-sources", "gs://mlops-data-prod/labels/",
                "retrain.pipelines.gcp-data.batch.window", "2s",
                "retrain.pipelines.gcp-drift.monitors", DRIFT_POLICY,
                "retrain.pipelines.gcp-sched.coordinator.min-interval", "0s",
                "retrain.pipelines.gcp-sched.coordinator.max-daily-trainings", "100",
                // Cloud Scheduler jobs that publish only their own data: claimed by an attribute their job sets, or by subscription
                "retrain.pipelines.gcp-job-attr.schedule-sources", "pubsub-attribute:scheduler-job=gcp-nightly-retrain",
                "retrain.pipelines.gcp-job-sub.schedule-sources", "pubsub-subscription:" + PubSubEmulatorResource.subscriptionOf(SCHEDULER_TOPIC));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PubSubEmulatorResource.class, Map.of(PubSubEmulatorResource.CONSUMED_TOPICS, SCHEDULER_TOPIC)));
    }
}
