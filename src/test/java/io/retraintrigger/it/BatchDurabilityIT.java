package io.retraintrigger.it;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the packaged application (target/quarkus-app) as a separate process on the embedded H2 store,
 * puts events into an open batch, kills the process with SIGKILL, starts it again on the same data
 * directory and sees the batch complete with every event.
 */
class BatchDurabilityIT {
    private static final String PASSWORD = "durability-test";
    private static final String PIPELINE = "durable";
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path dataDir;

    private Process app;

    @AfterEach
    void stop() {
        if (app != null) app.destroyForcibly();
    }

    private Process start(int port) throws IOException {
        assertTrue(Files.exists(JAR), "package the application first: " + JAR);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dretrain.store.jdbc.url=jdbc:h2:file:" + dataDir.resolve("retrain-trigger")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                "-Dretrain.auth.password-file=" + dataDir.resolve("admin-password"),
                "-Dretrain.pipelines." + PIPELINE + ".data-sources=s3://durable-bucket/incoming/",
                "-Dretrain.pipelines." + PIPELINE + ".batch.size=1000",
                "-Dretrain.pipelines." + PIPELINE + ".batch.window=12s",
                "-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/durability-it-app.log")));
        pb.environment().put("RETRAIN_ADMIN_PASSWORD", PASSWORD);
        Process p = pb.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> RestAssured.given().port(port).get("/q/health/ready").statusCode() == 200);
        return p;
    }

    private static RequestSpecification api(int port) {
        return RestAssured.given().port(port).auth().preemptive().basic("admin", PASSWORD);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOpenBatchSurvivesSigkill() throws Exception {
        int port = freePort();
        app = start(port);
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String uri = "s3://durable-bucket/incoming/part-" + i + ".parquet";
            uris.add(uri);
            api(port).contentType("application/cloudevents+json")
                    .body("{\"specversion\":\"1.0\",\"id\":\"durable-" + i + "\",\"source\":\"/it\",\"type\":\"io.retraintrigger.data.arrived\","
                            + "\"data\":{\"uri\":\"" + uri + "\",\"sizeBytes\":1000}}")
                    .post("/api/events").then().statusCode(202);
        }
        assertEquals(5, (Integer) api(port).get("/api/pipelines/" + PIPELINE).then().statusCode(200).extract().path("state.openBatch.events"));
        assertEquals(0, api(port).queryParam("pipeline", PIPELINE).get("/api/decisions").then().extract().jsonPath().getList("$").size());

        app.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertTrue(app.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));

        port = freePort();
        app = start(port);
        assertEquals(5, (Integer) api(port).get("/api/pipelines/" + PIPELINE).then().statusCode(200).extract().path("state.openBatch.events"),
                "the open batch is back after the restart");
        // a redelivered event is still recognised after the restart
        api(port).contentType("application/cloudevents+json")
                .body("{\"specversion\":\"1.0\",\"id\":\"durable-0\",\"source\":\"/it\",\"type\":\"io.retraintrigger.data.arrived\","
                        + "\"data\":{\"uri\":\"" + uris.get(0) + "\",\"sizeBytes\":1000}}")
                .post("/api/events").then().statusCode(202).body("duplicate", org.hamcrest.Matchers.equalTo(true));

        final int p = port;
        List<Map<String, Object>> decisions = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> api(p).queryParam("pipeline", PIPELINE).get("/api/decisions").then().extract().jsonPath().<Map<String, Object>>getList("$"),
                        l -> !l.isEmpty());
        assertEquals(1, decisions.size());
        Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) decisions.get(0).get("request")).get("metadata");
        assertEquals(5, metadata.get("eventCount"));
        assertEquals(uris, metadata.get("dataUris"));
        assertEquals("window_expired", metadata.get("completionReason"));
        assertEquals("LAUNCHED", decisions.get(0).get("outcome"));
    }
}
