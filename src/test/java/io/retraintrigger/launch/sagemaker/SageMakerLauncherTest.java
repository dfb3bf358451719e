package io.retraintrigger.launch.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EvaluationReport;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.testing.LaunchFixtures;
import io.retraintrigger.testing.NodeEmulator;
import io.retraintrigger.testing.S3rverResource;
import io.retraintrigger.wiring.AwsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SageMaker launcher against WireMock speaking SageMaker's AWS JSON 1.1 API, and s3rver for manifests. */
class SageMakerLauncherTest {
    static final String JSON_11 = "application/x-amz-json-1.1";
    static final String TARGET_HEADER = "SageMaker.StartPipelineExecution";
    static final String ARN = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/training-pipeline/execution/7x1k2m9q4w0z";
    static final Instant AT = LaunchFixtures.AT;
    static final String BUCKET = "retrain-manifests";

    static WireMockServer wireMock;
    static SageMakerClient sageMaker;
    static NodeEmulator s3rver;
    static S3Client s3;

    final ObjectMapper json = new ObjectMapper();
    final PipelineSettings fraud = pipeline("fraud");

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wireMock.start();
        sageMaker = SageMakerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + wireMock.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")))
                .overrideConfiguration(AwsClients.launchClientConfiguration())
                .build();
        s3rver = S3rverResource.startS3rver();
        // s3rver stores an aws-chunked (signed streaming) body as it came, chunk signatures included:
        // plain bodies for the emulator. Real S3 decodes either.
        s3 = S3Client.builder()
                .endpointOverride(URI.create(s3rver.url()))
                .forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER")))
                .build();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        if (sageMaker != null) sageMaker.close();
        if (s3 != null) s3.close();
        if (s3rver != null) s3rver.close();
        if (wireMock != null) wireMock.stop();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
    }

    @AfterEach
    void noUnmatchedRequests() {
        assertEquals(List.of(), wireMock.findAllUnmatchedRequests(), "requests that matched no stub");
    }

    @Test
    void startsThePipelineWithExactlyTheDecisionsParametersRenamed() {
        Decision d = drift("fraud");
        answer(200, "{\"PipelineExecutionArn\":\"" + ARN + "\"}");
        SageMakerLauncher launcher = launcher(new SageMakerLauncher.Target("training-pipeline",
                Map.of("TriggerReason", "Reason", "DriftScore", "drift_score", "DriftedFeatures", "Drifted-Features"), Optional.empty()));

        var submitted = launcher.launch(fraud, d);
        assertEquals(ARN, submitted.executionId());
        // what it reports as sent is what the request carried, by the pipeline's names, in order
        assertEquals(List.of("TriggerType=DRIFT", "Reason=high drift on amount", "Priority=2", "RequireApproval=true", "EventCount=1",
                        "DriftSeverity=HIGH", "drift_score=0.42", "Drifted-Features=amount,merchant_category"),
                submitted.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());

        wireMock.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(TARGET_HEADER))
                .withHeader("Content-Type", equalTo(JSON_11))
                .withRequestBody(equalToJson("""
                        {
                          "PipelineName": "training-pipeline",
                          "PipelineExecutionDisplayName": "fraud-drift-7",
                          "PipelineExecutionDescription": "retrain-trigger decision %s (DRIFT, priority 2, training 7)",
                          "ClientRequestToken": "%s",
                          "PipelineParameters": [
                            {"Name": "TriggerType", "Value": "DRIFT"},
                            {"Name": "Reason", "Value": "high drift on amount"},
                            {"Name": "Priority", "Value": "2"},
                            {"Name": "RequireApproval", "Value": "true"},
                            {"Name": "EventCount", "Value": "1"},
                            {"Name": "DriftSeverity", "Value": "HIGH"},
                            {"Name": "drift_score", "Value": "0.42"},
                            {"Name": "Drifted-Features", "Value": "amount,merchant_category"}
                          ]
                        }""".formatted(d.id(), d.id()))));
    }

    @Test
    void dataPathsThatFitArePassedInlineWithDataManifestFalse() {
        Decision d = batch("fraud", uris(3), 3_000);
        answer(200, "{\"PipelineExecutionArn\":\"" + ARN + "\"}");
        SageMakerLauncher launcher = launcher(new SageMakerLauncher.Target("arn:aws:sagemaker:us-east-1:123456789012:pipeline/training-pipeline",
                Map.of("DataPaths", "InputDataUris", "EventCount", SageMakerLauncher.OMIT), Optional.empty()));

        launcher.launch(fraud, d);

        wireMock.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(equalToJson("""
                {
                  "PipelineName": "arn:aws:sagemaker:us-east-1:123456789012:pipeline/training-pipeline",
                  "PipelineExecutionDisplayName": "fraud-data-arrival-7",
                  "PipelineExecutionDescription": "retrain-trigger decision %s (DATA_ARRIVAL, priority 3, training 7)",
                  "ClientRequestToken": "%s",
                  "PipelineParameters": [
                    {"Name": "TriggerType", "Value": "DATA_ARRIVAL"},
                    {"Name": "TriggerReason", "Value": "batch_size_reached"},
                    {"Name": "Priority", "Value": "3"},
                    {"Name": "RequireApproval", "Value": "false"},
                    {"Name": "InputDataUris", "Value": "%s"},
                    {"Name": "DataManifest", "Value": "false"}
                  ]
                }""".formatted(d.id(), d.id(), String.join(",", uris(3))))));
    }

    @Test
    void aRetriedLaunchSendsTheSameClientRequestToken() {
        Decision d = drift("fraud");
        answer(200, "{\"PipelineExecutionArn\":\"" + ARN + "\"}");
        SageMakerLauncher launcher = launcher(new SageMakerLauncher.Target("training-pipeline", Map.of(), Optional.empty()));

        assertEquals(ARN, launcher.launch(fraud, d).executionId());
        assertEquals(ARN, launcher.launch(fraud, d).executionId());

        assertEquals(40, d.id().length());
        var sent = wireMock.findAll(postRequestedFor(urlEqualTo("/")));
        assertEquals(2, sent.size());
        for (var r : sent) {
            assertEquals(d.id(), read(r.getBodyAsString()).get("ClientRequestToken").asText());
        }
        assertEquals(sent.get(0).getBodyAsString(), sent.get(1).getBodyAsString(), "a resend is the same request");
    }

    @Test
    void throttlingIsRetryable() {
        Decision d = drift("fraud");
        answer(429, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        SageMakerLauncher launcher = launcher(new SageMakerLauncher.Target("training-pipeline", Map.of(), Optional.empty()));

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher.launch(fraud, d));
        assertTrue(e.getMessage().contains("ThrottlingException: Rate exceeded"), e.getMessage());
        // the SDK's own attempts (launchClientConfiguration: 3), each with the same token
        var sent = wireMock.findAll(postRequestedFor(urlEqualTo("/")));
        assertEquals(3, sent.size());
        sent.forEach(r -> assertEquals(d.id(), read(r.getBodyAsString()).get("ClientRequestToken").asText()));
    }

    @Test
    void aServerErrorIsRetryable() {
        answer(503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"Service is unavailable\"}");
        SageMakerLauncher launcher = launcher(new SageMakerLauncher.Target("training-pipeline", Map.of(), Optional.empty()));

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher.launch(fraud, drift("fraud")));
        assertTrue(e.getMessage().contains("Service is unavailable"), e.getMessage());
    }

    @Test
    void aValidationErrorRejectsTheLaunchWithSageMakersMessage() {
        String message = "Parameter 'DriftedFeatures' is not defined in pipeline 'training-pipeline'";
        answer(400, "{\"__type\":\"ValidationException\",\"message\":\"" + message + "\"}");
        SageMakerLauncher launcher = launcher(new SageMakerLauncher.Target("training-pipeline", Map.of(), Optional.empty()));

        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher.launch(fraud, drift("fraud")));
        assertEquals("SageMaker ValidationException: " + message, e.getMessage());
        wireMock.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void dataPathsOverTheParameterLimitGoThroughAManifestInS3() throws Exception {
        List<String> uris = uris(40);
        Decision d = batch("fraud", uris, 123_456_789L);
        assertTrue(String.join(",", uris).length() > SageMakerLauncher.MAX_PARAMETER_VALUE);
        answer(200, "{\"PipelineExecutionArn\":\"" + ARN + "\"}");
        SageMakerLauncher launcher = launcher(new SageMakerLauncher.Target("training-pipeline", Map.of(), Optional.of("s3://" + BUCKET + "/fraud/")));

        launcher.launch(fraud, d);

        String key = "fraud/manifests/" + d.id() + ".json";
        String manifestUri = "s3://" + BUCKET + "/" + key;
        wireMock.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(matchingJsonPath("$.PipelineParameters[?(@.Name == 'DataPaths')].Value", equalTo(manifestUri)))
                .withRequestBody(matchingJsonPath("$.PipelineParameters[?(@.Name == 'DataManifest')].Value", equalTo("true"))));

        JsonNode manifest = read(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String());
        assertEquals(d.id(), manifest.get("decisionId").asText());
        assertEquals("fraud", manifest.get("pipeline").asText());
        List<String> stored = new ArrayList<>();
        manifest.get("uris").forEach(n -> stored.add(n.asText()));
        assertEquals(uris, stored);
        assertEquals(40, manifest.get("count").asInt());
        assertEquals(123_456_789L, manifest.get("totalBytes").asLong());
        assertEquals(5, manifest.size(), manifest.toString());
    }

    @Test
    void longDataPathsWithoutAManifestLocationAreRejectedBeforeAnythingIsSent() {
        SageMakerLauncher launcher = launcher(new SageMakerLauncher.Target("training-pipeline", Map.of(), Optional.empty()));

        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher.launch(fraud, batch("fraud", uris(40), 1)));
        assertTrue(e.getMessage().contains("retrain.pipelines.fraud.sagemaker.manifest-s3-uri"), e.getMessage());
        wireMock.verify(0, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void aPipelineWithoutItsSageMakerPipelineIsRejected() {
        SageMakerLauncher launcher = new SageMakerLauncher(sageMaker, s3, name -> Optional.empty());
        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher.launch(fraud, drift("fraud")));
        assertTrue(e.getMessage().contains("retrain.pipelines.fraud.sagemaker.pipeline-name"), e.getMessage());
    }

    @Test
    void displayNamesAndTokensKeepToSageMakersRules() {
        String longName = "a-very-long-pipeline-name-" + "x".repeat(36) + "-";
        assertEquals(63, longName.length());
        Decision d = batch(longName, uris(1), 1);
        d = d.withLaunch(Launch.pending("sagemaker", Long.MAX_VALUE, d.launch().parameters()));
        String name = SageMakerLauncher.displayName(longName, d);
        assertTrue(name.length() <= 82 && SageMakerLauncher.DISPLAY_NAME.matcher(name).matches(), name);
        assertTrue(name.endsWith("-data-arrival-" + Long.MAX_VALUE), name);

        String id = "dec-" + UUID.randomUUID();
        assertEquals(id, SageMakerLauncher.clientRequestToken(id));
        String shortToken = SageMakerLauncher.clientRequestToken("dec-1");
        assertEquals(64, shortToken.length());
        assertEquals(shortToken, SageMakerLauncher.clientRequestToken("dec-1"), "stable, so a resend carries the same token");
    }

    // ---- fixtures ----

    private SageMakerLauncher launcher(SageMakerLauncher.Target target) {
        return new SageMakerLauncher(sageMaker, s3, name -> Optional.of(target));
    }

    @Test
    void aPipelinesStaticParametersAreSentAfterTheComputedOnes() {
        Decision plain = drift("fraud");
        Decision d = plain.withLaunch(plain.launch().withParameter("DataWindowDays", "7").withParameter("TrainingMode", "scheduled"));
        answer(200, "{\"PipelineExecutionArn\":\"" + ARN + "\"}");
        var submitted = launcher(new SageMakerLauncher.Target("training-pipeline", Map.of(), Optional.empty())).launch(fraud, d);
        List<String> names = new ArrayList<>(submitted.parameters().keySet());
        assertEquals(List.of("DataWindowDays", "TrainingMode"), names.subList(names.size() - 2, names.size()), names.toString());
        wireMock.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(matchingJsonPath("$.PipelineParameters[?(@.Name == 'DataWindowDays')].Value", equalTo("7"))));
    }

    /** Promotion in the SageMaker Model Registry: UpdateModelPackage, asserted exactly. */
    @Nested
    class Promoting {
        static final String PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-models/7";
        final SageMakerPromoter promoter = new SageMakerPromoter(sageMaker);

        EvaluationReport report(String model) {
            return new EvaluationReport(model, Map.of("accuracy", 0.9), null, null, null, null, false);
        }

        void registry(int status, String body) {
            wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.UpdateModelPackage"))
                    .willReturn(aResponse().withStatus(status).withHeader("Content-Type", JSON_11).withBody(body)));
        }

        @Test
        void approvesTheModelPackage() {
            Decision d = drift("fraud");
            registry(200, "{\"ModelPackageArn\":\"" + PACKAGE + "\"}");
            Map<String, String> sent = promoter.promote(fraud, d, report(PACKAGE));
            String description = "promoted by retrain-trigger: decision " + d.id() + " of pipeline fraud passed its guardrail checks";
            wireMock.verify(1, postRequestedFor(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo("SageMaker.UpdateModelPackage"))
                    .withHeader("Content-Type", equalTo(JSON_11))
                    .withRequestBody(equalToJson("{\"ModelPackageArn\":\"" + PACKAGE + "\",\"ModelApprovalStatus\":\"Approved\","
                            + "\"ApprovalDescription\":\"" + description + "\"}")));
            assertEquals(Map.of("ModelPackageArn", PACKAGE, "ModelApprovalStatus", "Approved", "ApprovalDescription", description), sent);
        }

        @Test
        void aModelThatIsNoModelPackageIsRefusedWithoutARequest() {
            LaunchRejectedException e = assertThrows(LaunchRejectedException.class,
                    () -> promoter.promote(fraud, drift("fraud"), report("arn:aws:sagemaker:us-east-1:123456789012:model/fraud")));
            assertTrue(e.getMessage().contains("not the ARN of a versioned SageMaker model package"), e.getMessage());
            wireMock.verify(0, postRequestedFor(urlEqualTo("/")));
        }

        @Test
        void throttlingIsRetryableAndAValidationErrorFinal() {
            registry(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
            assertThrows(RetryableLaunchException.class, () -> promoter.promote(fraud, drift("fraud"), report(PACKAGE)));
            wireMock.resetAll();
            registry(400, "{\"__type\":\"ValidationException\",\"message\":\"Model package does not exist\"}");
            LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> promoter.promote(fraud, drift("fraud"), report(PACKAGE)));
            assertEquals("SageMaker ValidationException: Model package does not exist", e.getMessage());
        }
    }

    private static void answer(int status, String body) {
        MappingBuilder start = post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET_HEADER));
        wireMock.stubFor(start.willReturn(aResponse().withStatus(status).withHeader("Content-Type", JSON_11).withBody(body)));
    }

    private JsonNode read(String s) {
        try {
            return json.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    static List<String> uris(int n) {
        return LaunchFixtures.uris("s3://mlops-data-prod/labels/2025/06/01/part-", n);
    }

    static Decision drift(String pipeline) {
        return LaunchFixtures.drift("sagemaker", pipeline);
    }

    static Decision batch(String pipeline, List<String> uris, long bytes) {
        return LaunchFixtures.batch("sagemaker", pipeline, uris, bytes);
    }

    static PipelineSettings pipeline(String name) {
        return LaunchFixtures.pipeline("sagemaker", name);
    }
}
