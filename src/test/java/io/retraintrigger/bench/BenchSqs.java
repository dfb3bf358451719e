package io.retraintrigger.bench;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** An in-process ElasticMQ (as ElasticMqResource starts it), its SDK v2 client, and S3 notification bodies. */
final class BenchSqs implements AutoCloseable {
    static final int VISIBILITY_TIMEOUT = 300;
    final SQSRestServer server;
    final URI endpoint;
    final SqsClient sqs;

    BenchSqs() throws Exception {
        int port = BenchApp.freePort();
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        server.waitUntilStarted();
        endpoint = URI.create("http://127.0.0.1:" + port);
        sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    /** The properties that switch the application's AWS source on against this emulator. */
    Map<String, String> appProperties(String eventsQueue, String dataQueue, int concurrentConsumers) {
        return Map.of(
                "retrain.sources.aws.enabled", "true",
                "retrain.sources.aws.queue", eventsQueue,
                "retrain.sources.aws.data-queue", dataQueue,
                "retrain.sources.aws.concurrent-consumers", Integer.toString(concurrentConsumers),
                "retrain.sources.aws.wait-time-seconds", "1",
                "retrain.aws.endpoints.sqs", endpoint.toString(),
                "retrain.aws.region", "us-east-1",
                "retrain.aws.access-key-id", "x",
                "retrain.aws.secret-access-key", "x");
    }

    String createQueue(String name) {
        return sqs.createQueue(b -> b.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT)))).queueUrl();
    }

    /** Sends n messages (body(i)) in batches of 10 from a few threads. */
    void fill(String queueUrl, int n, IntFunction<String> body) throws Exception {
        fill(queueUrl, 0, n, body);
    }

    void fill(String queueUrl, int from, int to, IntFunction<String> body) throws Exception {
        int threads = 3;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            int chunk = ((to - from) + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                int a = from + t * chunk, b = Math.min(to, a + chunk);
                fs.add(pool.submit(() -> {
                    for (int i = a; i < b; i += 10) {
                        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                        for (int j = i; j < Math.min(b, i + 10); j++) {
                            entries.add(SendMessageBatchRequestEntry.builder().id("m" + (j - i)).messageBody(body.apply(j)).build());
                        }
                        var r = sqs.sendMessageBatch(x -> x.queueUrl(queueUrl).entries(entries));
                        if (!r.failed().isEmpty()) throw new IllegalStateException("send failed: " + r.failed());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends messages from..to-1 (at most 10) in one sendMessageBatch on the calling thread. */
    void fill1(String queueUrl, int from, int to, IntFunction<String> body) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int j = from; j < to; j++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + (j - from)).messageBody(body.apply(j)).build());
        }
        var r = sqs.sendMessageBatch(x -> x.queueUrl(queueUrl).entries(entries));
        if (!r.failed().isEmpty()) throw new IllegalStateException("send failed: " + r.failed());
    }

    /** [visible, in flight] of a queue. */
    long[] counts(String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return new long[]{Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))};
    }

    /**
     * The raw rate: receiveMessage (max 10, wait 1 s) + deleteMessageBatch on one thread until n messages
     * are received and deleted; messages per second.
     */
    double drainRate(String queueUrl, int n) {
        return drainRate(queueUrl, n, true);
    }

    /** As {@link #drainRate(String, int)}; batchDelete false: one deleteMessage per message (as Camel's aws2-sqs consumer does). */
    double drainRate(String queueUrl, int n, boolean batchDelete) {
        long t0 = System.nanoTime();
        int got = 0;
        while (got < n) {
            List<Message> ms = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            if (ms.isEmpty()) {
                if (System.nanoTime() - t0 > 600_000_000_000L) throw new IllegalStateException("queue drained at " + got + " of " + n);
                continue;
            }
            if (!batchDelete) {
                for (Message m : ms) sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                got += ms.size();
                continue;
            }
            List<DeleteMessageBatchRequestEntry> del = new ArrayList<>(ms.size());
            for (int i = 0; i < ms.size(); i++) {
                del.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(ms.get(i).receiptHandle()).build());
            }
            var r = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(del));
            if (!r.failed().isEmpty()) throw new IllegalStateException("delete failed: " + r.failed());
            got += ms.size();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** One classic S3 event notification record (the shape of fixtures/aws/s3-notification-put.json). */
    static String s3Record(String bucket, String key, long sequencer, long size) {
        return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventTime\":\"" + Instant.now()
                + "\",\"eventName\":\"ObjectCreated:Put\",\"userIdentity\":{\"principalId\":\"AIDAJDPLRKLG7UEXAMPLE\"},"
                + "\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},\"responseElements\":{\"x-amz-request-id\":\"C3D13FE58DE4C810\","
                + "\"x-amz-id-2\":\"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD\"},\"s3\":{\"s3SchemaVersion\":\"1.0\","
                + "\"configurationId\":\"benchRule\",\"bucket\":{\"name\":\"" + bucket + "\",\"ownerIdentity\":{\"principalId\":\"A3NL1KOZZKExample\"},"
                + "\"arn\":\"arn:aws:s3:::" + bucket + "\"},\"object\":{\"key\":\"" + key + "\",\"size\":" + size
                + ",\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"sequencer\":\"" + String.format("%018X", sequencer) + "\"}}}";
    }

    /** A notification message of one record. */
    static String s3Message(String bucket, String key, long sequencer) {
        return "{\"Records\":[" + s3Record(bucket, key, sequencer, 1000) + "]}";
    }

    /** CloudWatch's state-change time format. */
    private static final java.time.format.DateTimeFormatter CHANGE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSZ").withZone(java.time.ZoneOffset.UTC);

    /**
     * The fixture cloudwatch-alarm-eventbridge-drift.json (alarm fraud-amount-drift, ALARM, datapoint 0.42) with an id of its own
     * and the state change at the current time (an alarm's change is identified by its name and time).
     */
    static String driftAlarm(String id, String alarmName) {
        return "{\"version\":\"0\",\"id\":\"" + id + "\",\"detail-type\":\"CloudWatch Alarm State Change\",\"source\":\"aws.cloudwatch\","
                + "\"account\":\"123456789012\",\"time\":\"" + Instant.now() + "\",\"region\":\"us-east-1\","
                + "\"resources\":[\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + alarmName + "\"],"
                + "\"detail\":{\"alarmName\":\"" + alarmName + "\",\"configuration\":{\"description\":\"Baseline drift of feature amount on prod-endpoint\","
                + "\"metrics\":[{\"id\":\"m1\",\"metricStat\":{\"metric\":{\"dimensions\":{\"EndpointName\":\"prod-endpoint\",\"ScheduleName\":\"prod-endpoint-data-quality\"},"
                + "\"name\":\"feature_baseline_drift_amount\",\"namespace\":\"aws/sagemaker/Endpoints/data-metrics\"},\"period\":3600,\"stat\":\"Sum\"},\"returnData\":true}]},"
                + "\"previousState\":{\"reason\":\"Threshold Crossed\",\"reasonData\":\"{\\\"version\\\":\\\"1.0\\\",\\\"recentDatapoints\\\":[0.05],\\\"threshold\\\":0.1}\","
                + "\"timestamp\":\"2026-03-10T10:05:12.404+0000\",\"value\":\"OK\"},"
                + "\"state\":{\"reason\":\"Threshold Crossed: 1 out of the last 1 datapoints [0.42 (10/03/26 10:00:00)] was greater than the threshold (0.1) (minimum 1 datapoint for OK -> ALARM transition).\","
                + "\"reasonData\":\"{\\\"version\\\":\\\"1.0\\\",\\\"queryDate\\\":\\\"2026-03-10T11:05:12.398+0000\\\",\\\"startDate\\\":\\\"2026-03-10T10:00:00.000+0000\\\",\\\"statistic\\\":\\\"Sum\\\",\\\"period\\\":3600,\\\"recentDatapoints\\\":[0.42],\\\"threshold\\\":0.1}\","
                + "\"timestamp\":\"" + CHANGE_TIME.format(java.time.Instant.now()) + "\",\"value\":\"ALARM\"}}}";
    }

    @Override
    public void close() {
        sqs.close();
        server.stopAndWait();
    }
}
