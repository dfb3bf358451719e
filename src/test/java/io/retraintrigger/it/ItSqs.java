package io.retraintrigger.it;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** ElasticMQ in the test's JVM (it outlives the application processes it serves), and clients of it. */
final class ItSqs implements AutoCloseable {
    final URI endpoint;
    private final SQSRestServer server;

    private ItSqs(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    static ItSqs start() throws IOException {
        int port = AppProcess.freePort();
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        server.waitUntilStarted();
        return new ItSqs(server, URI.create("http://127.0.0.1:" + port));
    }

    SqsClient client() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    /** Creates the queue; returns its URL. */
    String create(String name) {
        try (SqsClient sqs = client()) {
            return sqs.createQueue(b -> b.queueName(name)).queueUrl();
        }
    }

    /** Waits until the queue holds no message, visible or in flight. */
    void awaitEmpty(String queueUrl) {
        try (SqsClient sqs = client()) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                return "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            });
        }
    }

    /**
     * Application properties of a crash or replica test: the AWS source on both queues, and a pipeline
     * that launches every batch (no cooldown, cap or budget), with short windows, leases and redelivery.
     */
    Map<String, String> appProperties(String pipeline, String bucket, String eventsQueue, String dataQueue) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("retrain.pipelines." + pipeline + ".data-sources", "s3://" + bucket + "/");
        p.put("retrain.pipelines." + pipeline + ".batch.size", "100");
        p.put("retrain.pipelines." + pipeline + ".batch.window", "3s");
        p.put("retrain.pipelines." + pipeline + ".coordinator.min-interval", "0s");
        p.put("retrain.pipelines." + pipeline + ".coordinator.max-daily-trainings", "1000000");
        p.put("retrain.pipelines." + pipeline + ".coordinator.daily-budget", "1000000000");
        p.put("retrain.batch.timeout-checker-interval", "500");
        p.put("retrain.batch.recovery-interval", "1s");
        p.put("retrain.batch.decide-lease", "3s");
        p.put("retrain.launch.resend-after", "5s");
        p.put("retrain.launch.max-retry-delay", "2000");
        p.put("retrain.launch.resend-check-interval", "2s");
        p.put("retrain.sources.aws.enabled", "true");
        p.put("retrain.sources.aws.queue", eventsQueue);
        p.put("retrain.sources.aws.data-queue", dataQueue);
        p.put("retrain.sources.aws.visibility-timeout", "3");
        p.put("retrain.sources.aws.wait-time-seconds", "1");
        p.put("retrain.sources.aws.concurrent-consumers", "2");
        p.put("retrain.aws.endpoints.sqs", endpoint.toString());
        p.put("retrain.aws.region", "us-east-1");
        p.put("retrain.aws.access-key-id", "test");
        p.put("retrain.aws.secret-access-key", "test");
        p.put("quarkus.log.level", "WARN");
        return p;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
