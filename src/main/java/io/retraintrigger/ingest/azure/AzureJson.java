package io.retraintrigger.ingest.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.ingest.BadInputException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON reading shared by the Azure parsers: a node travels with its path in the message (for an Event
 * Grid batch, {@code [1].data.url}), so that every refusal names the field it is about.
 */
final class AzureJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private AzureJson() {
    }

    /** Malformed or empty JSON is a 400. */
    static JsonNode read(String body, String what) {
        if (body == null || body.isBlank()) throw new BadInputException(400, "malformed JSON: empty " + what);
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || n.isMissingNode()) throw new BadInputException(400, "malformed JSON: empty " + what);
            return n;
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "malformed JSON in " + what + ": " + e.getOriginalMessage());
        }
    }

    static BadInputException missing(String where) {
        return new BadInputException(422, "missing field: " + where);
    }

    static BadInputException invalid(String where, String why) {
        return new BadInputException(422, "invalid field " + where + ": " + why);
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
                throw invalid(where, "'" + value + "' is not an ISO-8601 time");
            }
        }
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

    /** A JSON value and its path in the message. */
    record At(JsonNode node, String path) {

        static At root(JsonNode node, String path) {
            return new At(node, path == null ? "" : path);
        }

        String where(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        /** The field, or one whose name differs only in case (Azure ML writes {@code runId} and {@code RunId}). */
        private Map.Entry<String, JsonNode> entry(String field) {
            JsonNode exact = node.get(field);
            if (exact != null) return Map.entry(field, exact);
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equalsIgnoreCase(field)) return e;
            }
            return null;
        }

        boolean has(String field) {
            return raw(field) != null;
        }

        /** The value of the field (matched ignoring case when there is no exact match); null when absent or null. */
        JsonNode raw(String field) {
            if (!node.isObject()) return null;
            Map.Entry<String, JsonNode> e = entry(field);
            return e == null || e.getValue().isNull() ? null : e.getValue();
        }

        /** The path of a field as the message spells it. */
        String whereActual(String field) {
            Map.Entry<String, JsonNode> e = node.isObject() ? entry(field) : null;
            return where(e == null ? field : e.getKey());
        }

        At obj(String field) {
            JsonNode v = raw(field);
            if (v == null) throw missing(whereActual(field));
            if (!v.isObject()) throw invalid(whereActual(field), "must be an object");
            return new At(v, whereActual(field));
        }

        At optObj(String field) {
            JsonNode v = raw(field);
            if (v == null) return null;
            if (!v.isObject()) throw invalid(whereActual(field), "must be an object");
            return new At(v, whereActual(field));
        }

        List<At> optArray(String field) {
            JsonNode v = raw(field);
            return v == null ? List.of() : elements(v, whereActual(field));
        }

        static List<At> elements(JsonNode v, String where) {
            if (!v.isArray()) throw invalid(where, "must be an array");
            List<At> out = new ArrayList<>();
            Iterator<JsonNode> it = v.elements();
            for (int i = 0; it.hasNext(); i++) out.add(new At(it.next(), where + "[" + i + "]"));
            return out;
        }

        String text(String field) {
            String v = optText(field);
            if (v == null) throw missing(whereActual(field));
            return v;
        }

        /** Null when absent, null or blank; a number or boolean is read as its text. */
        String optText(String field) {
            JsonNode v = raw(field);
            if (v == null) return null;
            if (!v.isValueNode()) throw invalid(whereActual(field), "must be a string");
            String s = v.asText();
            return s.isBlank() ? null : s;
        }

        /** A whole number >= 0, as a JSON number or a numeric string. */
        long wholeNumber(String field) {
            JsonNode v = raw(field);
            if (v == null) throw missing(whereActual(field));
            long n;
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                n = v.asLong();
            } else if (v.isTextual() && v.asText().trim().matches("-?\\d{1,18}")) {
                n = Long.parseLong(v.asText().trim());
            } else {
                throw invalid(whereActual(field), "must be a whole number, was " + v);
            }
            if (n < 0) throw invalid(whereActual(field), "must be >= 0, was " + n);
            return n;
        }

        /** A finite number (a JSON number, or a string holding one); null when absent. */
        Double optNumber(String field) {
            JsonNode v = raw(field);
            if (v == null) return null;
            double d;
            if (v.isNumber()) {
                d = v.asDouble();
            } else if (v.isTextual()) {
                try {
                    d = Double.parseDouble(v.asText().trim());
                } catch (NumberFormatException e) {
                    throw invalid(whereActual(field), "must be a number, was " + v);
                }
            } else {
                throw invalid(whereActual(field), "must be a number, was " + v);
            }
            if (!Double.isFinite(d)) throw invalid(whereActual(field), "must be a finite number, was " + v);
            return d;
        }

        Instant time(String field) {
            return instant(text(field), whereActual(field));
        }

        Instant optTime(String field) {
            String v = optText(field);
            return v == null ? null : instant(v, whereActual(field));
        }

        List<String> fieldNames() {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }

        /** Field names for an error message, cut after 12. */
        String describeFields() {
            List<String> fields = fieldNames();
            return fields.size() > 12 ? fields.subList(0, 12) + " (and " + (fields.size() - 12) + " more)" : fields.toString();
        }
    }
}
