package io.retraintrigger.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.path.json.JsonPath;
import io.retraintrigger.testing.DynaliteResource;
import io.retraintrigger.testing.NodeEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several replicas as separate processes on one store and one SQS queue, launching on SageMaker (WireMock):
 * one of them is killed with SIGKILL mid-run and started again. In the end every object is in exactly one
 * decision, SageMaker received one StartPipelineExecution per LAUNCHED decision with the decision id as
 * its ClientRequestToken (a launch in flight when its replica died may be resent after its lease, with
 * the same token: at most one such resend per kill), and the queue is empty. On PostgreSQL and on
 * DynamoDB (dynalite).
 */
class ReplicaIT {
    static final String PIPELINE = "replicated";
    static final String BUCKET = "replica-bucket";
    static final String EXECUTION_ARN = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/replica-training/execution/replica000001";

    static ItSqs sqs;
    static WireMockServer sageMaker;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        sqs = ItSqs.start();
        sageMaker = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sageMaker.start();
    }

    @AfterAll
    static void stop() {
        if (sqs != null) sqs.close();
        if (sageMaker != null) sageMaker.stop();
    }

    @Test
    void threeReplicasOnPostgresLaunchEachBatchOnce() throws Exception {
        try (ItPostgres db = new ItPostgres("replica")) {
            replicaTest("postgres", 3, Map.of("retrain.store.jdbc.url", db.jdbcUrl()));
        }
    }

    @Test
    void threeReplicasOnDynamoDbLaunchEachBatchOnce() throws Exception {
        try (NodeEmulator dynalite = DynaliteResource.startDynalite()) {
            replicaTest("dynamodb", 3, Map.of(
                    "retrain.store.kind", "dynamodb",
                    "retrain.store.dynamodb.auto-create", "true",
                    "retrain.store.dynamodb.table-prefix", "replica-" + UUID.randomUUID().toString().substring(0, 8) + "-",
                    "retrain.aws.endpoints.dynamodb", dynalite.url()));
        }
    }

    private void replicaTest(String store, int replicas, Map<String, String> storeProperties) throws Exception {
        sageMaker.resetAll();
        sageMaker.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"PipelineExecutionArn\":\"" + EXECUTION_ARN + "\"}")));
        sageMaker.stubFor(put(urlPathMatching("/replica-manifests/runs/manifests/.*"))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"")));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String eventsQueue = "replica-events-" + suffix;
        String dataQueue = "replica-data-" + suffix;
        sqs.create(eventsQueue);
        String dataQueueUrl = sqs.create(dataQueue);
        Map<String, String> properties = sqs.appProperties(PIPELINE, BUCKET, eventsQueue, dataQueue);
        properties.putAll(storeProperties);
        properties.put("retrain.auth.password-file", dataDir.resolve("admin-password").toString());
        properties.put("retrain.pipelines." + PIPELINE + ".target", "sagemaker");
        properties.put("retrain.pipelines." + PIPELINE + ".sagemaker.pipeline-name", "replica-training");
        // a batch's object list is over SageMaker's parameter limit: it goes as a manifest to S3 (WireMock too)
        properties.put("retrain.pipelines." + PIPELINE + ".sagemaker.manifest-s3-uri", "s3://replica-manifests/runs");
        properties.put("retrain.aws.endpoints.sagemaker", sageMaker.baseUrl());
        properties.put("retrain.aws.endpoints.s3", sageMaker.baseUrl());
        properties.put("retrain.aws.s3-path-style", "true");

        List<AppProcess> apps = new ArrayList<>();
        for (int i = 0; i < replicas; i++) apps.add(new AppProcess("replica-" + store + "-" + i, properties));
        try {
            run(apps, dataQueueUrl, store);
        } finally {
            for (AppProcess a : apps) a.kill();
        }
    }

    private void run(List<AppProcess> apps, String dataQueueUrl, String store) throws Exception {
        int replicas = apps.size();
        // the first creates the schema or tables; the others start together
        apps.get(0).start();
        List<Thread> starting = new ArrayList<>();
        for (AppProcess a : apps.subList(1, apps.size())) starting.add(startInBackground(a));
        for (Thread t : starting) t.join();
        for (AppProcess a : apps) assertTrue(a.alive(), a.name() + " did not start; see target/it-logs/" + a.name() + ".log");
        Senders senders = new Senders(() -> apps.get(0), sqs.endpoint, dataQueueUrl, BUCKET);
        try {
            senders.start(0);
            Thread.sleep(8000);
            AppProcess victim = apps.get(replicas - 1);
            victim.kill();
            Thread.sleep(3000);
            victim.start();
            Thread.sleep(8000);
        } finally {
            senders.stop();
        }
        Set<String> acknowledged = senders.acknowledged();
        assertTrue(acknowledged.size() > 300, "too few events were sent to test anything: " + acknowledged.size());
        sqs.awaitEmpty(dataQueueUrl);
        AppProcess reader = apps.get(0);
        AtomicReference<Ledger> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Ledger l = Ledger.read(reader::api, PIPELINE);
            last.set(l);
            Set<String> lost = l.lost(acknowledged);
            assertEquals(0, lost.size(), "objects in no decision (yet), e.g. " + lost.stream().limit(5).toList());
            assertEquals(Map.of("LAUNCHED/SUBMITTED", (long) l.decisions.size()), l.decisions.stream()
                    .collect(Collectors.groupingBy(ReplicaIT::state, Collectors.counting())),
                    "outcomes and launch states; not launched: " + l.decisions.stream().filter(d -> d.get("launch") == null).toList());
        });
        Ledger ledger = last.get();
        assertEquals(Map.of(), ledger.doubled(), "objects in two decisions");
        assertEquals(Set.of(), ledger.lost(acknowledged), "objects in no decision");
        assertEquals(ledger.decisions.size(), ledger.count("LAUNCHED"), "every batch launches in this configuration");

        List<LoggedRequest> starts = sageMaker.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("SageMaker.StartPipelineExecution")));
        Map<String, Long> byToken = starts.stream().collect(Collectors.groupingBy(
                r -> JsonPath.from(r.getBodyAsString()).getString("ClientRequestToken"), Collectors.counting()));
        Set<String> launched = ledger.decisions.stream().map(d -> (String) d.get("id")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(launched, new TreeSet<>(byToken.keySet()), "one ClientRequestToken per LAUNCHED decision, its id");
        long resent = starts.size() - byToken.size();
        assertTrue(resent <= 1, "requests sent again (same token): " + resent + "; " + tokensSentTwice(byToken));
        System.out.printf("replica test on %s: %d replicas, 1 killed and restarted, %d objects, %d decisions, %d StartPipelineExecution"
                + " (%d resent with the same token)%n", store, replicas, acknowledged.size(), launched.size(), starts.size(), resent);
    }

    private static String state(Map<String, Object> decision) {
        Object launch = decision.get("launch");
        return decision.get("outcome") + "/" + (launch == null ? "-" : ((Map<?, ?>) launch).get("status"));
    }

    private static Map<String, Long> tokensSentTwice(Map<String, Long> byToken) {
        Map<String, Long> out = new HashMap<>();
        byToken.forEach((t, n) -> {
            if (n > 1) out.put(t, n);
        });
        return out;
    }

    private static Thread startInBackground(AppProcess app) {
        Thread t = new Thread(() -> {
            try {
                app.start();
            } catch (Exception e) {
                throw new IllegalStateException(app.name() + " did not start", e);
            }
        }, "start-" + app.name());
        t.start();
        return t;
    }
}
