package io.retraintrigger.ingest.aws;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.retraintrigger.testing.ElasticMqResource;

import java.util.List;
import java.util.Map;

/** The AWS source switched on against ElasticMQ, with pipelines for each AWS message type. */
public class AwsSourceProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "retrain.pipelines.aws-data.data-sources", "s3://aws-it-bucket/landing/",
                "retrain.pipelines.aws-data.batch.window", "2s",
                // a batch whose decision failed (coordinator stopped by a test) is taken up again soon
                "retrain.batch.decide-lease", "3s",
                "retrain.pipelines.aws-drift.monitors", "fraud-drift-alarm,sagemaker-endpoint:fraud-endpoint",
                "retrain.pipelines.aws-sched.schedule-sources", "weekly-retrain",
                "retrain.pipelines.aws-sched.coordinator.min-interval", "0s",
                "retrain.pipelines.aws-sched.coordinator.max-daily-trainings", "100");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ElasticMqResource.class));
    }
}
