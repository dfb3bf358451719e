package io.retraintrigger.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar started in an empty working directory (no routes/, no data/, no configuration next to
 * it) runs its built-in routes and keeps its state there.
 */
class AnyDirectoryIT {

    @Test
    void theJarRunsItsBuiltInRoutesFromAnEmptyDirectory() throws Exception {
        Path empty = Files.createTempDirectory("retrain-anywhere");
        assertFalse(Files.exists(empty.resolve("routes")));
        try (AppProcess app = new AppProcess("any-directory", Map.of(), empty).start()) {
            app.api().get("/api/routes").then().statusCode(200)
                    .body("id", hasItems("intake", "triage", "ingest-http", "batch-decide", "drift-severity-router", "coordinator", "launch"))
                    .body("find { it.id == 'intake' }.state", equalTo("Started"));
            app.api().contentType("application/cloudevents+json").body("""
                    {"specversion": "1.0", "id": "anywhere-1", "source": "/it", "type": "io.retraintrigger.drift.detected",
                     "data": {"pipeline": "fraud", "features": [{"name": "amount", "score": 0.05}]}}""")
                    .post("/api/events").then().statusCode(202);
            app.api().get("/api/decisions?pipeline=fraud").then().statusCode(200).body("[0].outcome", equalTo("LOGGED"));
            Files.writeString(app.log(), "");
            app.stop();
            // the H2 file store closes with the application, not under the routes still stopping (H2's own
            // shutdown hook closed it first: "Database is already closed" from a timer's tick)
            List<String> errors = Files.readAllLines(app.log()).stream().filter(l -> l.contains(" ERROR ")).toList();
            assertTrue(errors.isEmpty(), "errors while stopping: " + errors);
            assertTrue(Files.readString(app.log()).contains("stopped in"), "no graceful stop was logged");
        }
        assertTrue(Files.isDirectory(empty.resolve("data")), "the state is kept in the working directory");
    }
}
