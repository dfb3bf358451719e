package io.retraintrigger.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

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

    static ItSqs sqs;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startSqs() throws Exception {
        sqs = ItSqs.start();
    }

    @AfterAll
    static void stopSqs() {
        if (sqs != null) sqs.close();
    }

    @Test
    void nothingAcknowledgedIsLostOrDoubledOnH2() throws Exception {
        crashTest("h2", "jdbc:h2:file:" + dataDir.resolve("retrain-trigger")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"); // the shipped default URL
    }

    @Test
    void nothingAcknowledgedIsLostOrDoubledOnPostgres() throws Exception {
        try (ItPostgres db = new ItPostgres("crash")) {
            crashTest("postgres", db.jdbcUrl());
        }
    }

    private void crashTest(String store, String jdbcUrl) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String eventsQueue = "crash-events-" + suffix;
        String dataQueue = "crash-data-" + suffix;
        sqs.create(eventsQueue);
        String dataQueueUrl = sqs.create(dataQueue);
        Map<String, String> properties = sqs.appProperties(PIPELINE, BUCKET, eventsQueue, dataQueue);
        properties.put("retrain.store.jdbc.url", jdbcUrl);
        properties.put("retrain.auth.password-file", dataDir.resolve("admin-password").toString());
        AppProcess app = new AppProcess("crash-" + store, properties).start();
        Senders senders = new Senders(() -> app, sqs.endpoint, dataQueueUrl, BUCKET);
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
            assertTrue(senders.restAcknowledged.get() > 100, "too few events over REST: " + senders.restAcknowledged.get());
            sqs.awaitEmpty(dataQueueUrl);
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
}
