package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retraintrigger.ingest.BadInputException;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Pub/Sub messages under src/test/resources/fixtures/gcp, one per file:
 * {@code {"_source": "...", "messageId", "publishTime", "attributes": {...}, "data": <JSON or a string>}},
 * and edits of them. Paths are dotted from the file's root: {@code data.incident.state},
 * {@code attributes.eventType}, {@code data.jsonPayload.featureAnomalies.0.deviation}.
 */
final class GcpFixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GcpFixtures() {
    }

    static JsonNode tree(String name) {
        try (InputStream in = GcpFixtures.class.getResourceAsStream("/fixtures/gcp/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PubSubMessage message(String name) {
        return message(tree(name));
    }

    /** The message a fixture stands for: JSON data is serialized, string data is taken as is. */
    static PubSubMessage message(JsonNode wrapper) {
        JsonNode d = wrapper.get("data");
        String data = d == null || d.isNull() ? "" : d.isTextual() ? d.asText() : json(d);
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode a = wrapper.get("attributes");
        if (a != null) a.fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asText()));
        JsonNode id = wrapper.get("messageId");
        JsonNode t = wrapper.get("publishTime");
        return new PubSubMessage(data, attributes, id == null ? null : id.asText(), t == null ? null : Instant.parse(t.asText()));
    }

    /** The fixture's message with the value at a dotted path set (a String, Number, Boolean, List, Map or JsonNode; null sets JSON null). */
    static PubSubMessage with(String name, String path, Object value) {
        return message(edit(tree(name), path, value));
    }

    static JsonNode edit(JsonNode root, String path, Object value) {
        String[] parts = path.split("\\.");
        JsonNode parent = navigate(root, parts, parts.length - 1);
        String last = parts[parts.length - 1];
        JsonNode v = MAPPER.valueToTree(value);
        if (parent instanceof ObjectNode o) o.set(last, v);
        else ((ArrayNode) parent).set(Integer.parseInt(last), v);
        return root;
    }

    /** The fixture's message with the field at a dotted path removed. */
    static PubSubMessage without(String name, String path) {
        return message(remove(tree(name), path));
    }

    static JsonNode remove(JsonNode root, String path) {
        String[] parts = path.split("\\.");
        JsonNode parent = navigate(root, parts, parts.length - 1);
        String last = parts[parts.length - 1];
        if (parent instanceof ObjectNode o) o.remove(last);
        else ((ArrayNode) parent).remove(Integer.parseInt(last));
        return root;
    }

    /** A message with the fixture's attributes, id and time, and other data. */
    static PubSubMessage withData(String name, String data) {
        PubSubMessage m = message(name);
        return new PubSubMessage(data, m.attributes(), m.messageId(), m.publishTime());
    }

    static String json(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode navigate(JsonNode root, String[] parts, int count) {
        JsonNode n = root;
        for (int i = 0; i < count; i++) {
            n = n.isArray() ? n.get(Integer.parseInt(parts[i])) : n.get(parts[i]);
            if (n == null) throw new IllegalArgumentException("no " + String.join(".", java.util.Arrays.copyOf(parts, i + 1)));
        }
        return n;
    }

    /** Asserts a refusal with its status and a message that names what it is about. */
    static BadInputException refused(int status, String messagePart, Executable call) {
        BadInputException e = assertThrows(BadInputException.class, call);
        assertEquals(status, e.status(), () -> "status of '" + e.getMessage() + "'");
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
        return e;
    }
}
