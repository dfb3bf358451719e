package io.retraintrigger.it;

import io.restassured.response.Response;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Clients of a crash or replica test. REST clients post data events to whichever process is current,
 * retrying each until it is answered 202, and resend some acknowledged ones; an SQS client sends S3
 * notifications to the data queue (acknowledged when SQS took them) and resends some. Records which
 * object URIs were acknowledged.
 */
final class Senders {
    final AtomicInteger restAcknowledged = new AtomicInteger();
    final AtomicInteger sqsSent = new AtomicInteger();
    final AtomicInteger resent = new AtomicInteger();

    private final Supplier<AppProcess> app;
    private final URI sqsEndpoint;
    private final String queueUrl;
    private final String bucket;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    Senders(Supplier<AppProcess> app, URI sqsEndpoint, String queueUrl, String bucket) {
        this.app = app;
        this.sqsEndpoint = sqsEndpoint;
        this.queueUrl = queueUrl;
        this.bucket = bucket;
    }

    /** Starts {@code restClients} REST clients (none when there is no app to post to) and one SQS client. */
    void start(int restClients) {
        running = true;
        String run = Long.toString(System.nanoTime(), 36);
        for (int t = 0; t < restClients; t++) {
            int client = t;
            threads.add(thread("rest-client-" + t, () -> restClient(run + "-" + client)));
        }
        threads.add(thread("sqs-client", () -> sqsClient(run)));
    }

    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(60));
    }

    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    private void restClient(String name) {
        Random random = new Random();
        List<String[]> sent = new ArrayList<>();
        for (int i = 0; running; i++) {
            String id = "rest-" + name + "-" + i;
            String uri = "s3://" + bucket + "/rest/" + name + "/part-" + i + ".parquet";
            while (running) {
                if (post(id, uri)) {
                    acknowledged.add(uri);
                    restAcknowledged.incrementAndGet();
                    sent.add(new String[]{id, uri});
                    break;
                }
                sleep(50);
            }
            if (i % 7 == 6 && !sent.isEmpty()) {
                String[] again = sent.get(random.nextInt(sent.size()));
                if (post(again[0], again[1])) resent.incrementAndGet();
            }
            sleep(3);
        }
    }

    private boolean post(String id, String uri) {
        try {
            Response r = app.get().api().contentType("application/cloudevents+json")
                    .body("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/crash-test\",\"type\":\"io.retraintrigger.data.arrived\","
                            + "\"data\":{\"uri\":\"" + uri + "\",\"sizeBytes\":1000}}")
                    .post("/api/events");
            return r.statusCode() == 202;
        } catch (Exception refusedWhileDown) { // connection refused or reset while the process is down
            return false;
        }
    }

    private void sqsClient(String run) {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; running; i++) {
                String key = "sqs/" + run + "/part-" + i + ".parquet";
                String body = S3Notifications.put(bucket, key, 1000, String.format("%016X", i + 1L));
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
                acknowledged.add("s3://" + bucket + "/" + key);
                sqsSent.incrementAndGet();
                bodies.add(body);
                if (i % 5 == 4) {
                    String again = bodies.get(bodies.size() - 3);
                    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(again));
                    resent.incrementAndGet();
                }
                sleep(4);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
