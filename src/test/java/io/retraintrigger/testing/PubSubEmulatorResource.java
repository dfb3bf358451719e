package io.retraintrigger.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Google's Pub/Sub emulator (google-cloud-cli-pubsub-emulator, in the machine image) as a child process,
 * with a randomly named topic and subscription; switches the GCP source on. Topics, subscriptions and
 * publishing go through the emulator's REST API.
 */
public class PubSubEmulatorResource implements QuarkusTestResourceLifecycleManager {
    public static final String PROJECT = "retrain-test";
    static final String EMULATOR = "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator";
    public static final int ACK_DEADLINE_SECONDS = 10;

    private static volatile String base;
    private static volatile String topic;
    private static volatile String subscription;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Process process;

    @Override
    public Map<String, String> start() {
        int port = NodeEmulator.freePort();
        try {
            Path data = Files.createTempDirectory("pubsub-emulator");
            Path log = Path.of("target", "pubsub-emulator-" + port + ".log");
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(EMULATOR, "--host=127.0.0.1", "--port=" + port, "--data-dir=" + data)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            awaitPort(port, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Pub/Sub emulator " + EMULATOR + ": " + e.getMessage(), e);
        }
        base = "http://127.0.0.1:" + port + "/v1/projects/" + PROJECT;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topic = "retrain-events-" + suffix;
        subscription = "retrain-sub-" + suffix;
        put("/topics/" + topic, "{}");
        put("/subscriptions/" + subscription, "{\"topic\":\"projects/" + PROJECT + "/topics/" + topic + "\",\"ackDeadlineSeconds\":" + ACK_DEADLINE_SECONDS + "}");
        return Map.of(
                "retrain.sources.gcp.enabled", "true",
                "retrain.sources.gcp.subscriptions", subscription,
                "retrain.gcp.project-id", PROJECT,
                "camel.component.google-pubsub.endpoint", "127.0.0.1:" + port,
                "camel.component.google-pubsub.authenticate", "false");
    }

    /** Publishes one message with attributes; returns its message id. */
    public static String publish(String data, Map<String, String> attributes) {
        String attrs = attributes.entrySet().stream()
                .map(e -> json(e.getKey()) + ":" + json(e.getValue())).collect(Collectors.joining(",", "{", "}"));
        String body = "{\"messages\":[{\"data\":\"" + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8))
                + "\",\"attributes\":" + attrs + "}]}";
        String answer = send(HttpRequest.newBuilder(URI.create(base + "/topics/" + topic + ":publish"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
        return answer.replaceAll("(?s).*\"messageIds\"\\s*:\\s*\\[\\s*\"([^\"]+)\".*", "$1");
    }

    public static String subscription() {
        return subscription;
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void put(String path, String body) {
        send(HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build());
    }

    private static String send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitPort(int port, Path log) {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(end)) {
            if (!process.isAlive()) throw new IllegalStateException("Pub/Sub emulator exited; see " + log);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("Pub/Sub emulator did not listen on " + port + "; see " + log);
    }

    @Override
    public void stop() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }
}
