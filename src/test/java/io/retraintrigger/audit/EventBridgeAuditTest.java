package io.retraintrigger.audit;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.retraintrigger.ingest.aws.AwsProfile;
import io.retraintrigger.testing.WireMockResource.InjectWireMock;
import io.retraintrigger.testing.WireMockResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.retraintrigger.api.TestApi.trigger;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every decision is put on an EventBridge bus when retrain.audit.uri is an aws2-eventbridge endpoint:
 * WireMock stands in for EventBridge (and SageMaker, for the launches whose execution ARN becomes the
 * event's resource). The profile is {@link AwsProfile} (retrain.audit.uri, retrain.notify.uri, the short send
 * lease), shared with the AWS source's tests: their decisions are audited on the same WireMock, so this test
 * looks only at the requests of its own decisions and pipelines.
 */
@QuarkusTest
@TestProfile(AwsProfile.class)
class EventBridgeAuditTest {
    static final String BUS = AwsProfile.BUS;
    static final String EXECUTION_ARN = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/training-pipeline/execution/k3x9q2w7m1ab";
    static final String TOPIC_ARN = AwsProfile.TOPIC_ARN;
    static final String REFUSAL = "Parameter Reason is not defined in pipeline rejecting-pipeline";

    @InjectWireMock
    WireMockServer wireMock;

    @BeforeEach
    void sageMakerStubs() {
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.PipelineName", equalTo("training-pipeline")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", WireMockResource.JSON_11)
                        .withBody("{\"PipelineExecutionArn\":\"" + EXECUTION_ARN + "\"}")));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.PipelineName", equalTo("rejecting-pipeline")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", WireMockResource.JSON_11)
                        .withBody("{\"__type\":\"ValidationException\",\"message\":\"" + REFUSAL + "\"}")));
    }

    /**
     * A target slower than the send lease: the sender's heartbeat keeps the lease, so the resend sweep
     * (every second, lease 3 s) does not send it again; one StartPipelineExecution, one audit event.
     */
    @Test
    void aSlowLaunchIsSentOnceAndAuditedOnce() {
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.PipelineName", equalTo("slow-pipeline")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", WireMockResource.JSON_11).withFixedDelay(8_000)
                        .withBody("{\"PipelineExecutionArn\":\"" + EXECUTION_ARN + "-slow\"}")));
        var response = trigger("eb-slow", 3).then().statusCode(200).extract().jsonPath();
        assertEquals("SUBMITTED", response.getString("launch.status"));
        String id = response.getString("id");
        var starts = postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.ClientRequestToken", equalTo(id)));
        var audits = postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .withRequestBody(matchingJsonPath("$.Entries[0].Detail", containing("\"id\":\"" + id + "\"")));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> wireMock.verify(1, audits));
        // and for a few more sweeps
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            wireMock.verify(1, starts);
            wireMock.verify(1, audits);
        });
    }

    @Test
    void everyDecisionIsPutOnTheBus() {
        String id = trigger("cooldown", 3).then().statusCode(200).extract().path("id");

        JsonPath entry = awaitEvent(id);
        assertEquals("retrain-trigger", entry.getString("Source"));
        assertEquals("Training Decision", entry.getString("DetailType"));
        assertEquals(BUS, entry.getString("EventBusName"));
        assertEquals(List.of("retrain-trigger"), entry.getList("Resources"), "no execution ARN: retrain.audit.resources");
        JsonPath detail = JsonPath.from(entry.getString("Detail"));
        assertEquals(id, detail.getString("id"));
        assertEquals("cooldown", detail.getString("pipeline"));
    }

    @Test
    void aSageMakerLaunchIsAuditedWithItsExecutionArn() {
        var response = trigger("eb-sagemaker", 3).then().statusCode(200).extract().jsonPath();
        assertEquals("LAUNCHED", response.getString("outcome"));
        assertEquals("SUBMITTED", response.getString("launch.status"));
        assertEquals(EXECUTION_ARN, response.getString("launch.executionId"));
        String id = response.getString("id");
        var start = postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.ClientRequestToken", equalTo(id)));
        wireMock.verify(1, start);
        // launch.parameters: exactly what SageMaker was sent, under the names it was sent with
        Map<String, String> sent = new java.util.LinkedHashMap<>();
        JsonPath.from(wireMock.findAll(start).get(0).getBodyAsString()).<Map<String, String>>getList("PipelineParameters")
                .forEach(p -> sent.put(p.get("Name"), p.get("Value")));
        assertTrue(sent.containsKey("Reason") && !sent.containsKey("EventCount"), sent.toString());
        assertEquals(sent, response.getMap("launch.parameters"));
        assertEquals(sent, io.retraintrigger.api.TestApi.admin().get("/api/decisions/" + id).then().statusCode(200).extract()
                .jsonPath().getMap("launch.parameters"));

        JsonPath entry = awaitEvent(id);
        assertEquals(List.of(EXECUTION_ARN), entry.getList("Resources"));
        assertEquals("SUBMITTED", JsonPath.from(entry.getString("Detail")).getString("launch.status"));
    }

    @Test
    void aRefusedLaunchFailsWithSageMakersMessageAndIsAudited() {
        var response = trigger("eb-rejected", 3).then().statusCode(200).extract().jsonPath();
        assertEquals("FAILED", response.getString("outcome"));
        List<String> reasons = response.getList("reasons");
        assertTrue(reasons.contains("launch_failed: SageMaker ValidationException: " + REFUSAL), reasons.toString());
        // nothing was trained: the training and its cost no longer count, no cooldown runs
        var state = io.retraintrigger.api.TestApi.admin().get("/api/pipelines/eb-rejected").then().statusCode(200).extract().jsonPath();
        assertEquals(0, state.getInt("state.trainingsToday"));
        assertEquals(0.0, state.getDouble("state.spendToday"), 1e-9);
        org.junit.jupiter.api.Assertions.assertNull(state.get("state.lastTrainingAt"));
        String id = response.getString("id");
        wireMock.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.ClientRequestToken", equalTo(id)))
                .withRequestBody(matchingJsonPath("$.PipelineParameters[?(@.Name == 'Reason')].Value", containing("test"))));

        JsonPath detail = JsonPath.from(awaitEvent(id).getString("Detail"));
        assertEquals("FAILED", detail.getString("outcome"));
        assertTrue(detail.getList("reasons").toString().contains(REFUSAL));
    }

    @Test
    void reviewNotificationsArePublishedToTheSnsTopic() {
        io.retraintrigger.api.TestApi.drift("eb-drift", "amount", 0.75).then().statusCode(202);
        // the notifications of eb-drift (the AWS source's tests publish theirs to the same topic)
        var publish = postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .withRequestBody(containing("TopicArn=" + java.net.URLEncoder.encode(TOPIC_ARN, java.nio.charset.StandardCharsets.UTF_8)))
                .withRequestBody(containing("drift.review_required"))
                .withRequestBody(containing(java.net.URLEncoder.encode("\"pipeline\":\"eb-drift\"", java.nio.charset.StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> wireMock.verify(1, publish));
        String form = java.net.URLDecoder.decode(wireMock.findAll(publish).get(0).getBodyAsString(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(form.contains("\"pipeline\":\"eb-drift\""), form);
        assertTrue(form.contains("\"severity\":\"CRITICAL\""), form);

        // the decision itself (no launch: a review was opened) is audited too
        String id = io.retraintrigger.api.TestApi.decisions("eb-drift").get(0).get("id").toString();
        JsonPath entry = awaitEvent(id);
        assertEquals(List.of("retrain-trigger"), entry.getList("Resources"));
        assertEquals("AWAITING_APPROVAL", JsonPath.from(entry.getString("Detail")).getString("outcome"));
    }

    /** The PutEvents entry whose detail is the decision, once it has arrived. */
    private JsonPath awaitEvent(String decisionId) {
        var request = postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .withRequestBody(matchingJsonPath("$.Entries[0].Detail", containing("\"id\":\"" + decisionId + "\"")));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> wireMock.verify(1, request));
        String body = wireMock.findAll(request).get(0).getBodyAsString();
        JsonPath events = JsonPath.from(body);
        assertEquals(1, events.getList("Entries").size(), body);
        return JsonPath.from(body).setRootPath("Entries[0]");
    }
}
