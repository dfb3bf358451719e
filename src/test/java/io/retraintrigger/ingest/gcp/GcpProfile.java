package io.retraintrigger.ingest.gcp;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.retraintrigger.testing.FakeVertexResource;
import io.retraintrigger.testing.GcsWireMockResource;
import io.retraintrigger.testing.PubSubEmulatorResource;

import java.util.List;
import java.util.Map;

/**
 * The one Google Cloud profile (one Quarkus boot) of GcpPubSubIngestionTest, GcpEndToEndTest and GcpGuardrailsTest: the Google
 * Cloud source switched on against Google's Pub/Sub emulator, Vertex AI's PipelineService played by
 * {@link FakeVertexResource} (a real gRPC server on a loopback port, retrain.gcp.vertex-endpoint), audit and
 * notifications on Pub/Sub topics of the emulator ({@link #AUDIT_TOPIC}, {@link #NOTIFY_TOPIC}, each with a
 * subscription {@code <topic>-sub} to read them). Each test has pipelines of its own (gcp-*, gcp-e2e*) and
 * looks only at what they did.
 * <p>
 * GcpPubSubIngestionTest: pipelines for the source's message types (gcp-data, gcp-drift, gcp-sched,
 * gcp-job-attr, gcp-job-sub). GcpEndToEndTest: one pipeline {@value #PIPELINE} of target vertex fed by the
 * objects under {@link #DATA_SOURCE}, whose batch closes {@value #WINDOW} after its first event; no other
 * pipeline has a data source in the bucket {@value #BUCKET}, and {@value #DRIFT_PIPELINE} (dry-run, for
 * notifications) has no monitor that a Pub/Sub message could name.
 */
public class GcpProfile implements QuarkusTestProfile {
    // ---- GcpPubSubIngestionTest
    /** Alert policy of the pipeline gcp-drift; not fraud-feature-drift, which the built-in pipeline fraud lists. */
    static final String DRIFT_POLICY = "gcp-feature-drift";
    /** A topic of its own for one Cloud Scheduler job, whose subscription the pipeline gcp-job-sub claims. */
    static final String SCHEDULER_TOPIC = "gcp-weekly-job";

    // ---- GcpEndToEndTest
    public static final String PIPELINE = "gcp-e2e";
    public static final String BUCKET = "mlops-e2e-landing";
    public static final String DATA_SOURCE = "gs://" + BUCKET + "/gcp-e2e/";
    public static final String WINDOW = "2s";

    public static final String VERTEX_PROJECT = "mlops-e2e";
    public static final String REGION = "us-central1";
    public static final String TEMPLATE_URI = "https://us-central1-kfp.pkg.dev/mlops-e2e/training-pipelines/retrain-pipeline/v1";
    public static final String PIPELINE_ROOT = "gs://mlops-e2e-pipelines/root";
    public static final String SERVICE_ACCOUNT = "vertex-training@mlops-e2e.iam.gserviceaccount.com";

    /** A dry-run pipeline whose high drift is notified. */
    public static final String DRIFT_PIPELINE = "gcp-e2e-drift";

    public static final String AUDIT_TOPIC = "retrain-e2e-audit";
    /** GcpGuardrailsTest: where the training pipelines write their evaluation reports. */
    public static final String REPORT_BUCKET = "mlops-e2e-reports";
    public static final String NOTIFY_TOPIC = "retrain-e2e-notify";

    @Override
    public Map<String, String> getConfigOverrides() {
        String p = "retrain.pipelines." + PIPELINE + ".";
        return Map.ofEntries(
                // ---- audit and notifications on Pub/Sub (GcpEndToEndTest)
                Map.entry("retrain.audit.uri", "google-pubsub:" + PubSubEmulatorResource.PROJECT + ":" + AUDIT_TOPIC),
                Map.entry("retrain.notify.uri", "google-pubsub:" + PubSubEmulatorResource.PROJECT + ":" + NOTIFY_TOPIC),

                // ---- GcpPubSubIngestionTest
                Map.entry("retrain.pipelines.gcp-data.data-sources", "gs://mlops-data-prod/labels/"),
                Map.entry("retrain.pipelines.gcp-data.batch.window", "2s"),
                Map.entry("retrain.pipelines.gcp-drift.monitors", DRIFT_POLICY),
                Map.entry("retrain.pipelines.gcp-sched.coordinator.min-interval", "0s"),
                Map.entry("retrain.pipelines.gcp-sched.coordinator.max-daily-trainings", "100"),
                // Cloud Scheduler jobs that publish only their own data: claimed by an attribute their job sets, or by subscription
                Map.entry("retrain.pipelines.gcp-job-attr.schedule-sources", "pubsub-attribute:scheduler-job=gcp-nightly-retrain"),
                Map.entry("retrain.pipelines.gcp-job-sub.schedule-sources", "pubsub-subscription:" + PubSubEmulatorResource.subscriptionOf(SCHEDULER_TOPIC)),

                // ---- GcpEndToEndTest
                Map.entry(p + "target", "vertex"),
                Map.entry(p + "data-sources", DATA_SOURCE),
                Map.entry(p + "batch.window", WINDOW),
                Map.entry(p + "vertex.project", VERTEX_PROJECT),
                Map.entry(p + "vertex.region", REGION),
                Map.entry(p + "vertex.template-uri", TEMPLATE_URI),
                Map.entry(p + "vertex.pipeline-root", PIPELINE_ROOT),
                Map.entry(p + "vertex.service-account", SERVICE_ACCOUNT),
                Map.entry("retrain.pipelines." + DRIFT_PIPELINE + ".target", "dry-run"),
                Map.entry("retrain.pipelines." + DRIFT_PIPELINE + ".coordinator.min-interval", "0s"),

                // ---- GcpGuardrailsTest: reports on Cloud Storage (WireMock), promotion in Vertex AI's Model Registry (the fake ModelService)
                Map.entry("retrain.pipelines.gcp-guarded.target", "vertex"),
                Map.entry("retrain.pipelines.gcp-guarded.vertex.project", VERTEX_PROJECT),
                Map.entry("retrain.pipelines.gcp-guarded.vertex.region", REGION),
                Map.entry("retrain.pipelines.gcp-guarded.vertex.template-uri", TEMPLATE_URI),
                Map.entry("retrain.pipelines.gcp-guarded.vertex.pipeline-root", PIPELINE_ROOT),
                Map.entry("retrain.pipelines.gcp-guarded.coordinator.min-interval", "0s"),
                Map.entry("retrain.pipelines.gcp-guarded.coordinator.max-daily-trainings", "100"),
                Map.entry("retrain.pipelines.gcp-guarded.coordinator.daily-budget", "100000"),
                Map.entry("retrain.pipelines.gcp-guarded.guardrails.report-uri", "gs://" + REPORT_BUCKET + "/{pipeline}/{executionId}/evaluation.json"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(PubSubEmulatorResource.class, Map.of(
                        PubSubEmulatorResource.TOPICS, AUDIT_TOPIC + "," + NOTIFY_TOPIC,
                        PubSubEmulatorResource.CONSUMED_TOPICS, SCHEDULER_TOPIC)),
                new TestResourceEntry(FakeVertexResource.class), new TestResourceEntry(GcsWireMockResource.class));
    }
}
