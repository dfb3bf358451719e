package io.retraintrigger.launch.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.aiplatform.v1.CreatePipelineJobRequest;
import com.google.cloud.aiplatform.v1.GetPipelineJobRequest;
import com.google.cloud.aiplatform.v1.PipelineJob;
import com.google.cloud.aiplatform.v1.PipelineServiceClient;
import com.google.cloud.aiplatform.v1.PipelineServiceSettings;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.testing.FakeVertexPipelineService;
import io.retraintrigger.testing.LaunchFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vertex AI launcher against an in-process gRPC server speaking google.cloud.aiplatform.v1.PipelineService
 * (CreatePipelineJob, GetPipelineJob), through the real GAPIC PipelineServiceClient.
 */
class VertexLauncherTest {
    static final Instant AT = LaunchFixtures.AT;
    static final String PROJECT = "mlops-prod";
    static final String PROJECT_NUMBER = FakeVertexPipelineService.PROJECT_NUMBER;
    static final String REGION = "europe-west4";
    static final String TEMPLATE = "https://europe-west4-kfp.pkg.dev/mlops-prod/pipelines/training-pipeline/v3";
    static final String ROOT = "gs://mlops-pipelines-prod/root";
    static final String SERVICE_ACCOUNT = "vertex-training@mlops-prod.iam.gserviceaccount.com";
    /** vertex.manifest-gcs-uri: a bucket and a prefix (the trailing slash is dropped). */
    static final String MANIFEST_BUCKET = "mlops-pipelines-prod";
    static final String MANIFEST_GCS_URI = "gs://" + MANIFEST_BUCKET + "/retrain/";
    /** Cloud Storage JSON API: a media upload (Objects: insert) into the bucket. */
    static final String UPLOAD_PATH = "/upload/storage/v1/b/" + MANIFEST_BUCKET + "/o";

    static final FakeVertexPipelineService vertex = new FakeVertexPipelineService();
    static Server server;
    static ManagedChannel channel;
    static PipelineServiceClient client;
    /** WireMock standing in for the Cloud Storage JSON API (retrain.gcp.storage-endpoint). */
    static WireMockServer gcs;
    static GcpClients.GcsStorage storage;

    final ObjectMapper json = new ObjectMapper();
    final PipelineSettings fraud = pipeline("fraud");

    @BeforeAll
    static void start() throws Exception {
        String name = "vertex-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(vertex.definition()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        client = PipelineServiceClient.create(GcpClients.launchSettings(PipelineServiceSettings.newBuilder())
                .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
        gcs = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        gcs.start();
        storage = new GcpClients.GcsStorage(Optional.of("http://127.0.0.1:" + gcs.port()), Optional.of(PROJECT));
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (channel != null) channel.shutdownNow();
        if (server != null) server.shutdownNow();
        if (storage != null) storage.close();
        if (gcs != null) gcs.stop();
    }

    @BeforeEach
    void reset() {
        vertex.reset();
        gcs.resetAll();
    }

    @Test
    void createsThePipelineJobWithExactlyTheDecisionsTypedParametersRenamed() {
        Decision d = drift("fraud");
        VertexLauncher launcher = launcher(target(Map.of("TriggerReason", "trigger_reason", "DriftScore", "drift_score")));

        var submitted = launcher.launch(fraud, d);
        String name = submitted.executionId();

        assertEquals("projects/" + PROJECT_NUMBER + "/locations/" + REGION + "/pipelineJobs/" + d.id(), name);
        // reported as sent: the typed values in text, by the pipeline's names
        assertEquals(Map.of("TriggerType", "DRIFT", "trigger_reason", "high drift on amount", "Priority", "2", "TrainingSequence", "7",
                "RequireApproval", "true", "EventCount", "1", "DriftSeverity", "HIGH", "drift_score", "0.42",
                "DriftedFeatures", "amount,merchant_category"), submitted.parameters());
        assertEquals(List.of(CreatePipelineJobRequest.newBuilder()
                .setParent("projects/mlops-prod/locations/europe-west4")
                .setPipelineJobId(d.id())
                .setPipelineJob(PipelineJob.newBuilder()
                        .setDisplayName("fraud-drift-7")
                        .setTemplateUri(TEMPLATE)
                        .putLabels("pipeline", "fraud")
                        .putLabels("trigger-type", "drift")
                        .setServiceAccount(SERVICE_ACCOUNT)
                        .setRuntimeConfig(PipelineJob.RuntimeConfig.newBuilder()
                                .setGcsOutputDirectory(ROOT)
                                .putParameterValues("TriggerType", string("DRIFT"))
                                .putParameterValues("trigger_reason", string("high drift on amount"))
                                .putParameterValues("Priority", number(2))
                                .putParameterValues("TrainingSequence", number(7))
                                .putParameterValues("RequireApproval", bool(true))
                                .putParameterValues("EventCount", number(1))
                                .putParameterValues("DriftSeverity", string("HIGH"))
                                .putParameterValues("drift_score", number(0.42))
                                .putParameterValues("DriftedFeatures", string("amount,merchant_category"))))
                .build()), vertex.creates);
        assertEquals(List.of(), vertex.gets);
    }

    @Test
    void dataPathsThatFitArePassedInlineWithTheirSizeAndDataManifestFalse() {
        Decision d = batch("fraud", uris(3), 3_000_000_000L);
        VertexLauncher launcher = launcher(new VertexLauncher.Target(PROJECT, REGION, TEMPLATE, ROOT, Optional.empty(),
                Map.of("DataPaths", "input_uris", "EventCount", VertexLauncher.OMIT)));

        launcher.launch(fraud, d);

        CreatePipelineJobRequest sent = vertex.creates.get(0);
        PipelineJob job = sent.getPipelineJob();
        assertEquals("fraud-data-arrival-7", job.getDisplayName());
        assertEquals(Map.of("pipeline", "fraud", "trigger-type", "data_arrival"), job.getLabelsMap());
        assertEquals("", job.getServiceAccount(), "no service account configured: Vertex uses the project's default");
        assertEquals(Map.of(
                "TriggerType", string("DATA_ARRIVAL"),
                "TriggerReason", string("batch_size_reached"),
                "Priority", number(3),
                "TrainingSequence", number(7),
                "RequireApproval", bool(false),
                "input_uris", string(String.join(",", uris(3))),
                "DataSizeBytes", number(3_000_000_000L),
                "DataManifest", bool(false)), job.getRuntimeConfig().getParameterValuesMap());
    }

    @Test
    void aRetriedLaunchIsAnsweredAlreadyExistsAndReturnsTheExistingJob() {
        Decision d = drift("fraud");
        VertexLauncher launcher = launcher(target(Map.of()));

        String first = launcher.launch(fraud, d).executionId();
        String second = assertDoesNotThrow(() -> launcher.launch(fraud, d).executionId());

        assertEquals(first, second);
        assertEquals(1, vertex.jobs.size(), "one job for one decision");
        assertEquals(2, vertex.creates.size());
        assertEquals(vertex.creates.get(0), vertex.creates.get(1), "a resend is the same request, same pipelineJobId");
        // the existing job's name as Vertex has it (project number), not one built from the configured project id
        assertEquals(List.of(GetPipelineJobRequest.newBuilder()
                .setName("projects/mlops-prod/locations/europe-west4/pipelineJobs/" + d.id()).build()), vertex.gets);
    }

    @Test
    void anExistingJobThatCannotBeReadIsStillLaunchedUnderItsBuiltName() {
        Decision d = drift("fraud");
        VertexLauncher launcher = launcher(target(Map.of()));
        launcher.launch(fraud, d);
        vertex.getFailure = Status.PERMISSION_DENIED.withDescription("Permission 'aiplatform.pipelineJobs.get' denied");

        assertEquals("projects/mlops-prod/locations/europe-west4/pipelineJobs/" + d.id(), launcher.launch(fraud, d).executionId());
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED", "INTERNAL", "ABORTED"})
    void unavailableThrottledAndTransientErrorsAreRetryable(Status.Code code) {
        Decision d = drift("fraud");
        vertex.failAll = code.toStatus().withDescription("try later (" + code + ")");
        VertexLauncher launcher = launcher(target(Map.of()));

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher.launch(fraud, d));

        assertEquals("Vertex AI " + code + ": try later (" + code + ")", e.getMessage());
        // GcpClients.launchSettings: 3 attempts on UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED; else the route retries
        boolean clientRetries = code == Status.Code.UNAVAILABLE || code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.DEADLINE_EXCEEDED;
        assertEquals(clientRetries ? 3 : 1, vertex.creates.size());
        vertex.creates.forEach(r -> assertEquals(d.id(), r.getPipelineJobId()));
    }

    @Test
    void anInvalidArgumentRejectsTheLaunchWithVertexsMessage() {
        String message = "The pipeline parameter DriftedFeatures is not found in the pipeline job input definitions.";
        vertex.failAll = Status.INVALID_ARGUMENT.withDescription(message);
        VertexLauncher launcher = launcher(target(Map.of()));

        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher.launch(fraud, drift("fraud")));

        assertEquals("Vertex AI INVALID_ARGUMENT: " + message, e.getMessage());
        assertEquals(1, vertex.creates.size(), "not retried");
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"NOT_FOUND", "FAILED_PRECONDITION", "PERMISSION_DENIED"})
    void otherRefusalsRejectTheLaunch(Status.Code code) {
        vertex.failAll = code.toStatus().withDescription("refused: " + code);
        VertexLauncher launcher = launcher(target(Map.of()));

        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher.launch(fraud, drift("fraud")));

        assertEquals("Vertex AI " + code + ": refused: " + code, e.getMessage());
        assertEquals(1, vertex.creates.size());
    }

    @Test
    void dataPathsOverTheInlineLimitArePassedAsAJsonArray() throws Exception {
        List<String> uris = uris(600);
        assertTrue(String.join(",", uris).length() > VertexLauncher.MAX_INLINE_DATA_PATHS);
        Decision d = batch("fraud", uris, 123_456_789L);
        VertexLauncher launcher = launcher(target(Map.of()));

        launcher.launch(fraud, d);

        Map<String, Value> values = vertex.creates.get(0).getPipelineJob().getRuntimeConfig().getParameterValuesMap();
        String dataPaths = values.get("DataPaths").getStringValue();
        assertTrue(dataPaths.startsWith("[\"gs://"), dataPaths.substring(0, 20));
        List<String> parsed = new ArrayList<>();
        json.readTree(dataPaths).forEach(n -> parsed.add(n.asText()));
        assertEquals(uris, parsed);
        assertEquals(bool(false), values.get("DataManifest"));
        assertEquals(number(123_456_789L), values.get("DataSizeBytes"));
    }

    @Test
    void dataPathsOverTheInlineLimitAreWrittenAsAManifestInCloudStorageAndPassedByItsUri() throws Exception {
        gcs.stubFor(post(urlPathEqualTo(UPLOAD_PATH)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"kind\": \"storage#object\", \"bucket\": \"" + MANIFEST_BUCKET + "\", \"name\": \"retrain/manifests/m.json\","
                        + " \"generation\": \"1764582000000001\", \"metageneration\": \"1\", \"contentType\": \"application/json\", \"size\": \"1\"}")));
        List<String> uris = uris(600);
        assertTrue(String.join(",", uris).length() > VertexLauncher.MAX_INLINE_DATA_PATHS);
        Decision d = batch("fraud", uris, 123_456_789L);
        VertexLauncher launcher = manifestLauncher(Map.of("DataPaths", "input_uris"));

        launcher.launch(fraud, d);

        // one upload: Objects: insert, uploadType=multipart, the object's metadata then the manifest
        String object = "retrain/manifests/" + d.id() + ".json";
        List<LoggedRequest> requests = gcs.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size(), "one request to Cloud Storage: " + requests);
        LoggedRequest upload = requests.get(0);
        assertEquals("POST", upload.getMethod().getName());
        assertEquals(UPLOAD_PATH, upload.getUrl().split("\\?", 2)[0], upload.getUrl());
        assertEquals("multipart", upload.queryParameter("uploadType").firstValue());
        assertTrue(upload.getHeader("Authorization") == null, "no credentials toward the endpoint override");
        List<String> parts = multipartRelated(upload);
        assertEquals(2, parts.size(), upload.getBodyAsString());
        JsonNode metadata = json.readTree(parts.get(0));
        assertEquals(MANIFEST_BUCKET, metadata.path("bucket").asText());
        assertEquals(object, metadata.path("name").asText());
        assertEquals("application/json", metadata.path("contentType").asText());
        JsonNode manifest = json.readTree(parts.get(1));
        assertEquals(json.readTree(json.writeValueAsString(Map.of(
                "decisionId", d.id(), "pipeline", "fraud", "uris", uris, "count", 600, "totalBytes", 123_456_789L))), manifest);

        // the job gets the manifest's gs:// URI (renamed as configured) and DataManifest=true
        assertEquals(1, vertex.creates.size());
        Map<String, Value> values = vertex.creates.get(0).getPipelineJob().getRuntimeConfig().getParameterValuesMap();
        assertEquals(string("gs://" + MANIFEST_BUCKET + "/" + object), values.get("input_uris"));
        assertEquals(bool(true), values.get("DataManifest"));
        assertEquals(number(123_456_789L), values.get("DataSizeBytes"));
        assertEquals(number(600), values.get("EventCount"));
        assertEquals(null, values.get("DataPaths"), "renamed");

        // a resend writes the same object again (idempotent) and Vertex answers ALREADY_EXISTS
        launcher.launch(fraud, d);
        List<LoggedRequest> again = gcs.findAll(anyRequestedFor(anyUrl()));
        assertEquals(2, again.size());
        assertEquals(parts, multipartRelated(again.get(1)), "the same manifest, same name");
        assertEquals(1, vertex.jobs.size());
    }

    @Test
    void dataPathsThatFitWriteNoManifestEvenWithAManifestLocation() {
        Decision d = batch("fraud", uris(3), 3_000L);

        manifestLauncher(Map.of()).launch(fraud, d);

        assertEquals(List.of(), gcs.findAll(anyRequestedFor(anyUrl())));
        Map<String, Value> values = vertex.creates.get(0).getPipelineJob().getRuntimeConfig().getParameterValuesMap();
        assertEquals(string(String.join(",", uris(3))), values.get("DataPaths"));
        assertEquals(bool(false), values.get("DataManifest"));
    }

    @Test
    void aPipelineThatTakesNoDataPathsGetsNoManifestWritten() {
        Decision d = batch("fraud", uris(600), 1L);

        manifestLauncher(Map.of("DataPaths", VertexLauncher.OMIT)).launch(fraud, d);

        assertEquals(List.of(), gcs.findAll(anyRequestedFor(anyUrl())));
        Map<String, Value> values = vertex.creates.get(0).getPipelineJob().getRuntimeConfig().getParameterValuesMap();
        assertEquals(null, values.get("DataPaths"));
        assertEquals(bool(false), values.get("DataManifest"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {429, 500, 503})
    void aManifestUploadThatIsThrottledOrFailsOnTheServerIsRetryableAndNothingIsSentToVertex(int status) {
        gcs.stubFor(post(urlPathEqualTo(UPLOAD_PATH)).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"code\": " + status + ", \"message\": \"try later\", \"errors\": [{\"message\": \"try later\","
                        + " \"domain\": \"global\", \"reason\": \"backendError\"}]}}")));
        Decision d = batch("fraud", uris(600), 1L);

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> manifestLauncher(Map.of()).launch(fraud, d));

        assertTrue(e.getMessage().startsWith("Cloud Storage (manifest gs://" + MANIFEST_BUCKET + "/retrain/manifests/" + d.id() + ".json) HTTP " + status),
                e.getMessage());
        assertEquals(1, gcs.findAll(anyRequestedFor(anyUrl())).size(), "an upload without precondition is not retried by the client: the launch route retries");
        assertEquals(List.of(), vertex.creates, "no job without its manifest");
    }

    @Test
    void aManifestUploadThatIsRefusedRejectsTheLaunch() {
        gcs.stubFor(post(urlPathEqualTo(UPLOAD_PATH)).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"code\": 403, \"message\": \"vertex-training@mlops-prod.iam.gserviceaccount.com does not have"
                        + " storage.objects.create access to the Google Cloud Storage object.\", \"errors\": [{\"message\": \"denied\","
                        + " \"domain\": \"global\", \"reason\": \"forbidden\"}]}}")));
        Decision d = batch("fraud", uris(600), 1L);

        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> manifestLauncher(Map.of()).launch(fraud, d));

        assertTrue(e.getMessage().contains("HTTP 403") && e.getMessage().contains("storage.objects.create"), e.getMessage());
        assertEquals(1, gcs.findAll(anyRequestedFor(anyUrl())).size(), "not retried");
        assertEquals(List.of(), vertex.creates);
    }

    @Test
    void anUnreachableCloudStorageIsRetryable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        GcpClients.GcsStorage nowhere = new GcpClients.GcsStorage(Optional.of("http://127.0.0.1:" + closed), Optional.empty());
        try {
            VertexLauncher launcher = new VertexLauncher(region -> client, nowhere, name -> Optional.of(manifestTarget(Map.of())));
            Decision d = batch("fraud", uris(600), 1L);

            RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher.launch(fraud, d));

            assertTrue(e.getMessage().startsWith("Cloud Storage (manifest gs://" + MANIFEST_BUCKET + "/retrain/manifests/" + d.id() + ".json) unreachable: "),
                    e.getMessage());
            assertEquals(List.of(), vertex.creates);
        } finally {
            nowhere.close();
        }
    }

    @Test
    void theManifestLocationIsTakenFromTheConfiguration() {
        VertexLauncher.Target t = VertexLauncher.target(vertexKeys(), Optional.empty()).orElseThrow();
        assertEquals(Optional.of("gs://mlops-pipelines-prod/manifests"), t.manifestGcsUri());
        assertEquals(Optional.empty(), VertexLauncher.target(vertexKeys().withManifestGcsUri(Optional.empty()), Optional.empty()).orElseThrow().manifestGcsUri());
    }

    @Test
    void aPipelineWithoutCompleteVertexSettingsIsRejectedBeforeAnythingIsSent() {
        VertexLauncher launcher = new VertexLauncher(region -> client, name -> Optional.empty());

        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher.launch(fraud, drift("fraud")));

        assertTrue(e.getMessage().startsWith("retrain.pipelines.fraud.vertex:"), e.getMessage());
        assertEquals(List.of(), vertex.creates);
    }

    @Test
    void aClientThatCannotBeMadeIsRetryable() {
        VertexLauncher launcher = new VertexLauncher(region -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("Your default credentials were not found"));
        }, name -> Optional.of(target(Map.of())));

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher.launch(fraud, drift("fraud")));
        assertTrue(e.getMessage().contains("default credentials were not found"), e.getMessage());
    }

    @Test
    void jobIdsLabelsAndDisplayNamesKeepToVertexsRules() {
        String id = "dec-" + UUID.randomUUID();
        assertEquals(id, VertexLauncher.pipelineJobId(id), "our decision ids are valid job ids as they are");
        for (String odd : List.of("DEC_Ab", "123-abc", "dec-" + "x".repeat(200), "-", "dec.é.ü")) {
            String jobId = VertexLauncher.pipelineJobId(odd);
            assertTrue(jobId.matches("[a-z][-a-z0-9]{0,127}") && jobId.length() < 128, odd + " -> " + jobId);
            assertEquals(jobId, VertexLauncher.pipelineJobId(odd), "stable, so a resend carries the same id");
        }
        assertEquals("dec-ab", VertexLauncher.pipelineJobId("dec-ab"));
        assertNotEquals(VertexLauncher.pipelineJobId("dec-ab"), VertexLauncher.pipelineJobId("DEC_Ab"), "cleaning does not collide");

        assertEquals("data_arrival", VertexLauncher.labelValue("DATA_ARRIVAL"));
        assertEquals("a-b_c-d", VertexLauncher.labelValue("A.b_C d"));
        assertEquals(63, VertexLauncher.labelValue("p".repeat(80)).length());

        String longName = "a-very-long-pipeline-name-" + "x".repeat(37);
        Decision d = batch(longName, uris(1), 1);
        d = d.withLaunch(Launch.pending("vertex", Long.MAX_VALUE, d.launch().parameters()));
        String display = VertexLauncher.displayName(longName, d);
        assertEquals(longName + "-data-arrival-" + Long.MAX_VALUE, display);
        assertTrue(display.length() <= VertexLauncher.MAX_DISPLAY_NAME);
    }

    @Test
    void theEndpointOverrideTalksPlainTextToTheNamedHostWithoutCredentials() throws Exception {
        Server netty = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(vertex.definition()).build().start();
        GcpClients.VertexPipelineClients clients = new GcpClients.VertexPipelineClients(Optional.of("127.0.0.1:" + netty.getPort()));
        try {
            Decision d = drift("fraud");
            VertexLauncher launcher = new VertexLauncher(clients, name -> Optional.of(target(Map.of())));

            assertEquals("projects/" + PROJECT_NUMBER + "/locations/" + REGION + "/pipelineJobs/" + d.id(), launcher.launch(fraud, d).executionId());
            assertEquals(1, vertex.creates.size());
            PipelineServiceClient c = clients.apply(REGION);
            assertSame(c, clients.apply(REGION), "one client per region");
            clients.close();
            assertTrue(c.isShutdown());
        } finally {
            clients.close();
            netty.shutdownNow();
        }
    }

    // ---- startup validation (PipelineRegistry calls VertexLauncher.check) ----

    @Test
    void aCompleteVertexPipelinePassesTheStartupCheck() {
        assertDoesNotThrow(() -> VertexLauncher.check("retrain.pipelines.fraud", "vertex", vertexKeys(), Optional.empty()));
        assertDoesNotThrow(() -> VertexLauncher.check("retrain.pipelines.fraud", "vertex",
                vertexKeys().withProject(Optional.empty()), Optional.of("mlops-shared")), "retrain.gcp.project-id stands in");
        assertDoesNotThrow(() -> VertexLauncher.check("retrain.pipelines.fraud", "dry-run", VertexKeys.NONE, Optional.empty()));
    }

    @Test
    void theStartupCheckNamesTheMissingOrBadKey() {
        assertCheckFails("retrain.pipelines.fraud.vertex.project", vertexKeys().withProject(Optional.empty()), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.region", vertexKeys().withRegion(Optional.empty()), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.template-uri", vertexKeys().withTemplateUri(Optional.empty()), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.pipeline-root", vertexKeys().withPipelineRoot(Optional.empty()), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.template-uri", vertexKeys().withTemplateUri(Optional.of("gs://bucket/pipeline.json")), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.pipeline-root", vertexKeys().withPipelineRoot(Optional.of("/tmp/root")), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.region", vertexKeys().withRegion(Optional.of("Europe West 4")), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.manifest-gcs-uri", vertexKeys().withManifestGcsUri(Optional.of("s3://mlops/manifests")), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.parameter-names.Unknown", vertexKeys().withParameterNames(Map.of("Unknown", "x")), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.parameter-names.DataPaths", vertexKeys().withParameterNames(Map.of("DataPaths", "input-uris")), Optional.empty());
        assertCheckFails("retrain.pipelines.fraud.vertex.parameter-names.DataPaths", vertexKeys().withParameterNames(Map.of("DataPaths", "Priority")), Optional.empty());
    }

    private static void assertCheckFails(String key, VertexKeys keys, Optional<String> gcpProject) {
        ConfigurationError e = assertThrows(ConfigurationError.class, () -> VertexLauncher.check("retrain.pipelines.fraud", "vertex", keys, gcpProject));
        assertTrue(e.getMessage().startsWith("invalid configuration " + key + ": "), e.getMessage());
    }

    // ---- fixtures ----

    record VertexKeys(Optional<String> project, Optional<String> region, Optional<String> templateUri, Optional<String> pipelineRoot,
                      Optional<String> serviceAccount, Map<String, String> parameterNames, Optional<String> manifestGcsUri)
            implements RetrainConfig.Pipeline.Vertex {
        @Override
        public String promotionAlias() {
            return "champion";
        }

        static final VertexKeys NONE = new VertexKeys(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty());

        VertexKeys withProject(Optional<String> v) {
            return new VertexKeys(v, region, templateUri, pipelineRoot, serviceAccount, parameterNames, manifestGcsUri);
        }

        VertexKeys withRegion(Optional<String> v) {
            return new VertexKeys(project, v, templateUri, pipelineRoot, serviceAccount, parameterNames, manifestGcsUri);
        }

        VertexKeys withTemplateUri(Optional<String> v) {
            return new VertexKeys(project, region, v, pipelineRoot, serviceAccount, parameterNames, manifestGcsUri);
        }

        VertexKeys withPipelineRoot(Optional<String> v) {
            return new VertexKeys(project, region, templateUri, v, serviceAccount, parameterNames, manifestGcsUri);
        }

        VertexKeys withParameterNames(Map<String, String> v) {
            return new VertexKeys(project, region, templateUri, pipelineRoot, serviceAccount, v, manifestGcsUri);
        }

        VertexKeys withManifestGcsUri(Optional<String> v) {
            return new VertexKeys(project, region, templateUri, pipelineRoot, serviceAccount, parameterNames, v);
        }
    }

    static VertexKeys vertexKeys() {
        return new VertexKeys(Optional.of(PROJECT), Optional.of(REGION), Optional.of(TEMPLATE), Optional.of(ROOT), Optional.of(SERVICE_ACCOUNT),
                Map.of("DataPaths", "input_uris", "EventCount", "-"), Optional.of("gs://mlops-pipelines-prod/manifests"));
    }

    static VertexLauncher.Target target(Map<String, String> parameterNames) {
        return new VertexLauncher.Target(PROJECT, REGION, TEMPLATE, ROOT, Optional.of(SERVICE_ACCOUNT), parameterNames);
    }

    static VertexLauncher.Target manifestTarget(Map<String, String> parameterNames) {
        return new VertexLauncher.Target(PROJECT, REGION, TEMPLATE, ROOT, Optional.of(SERVICE_ACCOUNT), parameterNames, Optional.of(MANIFEST_GCS_URI));
    }

    /** A launcher whose pipeline has a manifest location, writing through the Cloud Storage client to WireMock. */
    private static VertexLauncher manifestLauncher(Map<String, String> parameterNames) {
        return new VertexLauncher(region -> client, storage, name -> Optional.of(manifestTarget(parameterNames)));
    }

    /** The parts' contents of a multipart/related body (RFC 2387), in order. */
    static List<String> multipartRelated(LoggedRequest request) {
        String type = request.getHeader("Content-Type");
        assertTrue(type != null && type.startsWith("multipart/related"), "Content-Type " + type);
        String boundary = type.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        String body = new String(request.getBody(), StandardCharsets.UTF_8);
        List<String> parts = new ArrayList<>();
        for (String part : body.split("--" + java.util.regex.Pattern.quote(boundary))) {
            if (part.isBlank() || part.startsWith("--")) continue;
            int start = part.indexOf("\r\n\r\n");
            assertTrue(start >= 0, "a part with headers: " + part);
            parts.add(part.substring(start + 4).replaceAll("\r\n$", ""));
        }
        return parts;
    }

    private static VertexLauncher launcher(VertexLauncher.Target target) {
        return new VertexLauncher(region -> {
            assertEquals(REGION, region);
            return client;
        }, name -> Optional.of(target));
    }

    static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    static Value number(double d) {
        return Value.newBuilder().setNumberValue(d).build();
    }

    static Value bool(boolean b) {
        return Value.newBuilder().setBoolValue(b).build();
    }

    static List<String> uris(int n) {
        return LaunchFixtures.uris("gs://mlops-data-prod/labels/2025/06/01/part-", n);
    }

    static Decision drift(String pipeline) {
        return LaunchFixtures.drift("vertex", pipeline);
    }

    static Decision batch(String pipeline, List<String> uris, long bytes) {
        return LaunchFixtures.batch("vertex", pipeline, uris, bytes);
    }

    static PipelineSettings pipeline(String name) {
        return LaunchFixtures.pipeline("vertex", name);
    }
}
