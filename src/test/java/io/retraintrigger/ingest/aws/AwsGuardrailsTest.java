package io.retraintrigger.ingest.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.testing.ElasticMqResource;
import io.retraintrigger.testing.WireMockResource.InjectWireMock;
import io.retraintrigger.testing.WireMockResource;
import io.retraintrigger.testing.S3rverResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.retraintrigger.api.TestApi.admin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Guardrails end to end on AWS: a SageMaker execution's Succeeded status on SQS (ElasticMQ) → the evaluation
 * report read from S3 (s3rver) → the checks → UpdateModelPackage in SageMaker's Model Registry (WireMock),
 * asserted exactly; a failing check → no promotion request, an SNS notification, REJECT in the decision.
 */
@QuarkusTest
@TestProfile(AwsProfile.class)
class AwsGuardrailsTest {
    static final String BUCKET = "aws-guardrail-reports";
    static final String PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/guarded-models/";

    @InjectWireMock
    WireMockServer aws;

    @ConfigProperty(name = "retrain.aws.endpoints.s3")
    String s3rver;

    S3Client s3;

    @BeforeEach
    void stubs() {
        // s3rver keeps an aws-chunked (signed streaming) body as it came, chunk signatures included: the test writes
        // plain bodies, as a training pipeline's SDK would for real S3 (which decodes either)
        s3 = S3Client.builder().endpointOverride(URI.create(s3rver)).forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3rverResource.ACCESS_KEY, S3rverResource.ACCESS_KEY)))
                .build();
        if (!s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(BUCKET))) s3.createBucket(b -> b.bucket(BUCKET));
        // the execution ARN ends in the ClientRequestToken (the decision id): one execution per training
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .withRequestBody(matchingJsonPath("$.PipelineName", equalTo("guarded-training")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", WireMockResource.JSON_11).withTransformers("response-template")
                        .withBody("{\"PipelineExecutionArn\":\"arn:aws:sagemaker:us-east-1:123456789012:pipeline/guarded-training/execution/"
                                + "{{jsonPath request.body '$.ClientRequestToken'}}\"}")));
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.UpdateModelPackage"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", WireMockResource.JSON_11)
                        .withBody("{\"ModelPackageArn\":\"" + PACKAGE + "1\"}")));
    }

    @AfterEach
    void close() {
        if (s3 != null) s3.close();
    }

    /** A manual training of aws-guarded, submitted to SageMaker; its report written to S3; its Succeeded status on SQS. */
    private String trainedAndSucceeded(String report) {
        String id = TestApi.trigger("aws-guarded", 3).then().statusCode(200).extract().path("id");
        String arn = await().atMost(Duration.ofSeconds(15)).until(() -> admin().get("/api/decisions/" + id).jsonPath().getString("launch.executionId"),
                a -> a != null);
        assertEquals("arn:aws:sagemaker:us-east-1:123456789012:pipeline/guarded-training/execution/" + id, arn);
        s3.putObject(b -> b.bucket(BUCKET).key("aws-guarded/" + id + "/evaluation.json").contentType("application/json"), RequestBody.fromString(report));
        try (SqsClient sqs = ElasticMqResource.client()) {
            sqs.sendMessage(b -> b.queueUrl(ElasticMqResource.queueUrl()).messageBody(AwsSqsIngestionTest.pipelineStatus(arn, "Succeeded")));
        }
        return id;
    }

    private static String report(String modelPackage, double golden) {
        return "{\"model\":\"" + modelPackage + "\",\"goldenSet\":{\"accuracy\":" + golden + "},\"candidate\":{\"accuracy\":0.9},"
                + "\"baseline\":{\"accuracy\":0.87},\"predictions\":{\"candidate\":{\"fraud\":0.05,\"legit\":0.95},"
                + "\"baseline\":{\"fraud\":0.06,\"legit\":0.94}},\"errors\":{\"false_positive\":40,\"false_negative\":25}}";
    }

    @Test
    void aSucceededTrainingWhoseReportPassesIsApprovedInTheModelRegistry() {
        String id = trainedAndSucceeded(report(PACKAGE + "7", 0.92));
        JsonPath d = await().atMost(Duration.ofSeconds(20)).until(() -> admin().get("/api/decisions/" + id).jsonPath(),
                j -> "PROMOTED".equals(j.getString("evaluation.promotion.status")));
        assertEquals("Succeeded", d.getString("launch.executionStatus"));
        assertEquals("PROMOTE", d.getString("evaluation.outcome"));
        assertEquals("s3://" + BUCKET + "/aws-guarded/" + id + "/evaluation.json", d.getString("evaluation.source"));
        assertEquals(4, d.getList("evaluation.checks").size());
        aws.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.UpdateModelPackage"))
                .withRequestBody(equalToJson("{\"ModelPackageArn\":\"" + PACKAGE + "7\",\"ModelApprovalStatus\":\"Approved\","
                        + "\"ApprovalDescription\":\"promoted by retrain-trigger: decision " + id + " of pipeline aws-guarded passed its guardrail checks\"}")));
        Map<String, Object> sent = d.getMap("evaluation.promotion.request");
        assertEquals(PACKAGE + "7", sent.get("ModelPackageArn"));
    }

    @Test
    void aFailingCheckPromotesNothingAndIsPublishedToSns() {
        String id = trainedAndSucceeded(report(PACKAGE + "8", 0.70));
        JsonPath d = await().atMost(Duration.ofSeconds(20)).until(() -> admin().get("/api/decisions/" + id).jsonPath(),
                j -> "REJECT".equals(j.getString("evaluation.outcome")));
        assertEquals("reject: 1 of 4 checks failed (golden_set: accuracy 0.7 < 0.85); the model is not promoted", d.getString("evaluation.reasons[0]"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> aws.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=Publish")).withRequestBody(containing("guardrails.reject")).withRequestBody(containing(id))));
        aws.verify(0, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.UpdateModelPackage"))
                .withRequestBody(containing(PACKAGE + "8")));
    }
}
