package io.retraintrigger.store.dynamodb;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.ApprovalLog;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.LaunchLeases;
import io.retraintrigger.store.PipelineSteps;
import io.retraintrigger.testing.DynaliteResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.dataArrived;
import static io.retraintrigger.api.TestApi.newId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The service on retrain.store.kind=dynamodb (dynalite, tables auto-created): batches, dedup and decisions in DynamoDB. */
@QuarkusTest
@TestProfile(DynamoDbStoreQuarkusTest.Profile.class)
class DynamoDbStoreQuarkusTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "retrain.store.kind", "dynamodb",
                    "retrain.store.dynamodb.auto-create", "true",
                    "retrain.store.dynamodb.table-prefix", "quarkus-test-",
                    "retrain.pipelines.ddb-windowed.data-sources", "s3://ddb-test-bucket/windowed/",
                    "retrain.pipelines.ddb-windowed.batch.window", "5s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DynaliteResource.class));
        }
    }

    @Inject
    PipelineSteps steps;

    @Inject
    DecisionLog decisionLog;

    @Inject
    LaunchLeases leases;

    @Inject
    ApprovalLog approvalLog;

    @Inject
    BatchStore batches;

    @Test
    void everyStoreAdapterIsDynamoDb() {
        assertInstanceOf(DynamoDbPipelineSteps.class, steps);
        assertInstanceOf(DynamoDbDecisionLog.class, decisionLog);
        assertInstanceOf(DynamoDbLaunchLeases.class, leases);
        assertInstanceOf(DynamoDbApprovalLog.class, approvalLog);
        assertInstanceOf(DynamoDbBatchStore.class, batches);
        admin().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void dataArrivalsBatchDedupAndDecideOnDynamoDb() {
        String first = newId();
        dataArrived(first, "s3://ddb-test-bucket/windowed/a.csv", 100).then().statusCode(202).body("duplicate", equalTo(false));
        dataArrived(first, "s3://ddb-test-bucket/windowed/a.csv", 100).then().statusCode(202).body("duplicate", equalTo(true));
        dataArrived(newId(), "s3://ddb-test-bucket/windowed/b.csv", 200).then().statusCode(202);
        assertEquals(2, (Integer) admin().get("/api/pipelines/ddb-windowed").then().statusCode(200).extract().path("state.openBatch.events"));

        List<Map<String, Object>> decisions = await().atMost(Duration.ofSeconds(20))
                .until(() -> TestApi.decisions("ddb-windowed"), d -> !d.isEmpty());
        assertEquals(1, decisions.size());
        Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) decisions.get(0).get("request")).get("metadata");
        assertEquals("window_expired", metadata.get("completionReason"));
        assertEquals(List.of("s3://ddb-test-bucket/windowed/a.csv", "s3://ddb-test-bucket/windowed/b.csv"), metadata.get("dataUris"));
        assertEquals(1, steps.pipelineState("ddb-windowed").orElseThrow().trainingsToday());
        // decided once: marked decided right after its decision is recorded (a moment after the decision shows
        // in the API), so that no replica's recovery finds it undecided then
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.claimUndecided(java.time.Instant.now().plus(Duration.ofDays(1)), Duration.ofSeconds(1), 1000)
                .stream().noneMatch(c -> c.batch().pipeline().equals("ddb-windowed")));
        assertEquals(1, TestApi.decisions("ddb-windowed").size());
    }
}
