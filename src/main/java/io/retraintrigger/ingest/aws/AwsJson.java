package io.retraintrigger.ingest.aws;

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
import java.util.regex.Pattern;

/**
 * JSON reading shared by the AWS parsers: a node travels with its path in the message (for an SNS
 * envelope, {@code Message.detail.object.key}), so that every refusal names the field it is about.
 */
final class AwsJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{10,}");
    /** CloudWatch writes offsets without a colon: 2019-10-02T17:04:40.989+0000. */
    private static final Pattern OFFSET_WITHOUT_COLON = Pattern.compile("(.*[+-])(\\d{2})(\\d{2})$");

    private AwsJson() {
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

    /** ISO-8601 with an offset (Z, +00:00 or CloudWatch's +0000), or epoch milliseconds as some SageMaker events send. */
    static Instant instant(String value, String where) {
        String v = value.trim();
        try {
            if (EPOCH_MILLIS.matcher(v).matches()) return Instant.ofEpochMilli(Long.parseLong(v));
            var m = OFFSET_WITHOUT_COLON.matcher(v);
            if (m.matches() && v.contains("T")) v = m.group(1) + m.group(2) + ":" + m.group(3);
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw invalid(where, "'" + value + "' is not an ISO-8601 time");
        }
    }

    /** A JSON value and its path in the message. */
    record At(JsonNode node, String path) {

        static At root(JsonNode node, String path) {
            return new At(node, path == null ? "" : path);
        }

        String where(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        boolean has(String field) {
            JsonNode v = node.get(field);
            return v != null && !v.isNull();
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
            return elements(v, where(field));
        }

        List<At> optArray(String field) {
            JsonNode v = raw(field);
            return v == null ? List.of() : elements(v, where(field));
        }

        private static List<At> elements(JsonNode v, String where) {
            if (!v.isArray()) throw invalid(where, "must be an array");
            List<At> out = new ArrayList<>();
            Iterator<JsonNode> it = v.elements();
            for (int i = 0; it.hasNext(); i++) out.add(new At(it.next(), where + "[" + i + "]"));
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

        long wholeNumber(String field) {
            JsonNode v = raw(field);
            if (v == null) throw missing(where(field));
            long n;
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                n = v.asLong();
            } else if (v.isTextual() && v.asText().trim().matches("\\d{1,18}")) {
                n = Long.parseLong(v.asText().trim());
            } else {
                throw invalid(where(field), "must be a whole number, was " + v);
            }
            if (n < 0) throw invalid(where(field), "must be >= 0, was " + n);
            return n;
        }

        Instant time(String field) {
            return instant(text(field), where(field));
        }

        Instant optTime(String field) {
            String v = optText(field);
            return v == null ? null : instant(v, where(field));
        }

        List<String> fieldNames() {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }
}
