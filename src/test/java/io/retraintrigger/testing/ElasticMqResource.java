package io.retraintrigger.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

/**
 * SQS emulator (ElasticMQ, in-process) with a randomly named queue; switches the AWS source on.
 * The queue's visibility timeout is short so that redelivery can be seen in a test.
 */
public class ElasticMqResource implements QuarkusTestResourceLifecycleManager {
    public static final int VISIBILITY_TIMEOUT_SECONDS = 2;
    private static volatile String queueUrl;
    private static volatile URI endpoint;
    private SQSRestServer server;

    @Override
    public Map<String, String> start() {
        int port = NodeEmulator.freePort();
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        server.waitUntilStarted();
        endpoint = URI.create("http://127.0.0.1:" + port);
        String queue = "retrain-test-" + UUID.randomUUID().toString().substring(0, 8);
        try (SqsClient sqs = client()) {
            queueUrl = sqs.createQueue(b -> b.queueName(queue)
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT_SECONDS)))).queueUrl();
        }
        return Map.of(
                "retrain.sources.aws.enabled", "true",
                "retrain.sources.aws.queue", queue,
                "retrain.sources.aws.visibility-timeout", Integer.toString(VISIBILITY_TIMEOUT_SECONDS),
                "retrain.sources.aws.wait-time-seconds", "1",
                "retrain.aws.endpoints.sqs", endpoint.toString(),
                "retrain.aws.region", "us-east-1",
                // the same as S3rverResource's, which s3rver checks, so that the three can share a profile
                "retrain.aws.access-key-id", S3rverResource.ACCESS_KEY,
                "retrain.aws.secret-access-key", S3rverResource.ACCESS_KEY);
    }

    /** A client of the emulator, for tests to send and inspect messages. */
    public static SqsClient client() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    public static String queueUrl() {
        return queueUrl;
    }

    @Override
    public void stop() {
        if (server != null) server.stopAndWait();
    }
}
