package io.retraintrigger.ingest.aws;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.retraintrigger.testing.ElasticMqResource;
import io.retraintrigger.testing.S3rverResource;
import io.retraintrigger.testing.WireMockResource;

import java.util.List;
import java.util.Map;

/**
 * The one AWS profile (one Quarkus boot) of AwsSqsIngestionTest, AwsEndToEndTest, AwsGuardrailsTest and EventBridgeAuditTest:
 * the AWS source switched on against ElasticMQ, WireMock as SageMaker, EventBridge and SNS, s3rver as S3, every decision
 * audited on an EventBridge bus and notifications published to an SNS topic, a short send lease. Each test
 * has pipelines of its own (aws-*, eb-*), and counts only what its own pipelines or decisions did.
 */
public class AwsProfile implements QuarkusTestProfile {
    /** The bus of retrain.audit.uri. */
    public static final String BUS = "retrain-audit";
    /** The topic of retrain.notify.uri. */
    public static final String TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:retrain-trigger-notifications";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                // ---- audit and notifications on AWS (EventBridgeAuditTest)
                Map.entry("retrain.audit.uri", "aws2-eventbridge://" + BUS + "?operation=putEvent"),
                Map.entry("retrain.notify.uri", "aws2-sns://" + TOPIC_ARN),
                // a send lease far shorter than the slow target's answer (eb-slow), swept every second
                Map.entry("retrain.launch.resend-after", "3s"),
                Map.entry("retrain.launch.resend-check-interval", "1s"),
                Map.entry("retrain.launch.max-retry-delay", "1000"),
                // a batch whose decision failed (coordinator stopped by a test) is taken up again soon
                Map.entry("retrain.batch.decide-lease", "3s"),

                // ---- AwsSqsIngestionTest: a pipeline for each AWS message type
                Map.entry("retrain.pipelines.aws-count.monitors", "model-monitor-check-fail"),
                Map.entry("retrain.pipelines.aws-count.drift.monitors.model-monitor-check-fail.severity", "high"),
                Map.entry("retrain.pipelines.aws-stat.monitors", "fraud-completeness"),
                Map.entry("retrain.pipelines.aws-data.data-sources", "s3://aws-it-bucket/landing/"),
                Map.entry("retrain.pipelines.aws-data.batch.window", "2s"),
                Map.entry("retrain.pipelines.aws-drift.monitors", "fraud-drift-alarm,sagemaker-endpoint:fraud-endpoint"),
                Map.entry("retrain.pipelines.aws-sched.schedule-sources", "weekly-retrain"),
                Map.entry("retrain.pipelines.aws-sched.coordinator.min-interval", "0s"),
                Map.entry("retrain.pipelines.aws-sched.coordinator.max-daily-trainings", "100"),

                // ---- AwsEndToEndTest: S3 events on SQS to a SageMaker pipeline
                Map.entry("retrain.pipelines.aws-e2e.target", "sagemaker"),
                Map.entry("retrain.pipelines.aws-e2e.sagemaker.pipeline-name", "e2e-training"),
                Map.entry("retrain.pipelines.aws-e2e.data-sources", "s3://aws-it-bucket/e2e/"),
                Map.entry("retrain.pipelines.aws-e2e.batch.window", "2s"),

                // ---- EventBridgeAuditTest
                Map.entry("retrain.pipelines.eb-drift.target", "dry-run"),
                Map.entry("retrain.pipelines.eb-sagemaker.target", "sagemaker"),
                Map.entry("retrain.pipelines.eb-sagemaker.sagemaker.pipeline-name", "training-pipeline"),
                Map.entry("retrain.pipelines.eb-sagemaker.sagemaker.parameter-names.TriggerReason", "Reason"),
                Map.entry("retrain.pipelines.eb-sagemaker.sagemaker.parameter-names.EventCount", "-"),
                Map.entry("retrain.pipelines.eb-sagemaker.coordinator.min-interval", "0s"),
                Map.entry("retrain.pipelines.eb-sagemaker.coordinator.max-daily-trainings", "100"),
                Map.entry("retrain.pipelines.eb-sagemaker.coordinator.daily-budget", "100000"),
                Map.entry("retrain.pipelines.eb-rejected.target", "sagemaker"),
                Map.entry("retrain.pipelines.eb-rejected.sagemaker.pipeline-name", "rejecting-pipeline"),
                Map.entry("retrain.pipelines.eb-rejected.sagemaker.parameter-names.TriggerReason", "Reason"),
                Map.entry("retrain.pipelines.eb-rejected.coordinator.min-interval", "0s"),
                Map.entry("retrain.pipelines.eb-rejected.coordinator.max-daily-trainings", "100"),
                Map.entry("retrain.pipelines.eb-rejected.coordinator.daily-budget", "100000"),
                Map.entry("retrain.pipelines.eb-slow.target", "sagemaker"),
                Map.entry("retrain.pipelines.eb-slow.sagemaker.pipeline-name", "slow-pipeline"),

                // ---- AwsGuardrailsTest: the report on S3 (s3rver), the promotion in SageMaker's Model Registry (WireMock)
                Map.entry("retrain.pipelines.aws-guarded.target", "sagemaker"),
                Map.entry("retrain.pipelines.aws-guarded.sagemaker.pipeline-name", "guarded-training"),
                Map.entry("retrain.pipelines.aws-guarded.guardrails.report-uri", "s3://" + AwsGuardrailsTest.BUCKET + "/{pipeline}/{executionId}/evaluation.json"),
                Map.entry("retrain.pipelines.aws-guarded.coordinator.min-interval", "0s"),
                Map.entry("retrain.pipelines.aws-guarded.coordinator.max-daily-trainings", "100"),
                Map.entry("retrain.pipelines.aws-guarded.coordinator.daily-budget", "100000"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ElasticMqResource.class), new TestResourceEntry(WireMockResource.class),
                new TestResourceEntry(S3rverResource.class));
    }
}
