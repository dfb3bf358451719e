package io.retraintrigger.ingest.gcp;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.retraintrigger.testing.FakeVertexResource;
import io.retraintrigger.testing.PubSubEmulatorResource;

import java.util.List;
import java.util.Map;

/**
 * The Google Cloud source on Google's Pub/Sub emulator, one pipeline {@value #PIPELINE} of target vertex fed
 * by the objects under {@link #DATA_SOURCE}, whose batch closes {@value #WINDOW} after its first event, and
 * Vertex AI's PipelineService played by {@link FakeVertexResource} (a real gRPC server on a loopback port,
 * retrain.gcp.vertex-endpoint). Audit and notifications go to Pub/Sub topics of the emulator
 * ({@link #AUDIT_TOPIC}, {@link #NOTIFY_TOPIC}, each with a subscription {@code <topic>-sub} to read them).
 * No other pipeline (application.properties, %test) has a data source in the bucket {@value #BUCKET}, and
 * {@value #DRIFT_PIPELINE} (dry-run, for notifications) has no monitor that a Pub/Sub message could name.
 */
public class GcpEndToEndProfile implements QuarkusTestProfile {
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
    public static final String NOTIFY_TOPIC = "retrain-e2e-notify";

    @Override
    public Map<String, String> getConfigOverrides() {
        String p = "retrain.pipelines." + PIPELINE + ".";
        return Map.ofEntries(
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
                Map.entry("retrain.audit.uri", "google-pubsub:" + PubSubEmulatorResource.PROJECT + ":" + AUDIT_TOPIC),
                Map.entry("retrain.notify.uri", "google-pubsub:" + PubSubEmulatorResource.PROJECT + ":" + NOTIFY_TOPIC));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(PubSubEmulatorResource.class, Map.of(PubSubEmulatorResource.TOPICS, AUDIT_TOPIC + "," + NOTIFY_TOPIC)),
                new TestResourceEntry(FakeVertexResource.class));
    }
}
