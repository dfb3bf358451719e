package io.retraintrigger.launch.azureml;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.model.EvaluationReport;
import io.retraintrigger.testing.TestConfig;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.testing.LaunchFixtures;
import io.retraintrigger.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Azure ML launcher against WireMock standing in for Azure Resource Manager (Jobs - Create Or Update)
 * and for Blob Storage (manifests), with a fake token credential.
 */
class AzureMlLauncherTest {
    static final String SUB = "00000000-1111-2222-3333-444444444444";
    static final String WS_PATH = "/subscriptions/" + SUB + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-prod";
    static final String API_VERSION = "2024-04-01";
    static final Instant AT = LaunchFixtures.AT;
    static final String ARM_TOKEN = "arm-token-123";
    static final String STORAGE_TOKEN = "storage-token-456";

    static WireMockServer wireMock;

    final ObjectMapper json = new ObjectMapper();
    final PipelineSettings fraud = pipeline("fraud");
    final FakeCredential credential = new FakeCredential();

    @BeforeAll
    static void start() {
        // HTTPS: azure-core's bearer token policy sends tokens over nothing else
        wireMock = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                .keystorePath(TestTls.serverKeyStore()).keystoreType("PKCS12").keystorePassword(TestTls.PASSWORD).keyManagerPassword(TestTls.PASSWORD));
        wireMock.start();
    }

    @AfterAll
    static void stop() {
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
    void submitsAPipelineJobRunningTheRegisteredComponentWithTheDecisionsInputsRenamed() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        wireMock.stubFor(put(urlPathEqualTo(job)).willReturn(created(d.id())));
        AzureMlLauncher launcher = launcher(new AzureMlLauncher.Target(SUB, "rg-ml", "ws-prod", "azureml:fraud_training:3",
                Optional.of("fraud-retraining"), Optional.of("azureml:cpu-cluster"),
                Map.of("TriggerReason", "reason", "DriftScore", "drift_score", "EventCount", AzureMlLauncher.OMIT), Optional.empty()));

        var submitted = launcher.launch(fraud, d);
        assertEquals(d.id(), submitted.executionId());
        // reported as sent: the literal inputs, by their input names, EventCount (omitted) not among them
        assertEquals(List.of("TriggerType=DRIFT", "reason=high drift on amount", "Priority=2", "RequireApproval=true", "DriftSeverity=HIGH",
                        "drift_score=0.42", "DriftedFeatures=amount,merchant_category"),
                submitted.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());

        wireMock.verify(1, putRequestedFor(urlPathEqualTo(job))
                .withQueryParam("api-version", equalTo(API_VERSION))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {
                          "properties": {
                            "jobType": "Pipeline",
                            "displayName": "fraud-drift-7",
                            "description": "retrain-trigger decision %1$s (DRIFT, priority 2, training 7)",
                            "experimentName": "fraud-retraining",
                            "componentId": "%2$s/components/fraud_training/versions/3",
                            "tags": {
                              "retrain-trigger.decision-id": "%1$s",
                              "retrain-trigger.pipeline": "fraud",
                              "retrain-trigger.trigger-type": "DRIFT",
                              "retrain-trigger.sequence": "7"
                            },
                            "inputs": {
                              "TriggerType": {"jobInputType": "literal", "value": "DRIFT"},
                              "reason": {"jobInputType": "literal", "value": "high drift on amount"},
                              "Priority": {"jobInputType": "literal", "value": "2"},
                              "RequireApproval": {"jobInputType": "literal", "value": "true"},
                              "DriftSeverity": {"jobInputType": "literal", "value": "HIGH"},
                              "drift_score": {"jobInputType": "literal", "value": "0.42"},
                              "DriftedFeatures": {"jobInputType": "literal", "value": "amount,merchant_category"}
                            },
                            "settings": {"default_compute": "%2$s/computes/cpu-cluster"}
                          }
                        }""".formatted(d.id(), WS_PATH))));
        assertEquals(List.of(AzureMlLauncher.ARM_SCOPE), credential.scopes);
    }

    @Test
    void dataPathsThatFitArePassedInlineWithDataManifestFalse() {
        Decision d = batch("fraud", uris(3), 3_000);
        String registryComponent = "azureml://registries/mlops-shared/components/training_pipeline/versions/12";
        wireMock.stubFor(put(urlPathEqualTo(WS_PATH + "/jobs/" + d.id())).willReturn(created(d.id())));
        AzureMlLauncher launcher = launcher(new AzureMlLauncher.Target(SUB, "rg-ml", "ws-prod", registryComponent,
                Optional.empty(), Optional.empty(), Map.of("DataPaths", "input_uris"), Optional.empty()));

        launcher.launch(fraud, d);

        wireMock.verify(1, putRequestedFor(urlPathEqualTo(WS_PATH + "/jobs/" + d.id())).withRequestBody(equalToJson("""
                {
                  "properties": {
                    "jobType": "Pipeline",
                    "displayName": "fraud-data-arrival-7",
                    "description": "retrain-trigger decision %1$s (DATA_ARRIVAL, priority 3, training 7)",
                    "experimentName": "fraud",
                    "componentId": "%2$s",
                    "tags": {
                      "retrain-trigger.decision-id": "%1$s",
                      "retrain-trigger.pipeline": "fraud",
                      "retrain-trigger.trigger-type": "DATA_ARRIVAL",
                      "retrain-trigger.sequence": "7"
                    },
                    "inputs": {
                      "TriggerType": {"jobInputType": "literal", "value": "DATA_ARRIVAL"},
                      "TriggerReason": {"jobInputType": "literal", "value": "batch_size_reached"},
                      "Priority": {"jobInputType": "literal", "value": "3"},
                      "RequireApproval": {"jobInputType": "literal", "value": "false"},
                      "EventCount": {"jobInputType": "literal", "value": "3"},
                      "input_uris": {"jobInputType": "literal", "value": "%3$s"},
                      "DataManifest": {"jobInputType": "literal", "value": "false"}
                    }
                  }
                }""".formatted(d.id(), registryComponent, String.join(",", uris(3))))));
    }

    @Test
    void aResentLaunchPutsTheSameJobUnderTheSameNameAndCountsItLaunched() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        // Azure: 201 when the PUT creates the job, 200 when it exists (an update of the same definition).
        wireMock.stubFor(put(urlPathEqualTo(job)).inScenario("resend").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(created(d.id())).willSetStateTo("exists"));
        wireMock.stubFor(put(urlPathEqualTo(job)).inScenario("resend").whenScenarioStateIs("exists")
                .willReturn(jobResponse(200, d.id(), "Running")));
        AzureMlLauncher launcher = launcher(target());

        assertEquals(d.id(), launcher.launch(fraud, d).executionId());
        assertEquals(d.id(), launcher.launch(fraud, d).executionId());

        var sent = wireMock.findAll(putRequestedFor(urlPathEqualTo(job)));
        assertEquals(2, sent.size());
        assertEquals(sent.get(0).getBodyAsString(), sent.get(1).getBodyAsString(), "a resend is the same request");
        assertEquals(1, credential.scopes.size(), "the token is cached");
    }

    @Test
    void aResendThatAzureAnswersWithAConflictIsLaunchedWhenTheJobExists() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        wireMock.stubFor(put(urlPathEqualTo(job)).willReturn(armError(409, "Conflict", "Job " + d.id() + " already exists.")));
        wireMock.stubFor(get(urlPathEqualTo(job)).willReturn(jobResponse(200, d.id(), "Running")));

        assertEquals(d.id(), launcher(target()).launch(fraud, d).executionId());

        wireMock.verify(1, putRequestedFor(urlPathEqualTo(job)));
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(job)).withQueryParam("api-version", equalTo(API_VERSION))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN)));
    }

    @Test
    void aValidationErrorRejectsTheLaunchWithAzuresMessage() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        String message = "Input 'DriftedFeatures' is not defined in component 'fraud_training:3'.";
        wireMock.stubFor(put(urlPathEqualTo(job)).willReturn(armError(400, "UserError", message)));
        wireMock.stubFor(get(urlPathEqualTo(job)).willReturn(armError(404, "UserError", "Job " + d.id() + " not found.")));

        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher(target()).launch(fraud, d));

        assertEquals("Azure ML UserError: " + message, e.getMessage());
        wireMock.verify(1, putRequestedFor(urlPathEqualTo(job)));
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(job)));
    }

    @Test
    void a400ForAJobThatAlreadyRunsIsLaunchedNotFailed() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        wireMock.stubFor(put(urlPathEqualTo(job)).willReturn(armError(400, "UserError", "Only tags and description of a job can be updated.")));
        wireMock.stubFor(get(urlPathEqualTo(job)).willReturn(jobResponse(200, d.id(), "Running")));

        assertEquals(d.id(), launcher(target()).launch(fraud, d).executionId());
    }

    @Test
    void throttlingWithAShortRetryAfterIsWaitedOutAndSentAgain() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        wireMock.stubFor(put(urlPathEqualTo(job)).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(armError(429, "TooManyRequests", "The request is being throttled.").withHeader("Retry-After", "3"))
                .willSetStateTo("open"));
        wireMock.stubFor(put(urlPathEqualTo(job)).inScenario("throttled").whenScenarioStateIs("open").willReturn(created(d.id())));

        assertEquals(d.id(), launcher(target()).launch(fraud, d).executionId());

        var sent = wireMock.findAll(putRequestedFor(urlPathEqualTo(job)));
        assertEquals(2, sent.size());
        assertWaited(Duration.ofSeconds(3), sent);
        assertEquals(sent.get(0).getBodyAsString(), sent.get(1).getBodyAsString());
    }

    @Test
    void aRetryAfterGivenAsAnHttpDateIsHonoured() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        // An HTTP date has whole seconds, and azure-core's RetryPolicy waits whole seconds until it: the retry comes
        // less than a second before the date at the earliest (never a second or more before it).
        ZonedDateTime retryAt = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        wireMock.stubFor(put(urlPathEqualTo(job)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(armError(503, "ServiceUnavailable", "Service is busy.").withHeader("Retry-After",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(retryAt)))
                .willSetStateTo("open"));
        wireMock.stubFor(put(urlPathEqualTo(job)).inScenario("busy").whenScenarioStateIs("open").willReturn(created(d.id())));

        assertEquals(d.id(), launcher(target()).launch(fraud, d).executionId());

        List<LoggedRequest> sent = wireMock.findAll(putRequestedFor(urlPathEqualTo(job)));
        assertEquals(2, sent.size());
        long early = retryAt.toInstant().toEpochMilli() - sent.get(1).getLoggedDate().getTime();
        assertTrue(early < 1000, "the retry was sent " + early + " ms before the Retry-After date " + retryAt);
    }

    @Test
    void aLongRetryAfterIsLeftToTheLaunchRoute() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        wireMock.stubFor(put(urlPathEqualTo(job)).willReturn(
                armError(429, "TooManyRequests", "The request is being throttled.").withHeader("Retry-After", "120")));

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher(target()).launch(fraud, d));

        assertEquals("Azure ML TooManyRequests: The request is being throttled. (Retry-After 120s)", e.getMessage());
        wireMock.verify(1, putRequestedFor(urlPathEqualTo(job)));
    }

    @Test
    void aRevokedTokenIsFetchedAgainWhenAzureChallengesIt() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        wireMock.stubFor(put(urlPathEqualTo(job)).withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN)).willReturn(
                armError(401, "InvalidAuthenticationToken", "The access token is invalid.")
                        .withHeader("WWW-Authenticate", "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\"")));
        wireMock.stubFor(put(urlPathEqualTo(job)).withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN + "-2")).willReturn(created(d.id())));

        assertEquals(d.id(), launcher(target()).launch(fraud, d).executionId());

        assertEquals(List.of(AzureMlLauncher.ARM_SCOPE, AzureMlLauncher.ARM_SCOPE), credential.scopes);
        wireMock.verify(2, putRequestedFor(urlPathEqualTo(job)));
    }

    @Test
    void serverErrorsThatPersistBecomeRetryableAfterTheLastAttempt() {
        Decision d = drift("fraud");
        String job = WS_PATH + "/jobs/" + d.id();
        wireMock.stubFor(put(urlPathEqualTo(job)).willReturn(
                armError(503, "ServiceUnavailable", "Service is busy.").withHeader("Retry-After", "1")));

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher(target()).launch(fraud, d));

        assertTrue(e.getMessage().startsWith("Azure ML ServiceUnavailable: Service is busy."), e.getMessage());
        var sent = wireMock.findAll(putRequestedFor(urlPathEqualTo(job)));
        assertEquals(AzureMlLauncher.MAX_ATTEMPTS, sent.size());
        assertWaited(Duration.ofSeconds(1), sent);
    }

    @Test
    void aServerErrorWithoutRetryAfterIsRetryableAtOnce() {
        Decision d = drift("fraud");
        wireMock.stubFor(put(urlPathEqualTo(WS_PATH + "/jobs/" + d.id())).willReturn(armError(500, "InternalServerError", "Something failed.")));

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher(target()).launch(fraud, d));

        assertEquals("Azure ML InternalServerError: Something failed.", e.getMessage());
        wireMock.verify(1, putRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void dataPathsOverTheInlineLimitGoThroughAManifestBlob() throws Exception {
        List<String> uris = IntStream.range(0, 40)
                .mapToObj(i -> "https://mlopsdata.blob.core.windows.net/labels/2025/06/01/part-" + String.format("%05d", i) + ".parquet").toList();
        Decision d = batch("fraud", uris, 123_456_789L);
        assertTrue(String.join(",", uris).length() > AzureMlLauncher.MAX_INLINE_VALUE);
        String base = "https://127.0.0.1:" + wireMock.httpsPort() + "/retrain-manifests/fraud/";
        String blobPath = "/retrain-manifests/fraud/manifests/" + d.id() + ".json";
        String blobUrl = "https://127.0.0.1:" + wireMock.httpsPort() + blobPath;
        wireMock.stubFor(put(urlPathEqualTo(blobPath)).willReturn(aResponse().withStatus(201)));
        wireMock.stubFor(put(urlPathEqualTo(WS_PATH + "/jobs/" + d.id())).willReturn(created(d.id())));
        AzureMlLauncher launcher = launcher(new AzureMlLauncher.Target(SUB, "rg-ml", "ws-prod", "azureml:fraud_training:3",
                Optional.empty(), Optional.empty(), Map.of(), Optional.of(base)));

        launcher.launch(fraud, d);

        wireMock.verify(1, putRequestedFor(urlPathEqualTo(blobPath))
                .withHeader("Authorization", equalTo("Bearer " + STORAGE_TOKEN))
                .withHeader("x-ms-blob-type", equalTo("BlockBlob"))
                .withHeader("x-ms-version", equalTo(AzureMlLauncher.BLOB_SERVICE_VERSION))
                .withHeader("Content-Type", equalTo("application/json")));
        JsonNode manifest = json.readTree(wireMock.findAll(putRequestedFor(urlPathEqualTo(blobPath))).get(0).getBodyAsString());
        assertEquals(d.id(), manifest.get("decisionId").asText());
        assertEquals("fraud", manifest.get("pipeline").asText());
        List<String> stored = new ArrayList<>();
        manifest.get("uris").forEach(n -> stored.add(n.asText()));
        assertEquals(uris, stored);
        assertEquals(40, manifest.get("count").asInt());
        assertEquals(123_456_789L, manifest.get("totalBytes").asLong());
        assertEquals(5, manifest.size(), manifest.toString());

        wireMock.verify(1, putRequestedFor(urlPathEqualTo(WS_PATH + "/jobs/" + d.id()))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN))
                .withRequestBody(matchingJsonPath("$.properties.inputs.DataPaths.value", equalTo(blobUrl)))
                .withRequestBody(matchingJsonPath("$.properties.inputs.DataManifest.value", equalTo("true"))));
        assertEquals(List.of(AzureMlLauncher.STORAGE_SCOPE, AzureMlLauncher.ARM_SCOPE), credential.scopes);
    }

    @Test
    void aManifestUploadThatStorageRefusesRejectsTheLaunchBeforeTheJob() {
        Decision d = batch("fraud", uris(60), 1);
        String blobPath = "/retrain-manifests/manifests/" + d.id() + ".json";
        wireMock.stubFor(put(urlPathEqualTo(blobPath)).willReturn(aResponse().withStatus(403)
                .withHeader("x-ms-error-code", "AuthorizationPermissionMismatch")
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code>"
                        + "<Message>This request is not authorized to perform this operation using this permission.\nRequestId:1\nTime:2025-06-01T02:00:00Z</Message></Error>")));
        AzureMlLauncher launcher = launcher(new AzureMlLauncher.Target(SUB, "rg-ml", "ws-prod", "azureml:fraud_training:3",
                Optional.empty(), Optional.empty(), Map.of(), Optional.of("https://127.0.0.1:" + wireMock.httpsPort() + "/retrain-manifests")));

        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher.launch(fraud, d));

        assertTrue(e.getMessage().endsWith("AuthorizationPermissionMismatch: This request is not authorized to perform this operation using this permission."),
                e.getMessage());
        wireMock.verify(0, putRequestedFor(urlPathMatching(".*/jobs/.*")));
    }

    @Test
    void longDataPathsWithoutAManifestLocationAreRejectedBeforeAnythingIsSent() {
        LaunchRejectedException e = assertThrows(LaunchRejectedException.class,
                () -> launcher(target()).launch(fraud, batch("fraud", uris(60), 1)));
        assertTrue(e.getMessage().contains("retrain.pipelines.fraud.azureml.manifest-blob-uri"), e.getMessage());
        wireMock.verify(0, putRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void aPipelineWithoutItsAzureMlSettingsIsRejected() {
        AzureMlLauncher launcher = new AzureMlLauncher(credential, AzureMlLauncher.defaultHttpClient(), armEndpoint(), API_VERSION,
                name -> Optional.empty());
        LaunchRejectedException e = assertThrows(LaunchRejectedException.class, () -> launcher.launch(fraud, drift("fraud")));
        assertTrue(e.getMessage().contains("retrain.pipelines.fraud.azureml.subscription-id"), e.getMessage());
    }

    @Test
    void aCredentialWithoutATokenIsRetryableAndSendsNothing() {
        TokenCredential broken = ctx -> Mono.error(new IllegalStateException("ManagedIdentityCredential authentication unavailable"));
        AzureMlLauncher launcher = new AzureMlLauncher(broken, AzureMlLauncher.defaultHttpClient(), armEndpoint(), API_VERSION,
                name -> Optional.of(target()));

        RetryableLaunchException e = assertThrows(RetryableLaunchException.class, () -> launcher.launch(fraud, drift("fraud")));

        assertTrue(e.getMessage().contains(AzureMlLauncher.ARM_SCOPE) && e.getMessage().contains("unavailable"), e.getMessage());
        wireMock.verify(0, putRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void namesAndIdsKeepToAzureMlsRules() {
        String id = "dec-" + UUID.randomUUID();
        assertEquals(id, AzureMlLauncher.jobName(id));
        String odd = AzureMlLauncher.jobName("dec:1/2");
        assertTrue(odd.matches("retrain-[0-9a-f]{64}"), odd);
        assertEquals(odd, AzureMlLauncher.jobName("dec:1/2"), "stable, so a resend uses the same name");
        assertTrue(AzureMlLauncher.JOB_NAME.matcher(AzureMlLauncher.jobName("x".repeat(300))).matches());

        AzureMlLauncher.Target t = target();
        assertEquals(WS_PATH + "/components/fraud_training/versions/3", AzureMlLauncher.componentId(t));
        String armId = WS_PATH + "/components/other/versions/1";
        assertEquals(armId, AzureMlLauncher.componentId(withComponent(armId)));
        assertEquals(WS_PATH + "/components/c/versions/0.1.0", AzureMlLauncher.componentId(withComponent("c:0.1.0")));
        assertThrows(LaunchRejectedException.class, () -> AzureMlLauncher.componentId(withComponent("azureml:c@latest")));

        assertEquals(WS_PATH + "/computes/gpu-1", AzureMlLauncher.computeId(withCompute("gpu-1")));
        assertEquals(WS_PATH + "/computes/gpu-1", AzureMlLauncher.computeId(withCompute("azureml:gpu-1")));
        assertEquals(WS_PATH + "/computes/x", AzureMlLauncher.computeId(withCompute(WS_PATH + "/computes/x")));

        Decision d = drift("p");
        String longName = "a".repeat(300);
        assertEquals(AzureMlLauncher.MAX_DISPLAY_NAME, AzureMlLauncher.displayName(longName, d).length());
        assertTrue(AzureMlLauncher.displayName(longName, d).endsWith("-drift-7"));
    }

    @Test
    void startupValidationNamesTheMissingOrBadKey() {
        String key = "retrain.pipelines.fraud";
        Az ok = new Az(Optional.of(SUB), Optional.of("rg-ml"), Optional.of("ws-prod"), Optional.of("azureml:fraud_training:3"),
                Optional.empty(), Optional.of("azureml:cpu-cluster"), Map.of("DriftScore", "drift_score", "EventCount", "-"),
                Optional.of("https://mlops.blob.core.windows.net/retrain/manifests"));
        AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok);
        assertEquals(Optional.of(new AzureMlLauncher.Target(SUB, "rg-ml", "ws-prod", "azureml:fraud_training:3", Optional.empty(),
                Optional.of("azureml:cpu-cluster"), ok.parameterNames(), ok.manifestBlobUri())), AzureMlLauncher.targetOf(ok));

        Az none = new Az(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
        AzureMlLauncher.check(key, "dry-run", none);
        assertEquals(Optional.empty(), AzureMlLauncher.targetOf(none));

        assertKey("subscription-id", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(0, Optional.empty())));
        assertKey("resource-group", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(1, Optional.of(" "))));
        assertKey("workspace", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(2, Optional.empty())));
        assertKey("component-id", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(3, Optional.empty())));

        assertKey("subscription-id", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(0, Optional.of("my-subscription"))));
        assertKey("resource-group", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(1, Optional.of("rg."))));
        assertKey("workspace", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(2, Optional.of("ws"))));
        assertKey("component-id", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(3, Optional.of("azureml:fraud_training@latest"))));
        assertKey("compute", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(5, Optional.of("azureml:cpu cluster"))));
        assertKey("manifest-blob-uri", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET, ok.with(7, Optional.of("wasbs://retrain@mlops/manifests"))));
        assertKey("parameter-names.DriftScore", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET,
                new Az(ok.subscriptionId(), ok.resourceGroup(), ok.workspace(), ok.componentId(), ok.experimentName(), ok.compute(),
                        Map.of("DriftScore", "drift-score"), ok.manifestBlobUri())));
        assertKey("parameter-names.TriggerTimestamp", () -> AzureMlLauncher.check(key, AzureMlLauncher.TARGET,
                new Az(ok.subscriptionId(), ok.resourceGroup(), ok.workspace(), ok.componentId(), ok.experimentName(), ok.compute(),
                        Map.of("TriggerTimestamp", "ts"), ok.manifestBlobUri())));
    }

    private static void assertKey(String key, org.junit.jupiter.api.function.Executable check) {
        ConfigurationError e = assertThrows(ConfigurationError.class, check);
        assertTrue(e.getMessage().startsWith("invalid configuration retrain.pipelines.fraud.azureml." + key + ":"), e.getMessage());
    }

    /** Promotion in the workspace's model registry: the promotion tag moved between model versions, and reports read from Blob Storage. */
    @Nested
    class Promoting {
        static final String VERSIONS = WS_PATH + "/models/fraud-model/versions";
        final PipelineSettings inWorkspace = PipelineRegistry.build(TestConfig.retrainConfig(Map.of(
                "retrain.pipelines.fraud.target", "azureml", "retrain.pipelines.fraud.azureml.subscription-id", SUB,
                "retrain.pipelines.fraud.azureml.resource-group", "rg-ml", "retrain.pipelines.fraud.azureml.workspace", "ws-prod",
                "retrain.pipelines.fraud.azureml.component-id", "azureml:train:1"))).get("fraud");
        final AzureMlPromoter promoter = new AzureMlPromoter(credential, AzureMlLauncher.defaultHttpClient(), armEndpoint(), API_VERSION);

        static String version(String v, String tags) {
            return "{\"id\":\"" + VERSIONS + "/" + v + "\",\"name\":\"" + v + "\",\"type\":\"Microsoft.MachineLearningServices/workspaces/models/versions\","
                    + "\"properties\":{\"modelUri\":\"azureml://jobs/j" + v + "/outputs/model\",\"modelType\":\"mlflow_model\",\"tags\":" + tags + "}}";
        }

        void answer(com.github.tomakehurst.wiremock.client.MappingBuilder request, int status, String body) {
            wireMock.stubFor(request.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
        }

        @Test
        void theTagMovesFromTheVersionThatHadItToTheNewOne() {
            answer(get(urlPathEqualTo(VERSIONS)).withQueryParam("tags", equalTo("stage=champion")), 200, "{\"value\":[" + version("3", "{\"stage\":\"champion\",\"team\":\"risk\"}") + "]}");
            answer(get(urlPathEqualTo(VERSIONS + "/3")), 200, version("3", "{\"stage\":\"champion\",\"team\":\"risk\"}"));
            answer(get(urlPathEqualTo(VERSIONS + "/4")), 200, version("4", "{\"team\":\"risk\"}"));
            answer(put(urlPathEqualTo(VERSIONS + "/3")), 200, version("3", "{\"team\":\"risk\"}"));
            answer(put(urlPathEqualTo(VERSIONS + "/4")), 200, version("4", "{\"team\":\"risk\",\"stage\":\"champion\"}"));

            Map<String, String> sent = promoter.promote(inWorkspace, drift("fraud"), new EvaluationReport("azureml:fraud-model:4", Map.of(), null, null, null, null, false));

            wireMock.verify(1, putRequestedFor(urlPathEqualTo(VERSIONS + "/3")).withQueryParam("api-version", equalTo(API_VERSION))
                    .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN))
                    .withRequestBody(equalToJson("{\"properties\":{\"modelUri\":\"azureml://jobs/j3/outputs/model\",\"modelType\":\"mlflow_model\",\"tags\":{\"team\":\"risk\"}}}")));
            wireMock.verify(1, putRequestedFor(urlPathEqualTo(VERSIONS + "/4")).withQueryParam("api-version", equalTo(API_VERSION))
                    .withRequestBody(equalToJson("{\"properties\":{\"modelUri\":\"azureml://jobs/j4/outputs/model\",\"modelType\":\"mlflow_model\",\"tags\":{\"team\":\"risk\",\"stage\":\"champion\"}}}")));
            assertEquals(Map.of("version 3", "-stage", "version 4", "stage=champion"), sent);
        }

        @Test
        void aVersionThatHasTheTagAlreadyIsNotWritten() {
            answer(get(urlPathEqualTo(VERSIONS)).withQueryParam("tags", equalTo("stage=champion")), 200, "{\"value\":[" + version("4", "{\"stage\":\"champion\"}") + "]}");
            answer(get(urlPathEqualTo(VERSIONS + "/4")), 200, version("4", "{\"stage\":\"champion\"}"));
            promoter.promote(inWorkspace, drift("fraud"), new EvaluationReport("fraud-model:4", Map.of(), null, null, null, null, false));
            wireMock.verify(0, putRequestedFor(urlPathMatching(VERSIONS + "/.*")));
        }

        @Test
        void anUnknownVersionIsRefusedForGood() {
            answer(get(urlPathEqualTo(VERSIONS)).withQueryParam("tags", equalTo("stage=champion")), 200, "{\"value\":[]}");
            answer(get(urlPathEqualTo(VERSIONS + "/9")), 404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"Model version not found\"}}");
            LaunchRejectedException e = assertThrows(LaunchRejectedException.class,
                    () -> promoter.promote(inWorkspace, drift("fraud"), new EvaluationReport("azureml:fraud-model:9", Map.of(), null, null, null, null, false)));
            assertTrue(e.getMessage().contains("ResourceNotFound"), e.getMessage());
        }
    }

    // ---- fixtures ----

    private AzureMlLauncher launcher(AzureMlLauncher.Target target) {
        return new AzureMlLauncher(credential, AzureMlLauncher.defaultHttpClient(), armEndpoint(), API_VERSION,
                name -> Optional.of(target));
    }

    /** Each request after the first was sent at least {@code wait} after the one before. */
    private static void assertWaited(Duration wait, List<LoggedRequest> sent) {
        for (int i = 1; i < sent.size(); i++) {
            long gap = sent.get(i).getLoggedDate().getTime() - sent.get(i - 1).getLoggedDate().getTime();
            assertTrue(gap >= wait.toMillis() - 50, "attempt " + (i + 1) + " was sent " + gap + " ms after the one before; Retry-After said " + wait);
        }
    }

    private static String armEndpoint() {
        return "https://127.0.0.1:" + wireMock.httpsPort() + "/";
    }

    static AzureMlLauncher.Target target() {
        return new AzureMlLauncher.Target(SUB, "rg-ml", "ws-prod", "azureml:fraud_training:3", Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
    }

    static AzureMlLauncher.Target withComponent(String componentId) {
        return new AzureMlLauncher.Target(SUB, "rg-ml", "ws-prod", componentId, Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
    }

    static AzureMlLauncher.Target withCompute(String compute) {
        return new AzureMlLauncher.Target(SUB, "rg-ml", "ws-prod", "c:1", Optional.empty(), Optional.of(compute), Map.of(), Optional.empty());
    }

    private static ResponseDefinitionBuilder created(String name) {
        return jobResponse(201, name, "NotStarted");
    }

    private static ResponseDefinitionBuilder jobResponse(int status, String name, String jobStatus) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("""
                {"id": "%s/jobs/%s", "name": "%s", "type": "Microsoft.MachineLearningServices/workspaces/jobs",
                 "properties": {"jobType": "Pipeline", "status": "%s"}}""".formatted(WS_PATH, name, name, jobStatus));
    }

    private static ResponseDefinitionBuilder armError(int status, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"code\": \"" + code + "\", \"message\": \"" + message + "\", \"details\": []}}");
    }

    static List<String> uris(int n) {
        return LaunchFixtures.uris("https://mlopsdata.blob.core.windows.net/labels/part-", n);
    }

    static Decision drift(String pipeline) {
        return LaunchFixtures.drift(AzureMlLauncher.TARGET, pipeline);
    }

    static Decision batch(String pipeline, List<String> uris, long bytes) {
        return LaunchFixtures.batch(AzureMlLauncher.TARGET, pipeline, uris, bytes);
    }

    static PipelineSettings pipeline(String name) {
        return LaunchFixtures.pipeline(AzureMlLauncher.TARGET, name);
    }

    /** Tokens per scope, recording every request for one. */
    static final class FakeCredential implements TokenCredential {
        final List<String> scopes = new CopyOnWriteArrayList<>();

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            String scope = String.join(" ", request.getScopes());
            scopes.add(scope);
            long nth = scopes.stream().filter(scope::equals).count();
            // the first token of a scope, then <token>-2, -3 ... (a token fetched again differs)
            String token = (AzureMlLauncher.STORAGE_SCOPE.equals(scope) ? STORAGE_TOKEN : ARM_TOKEN) + (nth > 1 ? "-" + nth : "");
            return Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
        }
    }

    /** retrain.pipelines.NAME.azureml.* as configured. */
    record Az(Optional<String> subscriptionId, Optional<String> resourceGroup, Optional<String> workspace, Optional<String> componentId,
              Optional<String> experimentName, Optional<String> compute, Map<String, String> parameterNames,
              Optional<String> manifestBlobUri) implements RetrainConfig.Pipeline.AzureMl {

        @Override
        public String promotionTag() {
            return "stage=champion";
        }

        /** A copy with one of the optional string settings (by position) replaced. */
        Az with(int field, Optional<String> v) {
            return new Az(field == 0 ? v : subscriptionId, field == 1 ? v : resourceGroup, field == 2 ? v : workspace,
                    field == 3 ? v : componentId, field == 4 ? v : experimentName, field == 5 ? v : compute, parameterNames,
                    field == 7 ? v : manifestBlobUri);
        }
    }
}
