package io.retraintrigger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Google's Pub/Sub emulator (google-cloud-cli-pubsub-emulator, in the machine image) as a child process,
 * with a randomly named topic and subscription; switches the GCP source on. Topics, subscriptions,
 * publishing and pulling go through the emulator's REST API. The init argument {@value #TOPICS}
 * (comma-separated names) creates further topics at start, each with a subscription
 * {@code <topic>-sub} ({@link #subscriptionOf}), e.g. for google-pubsub sinks (retrain.audit.uri); the
 * init argument {@value #CONSUMED_TOPICS} creates topics whose subscriptions the app consumes as well.
 */
public class PubSubEmulatorResource implements QuarkusTestResourceLifecycleManager {
    public static final String PROJECT = "retrain-test";
    static final String EMULATOR = "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator";
    public static final int ACK_DEADLINE_SECONDS = 10;
    /** Init argument: further topics to create at start, comma-separated, each with a subscription {@code <topic>-sub}. */
    public static final String TOPICS = "topics";
    /** Init argument: further topics whose subscriptions {@code <topic>-sub} the app consumes too, comma-separated. */
    public static final String CONSUMED_TOPICS = "consumed-topics";

    /** A message pulled from a subscription: data decoded as UTF-8, attributes. */
    public record Received(String messageId, String data, Map<String, String> attributes) {
    }

    private static volatile String base;
    private static volatile String topic;
    private static volatile String subscription;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private Process process;
    private List<String> extraTopics = List.of();
    private List<String> consumedTopics = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        String topics = initArgs.getOrDefault(TOPICS, "");
        extraTopics = Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        consumedTopics = Arrays.stream(initArgs.getOrDefault(CONSUMED_TOPICS, "").split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

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
        createTopic(topic);
        createSubscription(subscription, topic);
        List<String> consumed = new java.util.ArrayList<>(List.of(subscription));
        for (String extra : extraTopics) {
            createTopic(extra);
            createSubscription(subscriptionOf(extra), extra);
        }
        for (String extra : consumedTopics) {
            createTopic(extra);
            createSubscription(subscriptionOf(extra), extra);
            consumed.add(subscriptionOf(extra));
        }
        return Map.of(
                "retrain.sources.gcp.enabled", "true",
                "retrain.sources.gcp.subscriptions", String.join(",", consumed),
                "retrain.gcp.project-id", PROJECT,
                "camel.component.google-pubsub.endpoint", "127.0.0.1:" + port,
                "camel.component.google-pubsub.authenticate", "false");
    }

    /** Publishes one message with attributes to the source topic; returns its message id. */
    public static String publish(String data, Map<String, String> attributes) {
        return publish(topic, data, attributes);
    }

    /** Publishes one message with attributes to a topic of the project; returns its message id. */
    public static String publish(String toTopic, String data, Map<String, String> attributes) {
        String attrs = attributes.entrySet().stream()
                .map(e -> json(e.getKey()) + ":" + json(e.getValue())).collect(Collectors.joining(",", "{", "}"));
        String body = "{\"messages\":[{\"data\":\"" + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8))
                + "\",\"attributes\":" + attrs + "}]}";
        String answer = post("/topics/" + toTopic + ":publish", body);
        return answer.replaceAll("(?s).*\"messageIds\"\\s*:\\s*\\[\\s*\"([^\"]+)\".*", "$1");
    }

    /** Creates a topic of the project. */
    public static void createTopic(String name) {
        put("/topics/" + name, "{}");
    }

    /** Creates a subscription of the project to one of its topics. */
    public static void createSubscription(String name, String ofTopic) {
        put("/subscriptions/" + name, "{\"topic\":\"projects/" + PROJECT + "/topics/" + ofTopic + "\",\"ackDeadlineSeconds\":" + ACK_DEADLINE_SECONDS + "}");
    }

    /** The subscription created with a topic named in {@value #TOPICS}. */
    public static String subscriptionOf(String extraTopic) {
        return extraTopic + "-sub";
    }

    /**
     * Pulls what a subscription has now (POST .../subscriptions/NAME:pull, returnImmediately), at most
     * {@code max} messages, and acknowledges them: each message is returned once.
     */
    public static List<Received> pull(String fromSubscription, int max) {
        String answer = post("/subscriptions/" + fromSubscription + ":pull", "{\"returnImmediately\":true,\"maxMessages\":" + max + "}");
        List<Received> out = new ArrayList<>();
        ArrayNode ackIds = JSON.createArrayNode();
        try {
            for (JsonNode r : JSON.readTree(answer).path("receivedMessages")) {
                JsonNode m = r.path("message");
                Map<String, String> attributes = new LinkedHashMap<>();
                m.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
                String data = new String(Base64.getDecoder().decode(m.path("data").asText("")), StandardCharsets.UTF_8);
                out.add(new Received(m.path("messageId").asText(), data, attributes));
                ackIds.add(r.path("ackId").asText());
            }
        } catch (IOException e) {
            throw new IllegalStateException("pull from " + fromSubscription + " answered " + answer, e);
        }
        if (!ackIds.isEmpty()) {
            ObjectNode ack = JSON.createObjectNode().set("ackIds", ackIds);
            post("/subscriptions/" + fromSubscription + ":acknowledge", ack.toString());
        }
        return out;
    }

    public static String subscription() {
        return subscription;
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build());
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
