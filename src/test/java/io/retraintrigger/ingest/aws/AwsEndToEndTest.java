package io.retraintrigger.ingest.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.testing.ElasticMqResource;
import io.retraintrigger.testing.WireMockResource.InjectWireMock;
import io.retraintrigger.testing.WireMockResource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on AWS: S3 Object Created events on SQS (ElasticMQ) → batch → coordinator → the
 * StartPipelineExecution request SageMaker (WireMock) receives. In the boot of {@link AwsProfile}: the
 * requests of pipeline e2e-training only are this test's.
 */
@QuarkusTest
@TestProfile(AwsProfile.class)
class AwsEndToEndTest {
    static final String EXECUTION_ARN = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/e2e-training/execution/e2e0000000001";

    @InjectWireMock
    WireMockServer sageMaker;

    @Test
    void objectCreatedEventsOnSqsLaunchOneSageMakerExecution() {
        // only this test's SageMaker pipeline: EventBridgeAuditTest, in the same boot, starts others on this server
        sageMaker.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.PipelineName", equalTo("e2e-training")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", WireMockResource.JSON_11)
                        .withBody("{\"PipelineExecutionArn\":\"" + EXECUTION_ARN + "\"}")));
        try (SqsClient sqs = ElasticMqResource.client()) {
            for (String key : List.of("e2e/2026/11/27/a.parquet", "e2e/2026/11/27/b.parquet")) {
                sqs.sendMessage(b -> b.queueUrl(ElasticMqResource.queueUrl()).messageBody(AwsSqsIngestionTest.s3ObjectCreated(key, 4096)));
            }
        }

        var start = postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.PipelineName", equalTo("e2e-training")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> sageMaker.verify(1, start));
        List<LoggedRequest> requests = sageMaker.findAll(start);
        JsonPath request = JsonPath.from(requests.get(0).getBodyAsString());

        List<Map<String, Object>> decisions = TestApi.decisions("aws-e2e");
        assertEquals(1, decisions.size());
        Map<String, Object> decision = decisions.get(0);
        assertEquals("LAUNCHED", decision.get("outcome"));
        assertEquals("e2e-training", request.getString("PipelineName"));
        assertEquals(decision.get("id"), request.getString("ClientRequestToken"), "the decision id is the idempotency key");
        Map<String, String> parameters = new java.util.HashMap<>();
        request.getList("PipelineParameters", Map.class).forEach(p -> parameters.put((String) p.get("Name"), (String) p.get("Value")));
        assertEquals("DATA_ARRIVAL", parameters.get("TriggerType"));
        assertEquals("2", parameters.get("EventCount"));
        assertEquals("3", parameters.get("Priority"));
        assertTrue(parameters.get("DataPaths").contains("s3://aws-it-bucket/e2e/2026/11/27/a.parquet"), parameters.toString());
        assertTrue(parameters.get("DataPaths").contains("s3://aws-it-bucket/e2e/2026/11/27/b.parquet"), parameters.toString());
        assertEquals("false", parameters.get("DataManifest"));

        await().atMost(Duration.ofSeconds(10)).until(() -> "SUBMITTED".equals(
                ((Map<?, ?>) TestApi.decisions("aws-e2e").get(0).get("launch")).get("status")));
        assertEquals(EXECUTION_ARN, ((Map<?, ?>) TestApi.decisions("aws-e2e").get(0).get("launch")).get("executionId"));
    }
}
