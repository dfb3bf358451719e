package io.retraintrigger.ingest.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.testing.JsonFixtures;

/**
 * The documented AWS sample payloads under src/test/resources/fixtures/aws, and edits of them at dotted paths
 * ({@code detail.object.key}, {@code Records.0.eventName}); the editing itself is {@link JsonFixtures}.
 */
final class Fixtures {

    private Fixtures() {
    }

    static String read(String name) {
        return JsonFixtures.read("/fixtures/aws/" + name);
    }

    /** The fixture with the field at a dotted path removed. */
    static String without(String name, String path) {
        return JsonFixtures.json(JsonFixtures.remove(JsonFixtures.tree(read(name)), path));
    }

    /** The fixture with the field at a dotted path set to a value (a String, Number, Boolean or JsonNode). */
    static String with(String name, String path, Object value) {
        return with(JsonFixtures.tree(read(name)), path, value);
    }

    static String with(JsonNode root, String path, Object value) {
        return JsonFixtures.json(JsonFixtures.set(root, path, value));
    }

    /** An SNS envelope fixture whose Message is replaced. */
    static String snsWith(String envelopeFixture, String message) {
        return with(envelopeFixture, "Message", message);
    }
}
