package io.retraintrigger.it;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash test: the packaged application is killed with SIGKILL at random moments, at least ten times,
 * while clients send data events over REST and over SQS (ElasticMQ, in this JVM, outliving the app),
 * retrying whatever was not acknowledged and resending some of what was. After the last restart every
 * acknowledged object is in exactly one decision: none lost, none in two. On H2 and on PostgreSQL.
 */
class CrashIT {
    static final String PIPELINE = "crash";
    static final String BUCKET = "crash-bucket";
    static final int KILLS = 10;

    static SQSRestServer sqsServer;
    static URI sqsEndpoint;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startSqs() throws Exception {
        int port = AppProcess.freePort();
        sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        sqsServer.waitUntilStarted();
        sqsEndpoint = URI.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopSqs() {
        if (sqsServer != null) sqsServer.stopAndWait();
    }

    static SqsClient sqs() {
        return SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @Test
    void nothingAcknowledgedIsLostOrDoubledOnH2() throws Exception {
        crashTest("h2", "jdbc:h2:file:" + dataDir.resolve("retrain-trigger")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
    }

    @Test
    void nothingAcknowledgedIsLostOrDoubledOnPostgres() throws Exception {
        String schema = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(Postgres.URL, Postgres.USER, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            crashTest("postgres", Postgres.URL + "?currentSchema=" + schema);
        } finally {
            Postgres.dropSchema(schema);
        }
    }

    /** Application properties of a crash or replica test: the pipeline launches every batch (no cooldown, cap or budget). */
    static Map<String, String> properties(Path dataDir, String jdbcUrl, String eventsQueue, String dataQueue) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("retrain.store.jdbc.url", jdbcUrl);
        p.put("retrain.auth.password-file", dataDir.resolve("admin-password").toString());
        p.put("retrain.pipelines." + PIPELINE + ".data-sources", "s3://" + BUCKET + "/");
        p.put("retrain.pipelines." + PIPELINE + ".batch.size", "100");
        p.put("retrain.pipelines." + PIPELINE + ".batch.window", "3s");
        p.put("retrain.pipelines." + PIPELINE + ".coordinator.min-interval", "0s");
        p.put("retrain.pipelines." + PIPELINE + ".coordinator.max-daily-trainings", "1000000");
        p.put("retrain.pipelines." + PIPELINE + ".coordinator.daily-budget", "1000000000");
        p.put("retrain.batch.timeout-checker-interval", "500");
        p.put("retrain.batch.recovery-interval", "1s");
        p.put("retrain.batch.decide-lease", "3s");
        p.put("retrain.launch.resend-after", "5s");
        p.put("retrain.launch.resend-check-interval", "2s");
        p.put("retrain.sources.aws.enabled", "true");
        p.put("retrain.sources.aws.queue", eventsQueue);
        p.put("retrain.sources.aws.data-queue", dataQueue);
        p.put("retrain.sources.aws.visibility-timeout", "3");
        p.put("retrain.sources.aws.wait-time-seconds", "1");
        p.put("retrain.sources.aws.concurrent-consumers", "2");
        p.put("retrain.aws.endpoints.sqs", sqsEndpoint.toString());
        p.put("retrain.aws.region", "us-east-1");
        p.put("retrain.aws.access-key-id", "test");
        p.put("retrain.aws.secret-access-key", "test");
        p.put("quarkus.log.level", "WARN");
        return p;
    }

    private void crashTest(String store, String jdbcUrl) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String dataQueueUrl;
        String eventsQueue = "crash-events-" + suffix;
        String dataQueue = "crash-data-" + suffix;
        try (SqsClient sqs = sqs()) {
            sqs.createQueue(b -> b.queueName(eventsQueue));
            dataQueueUrl = sqs.createQueue(b -> b.queueName(dataQueue)).queueUrl();
        }
        AppProcess app = new AppProcess("crash-" + store, properties(dataDir, jdbcUrl, eventsQueue, dataQueue)).start();
        AtomicReference<AppProcess> current = new AtomicReference<>(app);
        Senders senders = new Senders(current::get, sqsEndpoint, dataQueueUrl, BUCKET);
        Random random = new Random();
        try {
            senders.start(3);
            for (int kill = 1; kill <= KILLS; kill++) {
                Thread.sleep(1500 + random.nextInt(3000));
                app.kill();
                app.start();
            }
            Thread.sleep(2000);
        } finally {
            senders.stop();
        }
        try {
            Set<String> acknowledged = senders.acknowledged();
            assertTrue(acknowledged.size() > 500, "too few events were acknowledged to test anything: " + acknowledged.size());
            awaitQueueEmpty(dataQueueUrl);
            Ledger ledger = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Ledger.read(app::api, PIPELINE), l -> l.lost(acknowledged).isEmpty());
            assertEquals(Map.of(), ledger.doubled(), "objects in two decisions");
            assertEquals(Set.of(), ledger.lost(acknowledged), "acknowledged objects in no decision");
            assertEquals(ledger.decisions.size(), ledger.count("LAUNCHED"), "every batch launches in this configuration");
            System.out.printf("crash test on %s: %d kills, %d objects acknowledged (%d over REST, %d over SQS, %d resent), %d decisions%n",
                    store, KILLS, acknowledged.size(), senders.restAcknowledged.get(), senders.sqsSent.get(), senders.resent.get(),
                    ledger.decisions.size());
        } finally {
            app.kill();
        }
    }

    static void awaitQueueEmpty(String queueUrl) {
        try (SqsClient sqs = sqs()) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                return "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
            });
        }
    }

    /** The IT's PostgreSQL: 127.0.0.1:5432, database test, user postgres (trust). */
    static final class Postgres {
        static final String URL = System.getProperty("retrain.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
        static final String USER = System.getProperty("retrain.test.postgres.user", "postgres");

        static void dropSchema(String schema) throws Exception {
            try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
