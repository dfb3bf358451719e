package io.retraintrigger.batch;

import io.quarkus.test.junit.QuarkusTest;
import io.retraintrigger.api.TestApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.dataArrived;
import static io.retraintrigger.api.TestApi.newId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event-driven triggering: data arrivals become one request per batch. */
@QuarkusTest
class BatchingRouteTest {

    @Test
    @SuppressWarnings("unchecked")
    void thousandEventsMakeOneRequestBySize() {
        for (int i = 0; i < 1000; i++) {
            dataArrived(newId(), "s3://test-bucket/sized/part-" + i + ".parquet", 1_000_000).then().statusCode(202);
            if (i == 998) {
                assertEquals(List.of(), TestApi.decisions("sized"), "no request before the batch is full");
                assertEquals(999, (Integer) admin().get("/api/pipelines/sized").then().extract().path("state.openBatch.events"));
            }
        }
        List<Map<String, Object>> decisions = await().atMost(Duration.ofSeconds(20)).until(() -> TestApi.decisions("sized"), d -> !d.isEmpty());
        assertEquals(1, decisions.size());
        Map<String, Object> d = decisions.get(0);
        assertEquals("DATA_ARRIVAL", d.get("triggerType"));
        assertEquals("LAUNCHED", d.get("outcome"));
        assertEquals(3, d.get("priority"));
        Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) d.get("request")).get("metadata");
        assertEquals("batch_size_reached", metadata.get("completionReason"));
        assertEquals(1000, metadata.get("eventCount"));
        // the decision carries a preview; the whole list is paged from the store, in arrival order
        assertEquals(100, ((List<?>) metadata.get("dataUris")).size());
        assertEquals(List.of("sized#1"), metadata.get("batchIds"));
        String id = (String) d.get("id");
        List<String> all = new java.util.ArrayList<>();
        for (int offset = 0; offset < 1000; offset += 300) {
            Map<String, Object> page = admin().get("/api/decisions/" + id + "/data?offset=" + offset + "&limit=300").then().statusCode(200)
                    .extract().path("$");
            assertEquals(1000, page.get("total"));
            all.addAll((List<String>) page.get("uris"));
        }
        assertEquals(1000, all.size());
        assertEquals(1000, new java.util.HashSet<>(all).size());
        assertEquals("s3://test-bucket/sized/part-0.parquet", all.get(0));
        assertEquals("s3://test-bucket/sized/part-999.parquet", all.get(999));
        admin().get("/api/decisions/" + id + "/data?offset=-1").then().statusCode(400);
        assertEquals(1_000_000_000L, ((Number) metadata.get("totalBytes")).longValue());
        // 1 GB of data: 150 x (1 + 1/100)
        assertEquals(151.5, ((Number) d.get("estimatedCost")).doubleValue(), 1e-9);
        Map<String, Object> params = (Map<String, Object>) ((Map<String, Object>) d.get("launch")).get("parameters");
        assertEquals("1000", params.get("EventCount"));
        assertEquals("batch_size_reached", params.get("BatchCompletion"));
        Object openBatch = admin().get("/api/pipelines/sized").then().extract().path("state.openBatch");
        assertEquals(null, openBatch);
    }

    @Test
    @SuppressWarnings("unchecked")
    void threeEventsMakeOneRequestWhenTheWindowExpires() {
        for (int i = 0; i < 3; i++) {
            dataArrived(newId(), "gs://test-bucket/windowed/f" + i + ".csv", 100 + i).then().statusCode(202);
        }
        Map<String, Object> open = admin().get("/api/pipelines/windowed").then().statusCode(200).extract().path("state.openBatch");
        assertEquals(3, open.get("events"));
        assertTrue(open.containsKey("closesAt"));

        List<Map<String, Object>> decisions = await().atMost(Duration.ofSeconds(15)).until(() -> TestApi.decisions("windowed"), d -> !d.isEmpty());
        assertEquals(1, decisions.size());
        Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) decisions.get(0).get("request")).get("metadata");
        assertEquals("window_expired", metadata.get("completionReason"));
        assertEquals(3, metadata.get("eventCount"));
        assertEquals(List.of("gs://test-bucket/windowed/f0.csv", "gs://test-bucket/windowed/f1.csv", "gs://test-bucket/windowed/f2.csv"),
                metadata.get("dataUris"));
        assertEquals(303, ((Number) metadata.get("totalBytes")).intValue());
    }
}
