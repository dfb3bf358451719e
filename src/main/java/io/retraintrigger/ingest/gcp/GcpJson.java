package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is Google Cloud's own in reading Pub/Sub messages (the navigation itself is {@link JsonAt}): the
 * data's fields are named from {@code data} ({@code data.incident.state}), attributes as
 * {@code attributes.NAME}, times are RFC 3339, and drift scores and labels come in Google's forms.
 */
final class GcpJson {
    static final JsonAt.Dialect DIALECT = new JsonAt.Dialect(false, GcpJson::instant);
    /** Path prefix of the message data in refusals. */
    static final String DATA = "data";

    private GcpJson() {
    }

    /** The message data, its fields named from {@code data}. */
    static JsonAt data(JsonNode node) {
        return JsonAt.root(node, DATA, DIALECT);
    }

    /** Whether the data is meant as JSON (it opens an object or an array), as opposed to free text. */
    static boolean looksLikeJson(String data) {
        if (data == null) return false;
        String s = data.strip();
        return s.startsWith("{") || s.startsWith("[");
    }

    /** RFC 3339 with an offset (Google writes Z and up to nanoseconds). */
    static Instant instant(String value, String where) {
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw JsonAt.invalid(where, "'" + value + "' is not an RFC 3339 time");
        }
    }

    /** An attribute, null when absent or blank. */
    static String attribute(Map<String, String> attributes, String name) {
        String v = attributes == null ? null : attributes.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    static String requiredAttribute(Map<String, String> attributes, String name) {
        String v = attribute(attributes, name);
        if (v == null) throw JsonAt.missing("attributes." + name);
        return v;
    }

    /** Text for messages: one line, at most 80 characters. */
    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }

    /** A finite number >= 0 (a drift score), written as a JSON number or a numeric string. */
    static double score(JsonAt at, String field) {
        JsonNode v = at.raw(field);
        if (v == null) throw JsonAt.missing(at.where(field));
        Double d = number(v);
        if (d == null) throw JsonAt.invalid(at.where(field), "must be a number, was " + v);
        if (!Double.isFinite(d) || d < 0) throw JsonAt.invalid(at.where(field), "must be a finite number >= 0 (a drift score), was " + v);
        return d;
    }

    /** The string values of an object of labels ({@code {"k": "v"}}), empty when absent. */
    static Map<String, String> labels(JsonAt at, String field) {
        JsonAt o = at.optObj(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (o == null) return out;
        o.node().fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode() && !f.getValue().isNull()) out.put(f.getKey(), f.getValue().asText());
        });
        return out;
    }

    /** A JSON number, or a string holding one; null otherwise. */
    static Double number(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            String s = v.asText().trim();
            if (s.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) return Double.parseDouble(s);
        }
        return null;
    }
}
