package io.retraintrigger.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retraintrigger.model.BadInputException;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON test payloads under src/test/resources/fixtures, edited at dotted paths ({@code detail.object.key},
 * {@code Records.0.eventName}: a number steps into an array), and the assertion of a refusal. The cloud
 * test packages wrap it with their own folder and message shape.
 */
public final class JsonFixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFixtures() {
    }

    /** The text of a resource, e.g. {@code /fixtures/aws/sns-s3-notification.json}. */
    public static String read(String resource) {
        try (InputStream in = JsonFixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String json(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Sets the value at a dotted path (a String, Number, Boolean, List, Map or JsonNode; null sets JSON null), in place. */
    public static JsonNode set(JsonNode root, String path, Object value) {
        String[] parts = path.split("\\.");
        JsonNode parent = parentOf(root, parts);
        String last = parts[parts.length - 1];
        JsonNode v = MAPPER.valueToTree(value);
        if (parent instanceof ObjectNode o) o.set(last, v);
        else ((ArrayNode) parent).set(Integer.parseInt(last), v);
        return root;
    }

    /** Removes the field (or array element) at a dotted path, in place. */
    public static JsonNode remove(JsonNode root, String path) {
        String[] parts = path.split("\\.");
        JsonNode parent = parentOf(root, parts);
        String last = parts[parts.length - 1];
        if (parent instanceof ObjectNode o) o.remove(last);
        else ((ArrayNode) parent).remove(Integer.parseInt(last));
        return root;
    }

    private static JsonNode parentOf(JsonNode root, String[] parts) {
        JsonNode n = root;
        for (int i = 0; i < parts.length - 1; i++) {
            n = n.isArray() ? n.get(Integer.parseInt(parts[i])) : n.get(parts[i]);
            // Name the path that is not there, so that a test edit gone stale says which.
            if (n == null) throw new IllegalArgumentException("no " + String.join(".", Arrays.copyOf(parts, i + 1)));
        }
        return n;
    }

    /** Asserts a refusal with its status and a message that names what it is about. */
    public static BadInputException refused(int status, String messagePart, Executable call) {
        BadInputException e = assertThrows(BadInputException.class, call);
        assertEquals(status, e.status(), () -> "status of '" + e.getMessage() + "'");
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
        return e;
    }
}
