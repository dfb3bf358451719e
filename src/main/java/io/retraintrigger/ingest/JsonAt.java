package io.retraintrigger.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.retraintrigger.model.BadInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A JSON value and its path in the message ({@code Message.detail.object.key}, {@code data.incident.state},
 * {@code [1].data.url}), shared by the cloud parsers so that every refusal names the full path of the field it
 * is about: a missing field is {@code 422 missing field: <path>}, a wrong one {@code 422 invalid field <path>: why}.
 * What differs between the clouds (how they write times, whether field names match ignoring case) is their
 * {@link Dialect}; children inherit the dialect of their parent.
 */
public final class JsonAt {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads the text of a time field; {@code where} is the field's path, for the refusal. */
    @FunctionalInterface
    public interface TimeFormat {
        Instant parse(String value, String where);
    }

    /**
     * How one cloud writes its messages.
     *
     * @param fieldNamesIgnoreCase whether a field may be spelled in another case (Azure ML writes {@code runId}
     *                             and {@code RunId}); refusals then name the field as the message spells it
     * @param times                how the cloud writes times
     */
    public record Dialect(boolean fieldNamesIgnoreCase, TimeFormat times) {
    }

    private final JsonNode node;
    private final String path;
    private final Dialect dialect;

    private JsonAt(JsonNode node, String path, Dialect dialect) {
        this.node = node;
        this.path = path;
        this.dialect = dialect;
    }

    /** The whole message (or a part of it that has its own path, e.g. an SNS {@code Message}). */
    public static JsonAt root(JsonNode node, String path, Dialect dialect) {
        return new JsonAt(node, path == null ? "" : path, dialect);
    }

    /** Malformed or empty JSON is a 400; {@code what} names the text in the message, e.g. {@code alarm message}. */
    public static JsonNode read(String body, String what) {
        if (body == null || body.isBlank()) throw new BadInputException(400, "malformed JSON: empty " + what);
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || n.isMissingNode()) throw new BadInputException(400, "malformed JSON: empty " + what);
            return n;
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "malformed JSON in " + what + ": " + e.getOriginalMessage());
        }
    }

    public static BadInputException missing(String where) {
        return new BadInputException(422, "missing field: " + where);
    }

    public static BadInputException invalid(String where, String why) {
        return new BadInputException(422, "invalid field " + where + ": " + why);
    }

    public JsonNode node() {
        return node;
    }

    public String path() {
        return path;
    }

    /** The path of a field of this value, as the caller names it. */
    public String where(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** The path of a field as the message spells it (differs from {@link #where} only for a dialect that ignores case). */
    public String whereActual(String field) {
        Map.Entry<String, JsonNode> e = node.isObject() ? entry(field) : null;
        return where(e == null ? field : e.getKey());
    }

    private Map.Entry<String, JsonNode> entry(String field) {
        JsonNode exact = node.get(field);
        if (exact != null) return Map.entry(field, exact);
        if (!dialect.fieldNamesIgnoreCase()) return null;
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(field)) return e;
        }
        return null;
    }

    public boolean has(String field) {
        return raw(field) != null;
    }

    /** The value of the field; null when absent or JSON null. */
    public JsonNode raw(String field) {
        if (!node.isObject()) return null;
        Map.Entry<String, JsonNode> e = entry(field);
        return e == null || e.getValue().isNull() ? null : e.getValue();
    }

    private JsonAt child(JsonNode v, String childPath) {
        return new JsonAt(v, childPath, dialect);
    }

    public JsonAt obj(String field) {
        JsonNode v = raw(field);
        if (v == null) throw missing(whereActual(field));
        if (!v.isObject()) throw invalid(whereActual(field), "must be an object");
        return child(v, whereActual(field));
    }

    public JsonAt optObj(String field) {
        JsonNode v = raw(field);
        if (v == null) return null;
        if (!v.isObject()) throw invalid(whereActual(field), "must be an object");
        return child(v, whereActual(field));
    }

    public List<JsonAt> array(String field) {
        JsonNode v = raw(field);
        if (v == null) throw missing(whereActual(field));
        return child(v, whereActual(field)).elements();
    }

    /** The elements of an array field; empty when absent. */
    public List<JsonAt> optArray(String field) {
        JsonNode v = raw(field);
        return v == null ? List.of() : child(v, whereActual(field)).elements();
    }

    /** The elements of this value, which must be an array, each with its index in the path ({@code Records[0]}). */
    public List<JsonAt> elements() {
        if (!node.isArray()) throw invalid(path, "must be an array");
        List<JsonAt> out = new ArrayList<>();
        Iterator<JsonNode> it = node.elements();
        for (int i = 0; it.hasNext(); i++) out.add(child(it.next(), path + "[" + i + "]"));
        return out;
    }

    public String text(String field) {
        String v = optText(field);
        if (v == null) throw missing(whereActual(field));
        return v;
    }

    /** Null when absent, null or blank; a number or boolean is read as its text. */
    public String optText(String field) {
        JsonNode v = raw(field);
        if (v == null) return null;
        if (!v.isValueNode()) throw invalid(whereActual(field), "must be a string");
        String s = v.asText();
        return s.isBlank() ? null : s;
    }

    /** A whole number >= 0, written as a JSON number or as a string of digits (Google's int64 in JSON). */
    public long wholeNumber(String field) {
        JsonNode v = raw(field);
        if (v == null) throw missing(whereActual(field));
        return wholeNumber(v, whereActual(field));
    }

    public static long wholeNumber(JsonNode v, String where) {
        long n;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            n = v.asLong();
        } else if (v.isTextual() && v.asText().trim().matches("-?\\d{1,18}")) {
            n = Long.parseLong(v.asText().trim());
        } else {
            throw invalid(where, "must be a whole number, was " + v);
        }
        if (n < 0) throw invalid(where, "must be >= 0, was " + n);
        return n;
    }

    public Instant time(String field) {
        return dialect.times().parse(text(field), whereActual(field));
    }

    public Instant optTime(String field) {
        String v = optText(field);
        return v == null ? null : dialect.times().parse(v, whereActual(field));
    }

    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Field names for an error message, cut after 12 so that a large unknown message keeps the message short. */
    public String describeFields() {
        List<String> fields = fieldNames();
        return fields.size() > 12 ? fields.subList(0, 12) + " (and " + (fields.size() - 12) + " more)" : fields.toString();
    }
}
