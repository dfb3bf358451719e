package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.testing.JsonFixtures;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Pub/Sub messages under src/test/resources/fixtures/gcp, one per file:
 * {@code {"_source": "...", "messageId", "publishTime", "attributes": {...}, "data": <JSON or a string>}},
 * and edits of them. Paths are dotted from the file's root: {@code data.incident.state},
 * {@code attributes.eventType}, {@code data.jsonPayload.featureAnomalies.0.deviation}; the editing itself is
 * {@link JsonFixtures}.
 */
final class GcpFixtures {

    private GcpFixtures() {
    }

    static JsonNode tree(String name) {
        return JsonFixtures.tree(JsonFixtures.read("/fixtures/gcp/" + name));
    }

    static PubSubMessage message(String name) {
        return message(tree(name));
    }

    /** The message a fixture stands for: JSON data is serialized, string data is taken as is. */
    static PubSubMessage message(JsonNode wrapper) {
        JsonNode d = wrapper.get("data");
        String data = d == null || d.isNull() ? "" : d.isTextual() ? d.asText() : JsonFixtures.json(d);
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode a = wrapper.get("attributes");
        if (a != null) a.fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asText()));
        JsonNode id = wrapper.get("messageId");
        JsonNode t = wrapper.get("publishTime");
        return new PubSubMessage(data, attributes, id == null ? null : id.asText(), t == null ? null : Instant.parse(t.asText()));
    }

    /** The fixture's message with the value at a dotted path set (a String, Number, Boolean, List, Map or JsonNode; null sets JSON null). */
    static PubSubMessage with(String name, String path, Object value) {
        return message(JsonFixtures.set(tree(name), path, value));
    }

    /** The fixture's message with the field at a dotted path removed. */
    static PubSubMessage without(String name, String path) {
        return message(JsonFixtures.remove(tree(name), path));
    }

    /** A message with the fixture's attributes, id and time, and other data. */
    static PubSubMessage withData(String name, String data) {
        PubSubMessage m = message(name);
        return new PubSubMessage(data, m.attributes(), m.messageId(), m.publishTime());
    }
}
