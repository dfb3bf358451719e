package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.ingest.BadInputException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON reading shared by the Google Cloud parsers. A node travels with its path in the Pub/Sub
 * message ({@code data.incident.state}, {@code data.jsonPayload.featureAnomalies[0].deviation}), and
 * attributes are named {@code attributes.NAME}, so that every refusal names the field it is about.
 */
final class GcpJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Path prefix of the message data in refusals. */
    static final String DATA = "data";

    private GcpJson() {
    }

    /** The data as JSON: malformed JSON is a 400; empty data is the caller's business. */
    static JsonNode read(String data, String what) {
        if (data == null || data.isBlank()) throw new BadInputException(400, "malformed JSON: empty " + what);
        try {
            JsonNode n = MAPPER.readTree(data);
            if (n == null || n.isMissingNode()) throw new BadInputException(400, "malformed JSON: empty " + what);
            return n;
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "malformed JSON in " + what + ": " + e.getOriginalMessage());
        }
    }

    /** Whether the data is meant as JSON (it opens an object or an array), as opposed to free text. */
    static boolean looksLikeJson(String data) {
        if (data == null) return false;
        String s = data.strip();
        return s.startsWith("{") || s.startsWith("[");
    }

    static BadInputException missing(String where) {
        return new BadInputException(422, "missing field: " + where);
    }

    static BadInputException invalid(String where, String why) {
        return new BadInputException(422, "invalid field " + where + ": " + why);
    }

    /** RFC 3339 with an offset (Google writes Z and up to nanoseconds). */
    static Instant instant(String value, String where) {
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(where, "'" + value + "' is not an RFC 3339 time");
        }
    }

    /** An attribute, null when absent or blank. */
    static String attribute(Map<String, String> attributes, String name) {
        String v = attributes == null ? null : attributes.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    static String requiredAttribute(Map<String, String> attributes, String name) {
        String v = attribute(attributes, name);
        if (v == null) throw missing("attributes." + name);
        return v;
    }

    /** Text for messages: one line, at most 80 characters. */
    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }

    /** A JSON value and its path in the message. */
    record At(JsonNode node, String path) {

        static At data(JsonNode node) {
            return new At(node, DATA);
        }

        String where(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        JsonNode raw(String field) {
            JsonNode v = node.get(field);
            return v == null || v.isNull() ? null : v;
        }

        At obj(String field) {
            JsonNode v = raw(field);
            if (v == null) throw missing(where(field));
            if (!v.isObject()) throw invalid(where(field), "must be an object");
            return new At(v, where(field));
        }

        At optObj(String field) {
            JsonNode v = raw(field);
            if (v == null) return null;
            if (!v.isObject()) throw invalid(where(field), "must be an object");
            return new At(v, where(field));
        }

        List<At> array(String field) {
            JsonNode v = raw(field);
            if (v == null) throw missing(where(field));
            if (!v.isArray()) throw invalid(where(field), "must be an array");
            List<At> out = new ArrayList<>();
            Iterator<JsonNode> it = v.elements();
            for (int i = 0; it.hasNext(); i++) out.add(new At(it.next(), where(field) + "[" + i + "]"));
            return out;
        }

        String text(String field) {
            String v = optText(field);
            if (v == null) throw missing(where(field));
            return v;
        }

        /** Null when absent, null or blank; a number or boolean is read as its text. */
        String optText(String field) {
            JsonNode v = raw(field);
            if (v == null) return null;
            if (!v.isValueNode()) throw invalid(where(field), "must be a string");
            String s = v.asText();
            return s.isBlank() ? null : s;
        }

        /** A whole number >= 0, written as a JSON number or as a string of digits (Google's int64 in JSON). */
        long wholeNumber(String field) {
            JsonNode v = raw(field);
            if (v == null) throw missing(where(field));
            return wholeNumber(v, where(field));
        }

        static long wholeNumber(JsonNode v, String where) {
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

        /** A finite number >= 0 (a drift score), written as a JSON number or a numeric string. */
        double score(String field) {
            JsonNode v = raw(field);
            if (v == null) throw missing(where(field));
            Double d = number(v);
            if (d == null) throw invalid(where(field), "must be a number, was " + v);
            if (!Double.isFinite(d) || d < 0) throw invalid(where(field), "must be a finite number >= 0 (a drift score), was " + v);
            return d;
        }

        Instant optTime(String field) {
            String v = optText(field);
            return v == null ? null : instant(v, where(field));
        }

        /** The string values of an object of labels ({@code {"k": "v"}}), empty when absent. */
        Map<String, String> labels(String field) {
            At o = optObj(field);
            Map<String, String> out = new java.util.LinkedHashMap<>();
            if (o == null) return out;
            o.node().fields().forEachRemaining(f -> {
                if (f.getValue().isValueNode() && !f.getValue().isNull()) out.put(f.getKey(), f.getValue().asText());
            });
            return out;
        }

        List<String> fieldNames() {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }
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

    /** Field names for messages, at most 12. */
    static String fields(List<String> names) {
        return names.size() > 12 ? names.subList(0, 12) + " (and " + (names.size() - 12) + " more)" : names.toString();
    }
}
