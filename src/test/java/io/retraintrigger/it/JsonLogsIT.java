package io.retraintrigger.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application with its one switch of JSON logs on (quarkus.log.console.json.enabled=true, env
 * QUARKUS_LOG_CONSOLE_JSON_ENABLED): every line it writes is a JSON object with timestamp, level and message,
 * and neither the admin password nor its Basic credentials are in them, whatever the requests carried.
 */
class JsonLogsIT {
    private static final Path LOG = Path.of("target", "it-logs", "json-logs.log");

    @Test
    void everyLogLineIsAJsonObjectWithoutTheSecrets() throws Exception {
        Files.deleteIfExists(LOG);
        Path dir = Files.createTempDirectory("retrain-json-logs");
        try (AppProcess app = new AppProcess("json-logs", Map.of("quarkus.log.console.json.enabled", "true"), dir).start()) {
            // an event taken in, one refused (a WARN with its reason, kept as a dead letter with the request's
            // headers, credentials redacted), a failed login, an unknown pipeline
            app.api().contentType("application/cloudevents+json").body("""
                    {"specversion": "1.0", "id": "json-logs-1", "source": "/it", "type": "io.retraintrigger.drift.detected",
                     "data": {"pipeline": "fraud", "features": [{"name": "amount", "score": 0.05}]}}""")
                    .post("/api/events").then().statusCode(202);
            app.api().contentType("application/cloudevents+json").header("X-Api-Key", "not-logged-either").body("{not json")
                    .post("/api/events").then().statusCode(400);
            RestAssured.given().port(app.port()).auth().preemptive().basic("admin", "wrong-" + AppProcess.PASSWORD).get("/api/decisions")
                    .then().statusCode(401);
            app.api().contentType("application/json").body("{}").post("/api/pipelines/no-such-pipeline/trigger").then().statusCode(404);
        }
        List<String> lines = Files.readAllLines(LOG, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() >= 5, "the service logged its start and the dead letter: " + lines);
        ObjectMapper json = new ObjectMapper();
        List<String> notJson = new ArrayList<>();
        List<String> levels = new ArrayList<>();
        for (String line : lines) {
            JsonNode n;
            try {
                n = json.readTree(line);
            } catch (Exception e) {
                notJson.add(line);
                continue;
            }
            if (n == null || !n.isObject() || !n.path("level").isTextual() || !n.path("message").isTextual() || !n.path("timestamp").isTextual()) {
                notJson.add(line);
                continue;
            }
            levels.add(n.path("level").asText());
        }
        assertEquals(List.of(), notJson, "lines that are no JSON object with level, message and timestamp");
        assertTrue(levels.contains("WARN"), "the refused event's warning is among them: " + levels);
        assertTrue(lines.stream().anyMatch(l -> l.contains("dead letter") && l.contains("malformed JSON")), "the dead letter's reason is logged");

        String basic = Base64.getEncoder().encodeToString(("admin:" + AppProcess.PASSWORD).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(AppProcess.PASSWORD, basic, "not-logged-either")) {
            assertFalse(lines.stream().anyMatch(l -> l.contains(secret)), "a secret in the log: " + secret);
        }
    }
}
