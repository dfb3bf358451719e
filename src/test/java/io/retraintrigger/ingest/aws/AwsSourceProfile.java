package io.retraintrigger.ingest.aws;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.retraintrigger.testing.ElasticMqResource;

import java.util.List;
import java.util.Map;

/** The AWS source switched on against ElasticMQ, with pipelines for each AWS message type. */
public class AwsSourceProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("retrain.pipelines.aws-count.monitors", "model-monitor-check-fail"),
                Map.entry("retrain.pipelines.aws-count.drift.monitors.model-monitor-check-fail.severity", "high"),
                Map.entry("retrain.pipelines.aws-stat.monitors", "fraud-completeness"),
                Map.entry("retrain.pipelines.aws-data.data-sources", "s3://aws-it-bucket/landing/"),
                Map.entry("retrain.pipelines.aws-data.batch.window", "2s"),
                // a batch whose decision failed (coordinator stopped by a test) is taken up again soon
                Map.entry("retrain.batch.decide-lease", "3s"),
                Map.entry("retrain.pipelines.aws-drift.monitors", "fraud-drift-alarm,sagemaker-endpoint:fraud-endpoint"),
                Map.entry("retrain.pipelines.aws-sched.schedule-sources", "weekly-retrain"),
                Map.entry("retrain.pipelines.aws-sched.coordinator.min-interval", "0s"),
                Map.entry("retrain.pipelines.aws-sched.coordinator.max-daily-trainings", "100"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ElasticMqResource.class));
    }
}
