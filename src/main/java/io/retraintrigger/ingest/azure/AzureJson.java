package io.retraintrigger.ingest.azure;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.BadInputException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * What is Azure's own in reading its messages (the navigation itself is {@link JsonAt}): field names match
 * ignoring case, times may lack an offset, numbers may come as strings, and Service Bus application
 * properties are read by name.
 */
final class AzureJson {
    /** Azure ML writes {@code runId} and {@code RunId}, so field names match ignoring case. */
    static final JsonAt.Dialect DIALECT = new JsonAt.Dialect(true, AzureJson::instant);

    private AzureJson() {
    }

    /** A message at the given path; "" for the whole message, whose events are then {@code [0]}, {@code [1]}. */
    static JsonAt root(JsonNode node, String path) {
        return JsonAt.root(node, path, DIALECT);
    }

    static BadInputException unrecognized(String what) {
        return new BadInputException(422, "unrecognized Azure message: " + what);
    }

    /**
     * ISO-8601 with an offset ({@code Z} or {@code +00:00}, up to 9 fraction digits as Event Grid sends
     * 7); a time without an offset (some Azure Storage policy events) is read as UTC.
     */
    static Instant instant(String value, String where) {
        String v = value.trim();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw JsonAt.invalid(where, "'" + value + "' is not an ISO-8601 time");
            }
        }
    }

    /** A finite number (a JSON number, or a string holding one); null when absent. */
    static Double optNumber(JsonAt at, String field) {
        JsonNode v = at.raw(field);
        if (v == null) return null;
        double d;
        if (v.isNumber()) {
            d = v.asDouble();
        } else if (v.isTextual()) {
            try {
                d = Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                throw JsonAt.invalid(at.whereActual(field), "must be a number, was " + v);
            }
        } else {
            throw JsonAt.invalid(at.whereActual(field), "must be a number, was " + v);
        }
        if (!Double.isFinite(d)) throw JsonAt.invalid(at.whereActual(field), "must be a finite number, was " + v);
        return d;
    }

    /** Application property of a Service Bus message as text (null when absent or blank). */
    static String property(Map<String, Object> properties, String name) {
        if (properties == null) return null;
        Object v = properties.get(name);
        if (v == null) {
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    v = e.getValue();
                    break;
                }
            }
        }
        if (v == null) return null;
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }
}
