package io.retraintrigger.ingest.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * What is AWS's own in reading its messages (the navigation itself is {@link JsonAt}): field names match
 * exactly, and times come in the several forms AWS services write them.
 */
final class AwsJson {
    static final JsonAt.Dialect DIALECT = new JsonAt.Dialect(false, AwsJson::instant);
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{10,}");
    /** CloudWatch writes offsets without a colon: 2019-10-02T17:04:40.989+0000. */
    private static final Pattern OFFSET_WITHOUT_COLON = Pattern.compile("(.*[+-])(\\d{2})(\\d{2})$");

    private AwsJson() {
    }

    /** A message (or, for an SNS envelope, its {@code Message}) at the given path; "" for the whole message. */
    static JsonAt root(JsonNode node, String path) {
        return JsonAt.root(node, path, DIALECT);
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
            throw JsonAt.invalid(where, "'" + value + "' is not an ISO-8601 time");
        }
    }
}
