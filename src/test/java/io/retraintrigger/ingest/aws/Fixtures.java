package io.retraintrigger.ingest.aws;

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
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented AWS sample payloads under src/test/resources/fixtures/aws, and edits of them. */
final class Fixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/aws/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture with the field at a dotted path removed, e.g. {@code detail.object.key} or {@code Records.0.eventName}. */
    static String without(String name, String path) {
        JsonNode root = tree(read(name));
        String[] parts = path.split("\\.");
        JsonNode parent = navigate(root, parts, parts.length - 1);
        String last = parts[parts.length - 1];
        if (parent instanceof ObjectNode o) o.remove(last);
        else ((ArrayNode) parent).remove(Integer.parseInt(last));
        return json(root);
    }

    /** The fixture with the field at a dotted path set to a value (a String, Number, Boolean or JsonNode). */
    static String with(String name, String path, Object value) {
        return with(tree(read(name)), path, value);
    }

    static String with(JsonNode root, String path, Object value) {
        String[] parts = path.split("\\.");
        ObjectNode parent = (ObjectNode) navigate(root, parts, parts.length - 1);
        parent.set(parts[parts.length - 1], MAPPER.valueToTree(value));
        return json(root);
    }

    /** An SNS envelope fixture whose Message is replaced. */
    static String snsWith(String envelopeFixture, String message) {
        return with(envelopeFixture, "Message", message);
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
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
