package io.retraintrigger.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CloudEvents 1.0 over HTTP, structured mode ({@code application/cloudevents+json}) and binary mode
 * ({@code ce-*} headers, the body is the data), for the four event types of retrain-trigger (an
 * export's lines, {@link CloudEventLines}, parse back with it). Pure: no Camel, no CDI.
 */
public final class CloudEventParser {
    /** Bounds of the attributes taken (characters): a longer one is refused with the limit it broke. */
    static final int MAX_ID = 512;
    static final int MAX_SOURCE = 1024;
    static final int MAX_TYPE = 256;
    static final int MAX_PIPELINE = 200;
    static final int MAX_URI = 2048;

    public static final String DATA_ARRIVED = "io.retraintrigger.data.arrived";
    public static final String DRIFT_DETECTED = "io.retraintrigger.drift.detected";
    public static final String SCHEDULE_TICK = "io.retraintrigger.schedule.tick";
    public static final String ALERT_RESOLVED = "io.retraintrigger.alert.resolved";
    /** The types this parser takes, as an unknown type's refusal lists them. */
    static final List<String> TYPES = List.of(DATA_ARRIVED, DRIFT_DETECTED, SCHEDULE_TICK, ALERT_RESOLVED);
    private static final Pattern DATA_URI = Pattern.compile("(s3|gs)://[^/\\s]+/\\S*|https://[a-z0-9]+\\.blob\\.core\\.windows\\.net/\\S+");

    private final ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    /**
     * @param contentType the request's Content-Type (may be null)
     * @param headers     request headers, names in any case
     */
    public TriggerEvent parse(String contentType, Map<String, String> headers, String body) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String specversion;
        String id;
        String source;
        String type;
        String time;
        JsonNode data;
        if (mediaType.equals("application/cloudevents+json")) {
            JsonNode ce = json(body, "event");
            if (!ce.isObject()) throw new BadInputException(400, "malformed event: a structured CloudEvent must be a JSON object");
            specversion = text(ce, "specversion");
            id = text(ce, "id");
            source = text(ce, "source");
            type = text(ce, "type");
            time = text(ce, "time");
            data = ce.get("data");
            if (data == null && ce.hasNonNull("data_base64")) {
                throw new BadInputException(415, "unsupported data_base64: send data as JSON");
            }
        } else if (mediaType.equals("application/cloudevents-batch+json")) {
            throw new BadInputException(415, "unsupported content type application/cloudevents-batch+json: send one event per request");
        } else if (header(headers, "ce-specversion") != null || header(headers, "ce-type") != null) {
            if (!mediaType.isEmpty() && !mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
                throw new BadInputException(415, "unsupported content type '" + mediaType + "': binary-mode data must be application/json");
            }
            specversion = header(headers, "ce-specversion");
            id = header(headers, "ce-id");
            source = header(headers, "ce-source");
            type = header(headers, "ce-type");
            time = header(headers, "ce-time");
            data = body == null || body.isBlank() ? null : json(body, "data");
        } else {
            throw new BadInputException(415, "not a CloudEvent: send Content-Type application/cloudevents+json, or ce-* headers with application/json data");
        }
        require(specversion, "specversion");
        if (!specversion.equals("1.0")) throw new BadInputException(400, "unsupported specversion '" + specversion + "': only 1.0");
        require(id, "id");
        require(source, "source");
        require(type, "type");
        bounded(id, "id", MAX_ID);
        bounded(source, "source", MAX_SOURCE);
        bounded(type, "type", MAX_TYPE);
        Instant at = time == null ? null : instant(time);
        if (data == null || data.isNull()) throw new BadInputException(422, "missing data");
        if (!data.isObject()) throw new BadInputException(422, "invalid data: must be a JSON object");
        String pipeline = optionalText(data, "pipeline");
        if (pipeline != null) bounded(pipeline, "data.pipeline", MAX_PIPELINE);
        return switch (type) {
            case DATA_ARRIVED -> {
                String uri = requiredText(data, "uri");
                bounded(uri, "data.uri", MAX_URI); // object keys are at most 1,024 bytes on S3, GCS and Blob Storage
                if (!DATA_URI.matcher(uri).matches()) {
                    throw new BadInputException(422, "invalid field uri: '" + uri + "' is not an s3://, gs:// or https://<account>.blob.core.windows.net/ object URI");
                }
                long size = 0;
                JsonNode s = data.get("sizeBytes");
                if (s != null && !s.isNull()) {
                    if (!s.isIntegralNumber() || s.asLong() < 0) {
                        throw new BadInputException(422, "invalid field sizeBytes: must be a whole number >= 0, was " + s);
                    }
                    size = s.asLong();
                }
                yield TriggerEvent.dataArrival(id, Cloud.LOCAL, source, pipeline, at, uri, size);
            }
            case DRIFT_DETECTED -> {
                JsonNode features = data.get("features");
                if (features == null || features.isNull()) throw new BadInputException(422, "missing field: features");
                if (!features.isArray() || features.isEmpty()) throw new BadInputException(422, "invalid field features: must be a non-empty array");
                List<FeatureScore> scores = new ArrayList<>();
                for (int i = 0; i < features.size(); i++) {
                    scores.add(feature(features.get(i), i));
                }
                String monitor = optionalText(data, "monitor");
                if (pipeline == null && monitor == null) throw new BadInputException(422, "missing field: pipeline");
                yield TriggerEvent.driftAlert(id, Cloud.LOCAL, source, pipeline, at, scores, monitor);
            }
            case SCHEDULE_TICK -> TriggerEvent.scheduleTick(id, Cloud.LOCAL, source, requiredText(data, "pipeline"), at);
            case ALERT_RESOLVED -> {
                String monitor = optionalText(data, "monitor");
                if (pipeline == null && monitor == null) throw new BadInputException(422, "missing field: pipeline");
                yield TriggerEvent.alertResolved(id, Cloud.LOCAL, source, pipeline, at, monitor, attributes(data.get("attributes")));
            }
            default -> throw new BadInputException(400, "unknown event type '" + type + "'; known: " + TYPES);
        };
    }

    private static void bounded(String value, String field, int max) {
        if (value.length() > max) {
            throw new BadInputException(422, "invalid field " + field + ": " + value.length() + " characters, at most " + max);
        }
    }

    /** An alert's attributes: absent, or an object whose values are strings. */
    private static Map<String, String> attributes(JsonNode a) {
        if (a == null || a.isNull()) return Map.of();
        if (!a.isObject()) throw new BadInputException(422, "invalid field attributes: must be an object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new BadInputException(422, "invalid field attributes." + f.getKey() + ": must be a string, was " + f.getValue().getNodeType());
            }
            out.put(f.getKey(), f.getValue().asText());
        }
        return out;
    }

    private static FeatureScore feature(JsonNode f, int i) {
        String where = "features[" + i + "]";
        if (f == null || !f.isObject()) throw new BadInputException(422, "invalid field " + where + ": must be an object with name and score");
        JsonNode name = f.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) throw new BadInputException(422, "missing field: " + where + ".name");
        JsonNode score = f.get("score");
        String label = where + ".score (" + name.asText() + ")";
        if (score == null || score.isNull()) throw new BadInputException(422, "missing field: " + label);
        if (!score.isNumber()) throw new BadInputException(422, "invalid field " + label + ": not a number: " + score);
        double v = score.asDouble();
        if (Double.isNaN(v)) throw new BadInputException(422, "invalid field " + label + ": NaN");
        if (Double.isInfinite(v)) throw new BadInputException(422, "invalid field " + label + ": infinite");
        if (v < 0) throw new BadInputException(422, "invalid field " + label + ": negative (" + v + ")");
        return new FeatureScore(name.asText(), v);
    }

    private JsonNode json(String body, String what) {
        if (body == null || body.isBlank()) throw new BadInputException(400, "malformed JSON: empty " + what);
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static String header(Map<String, String> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() || v.asText().isBlank()) throw new BadInputException(422, "invalid field " + field + ": must be a non-empty string");
        return v.asText();
    }

    private static String requiredText(JsonNode n, String field) {
        String v = optionalText(n, field);
        if (v == null) throw new BadInputException(422, "missing field: " + field);
        return v;
    }

    private static void require(String value, String attribute) {
        if (value == null || value.isBlank()) throw new BadInputException(400, "missing CloudEvents attribute: " + attribute);
    }

    static Instant instant(String time) {
        Instant utc = utc(time);
        if (utc != null) return utc;
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadInputException(400, "invalid CloudEvents attribute time: '" + time + "' is not RFC 3339");
        }
    }

    /**
     * The common form {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} read by hand (OffsetDateTime.parse was a tenth of a
     * replay's time); null for any other form, which OffsetDateTime.parse reads (or refuses).
     */
    private static Instant utc(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') return null;
        int year = digits(t, 0, 4), month = digits(t, 5, 7), day = digits(t, 8, 10);
        int hour = digits(t, 11, 13), minute = digits(t, 14, 16), second = digits(t, 17, 19);
        int nanos = 0;
        if (n > 20) {
            if (t.charAt(19) != '.' || n == 21) return null;
            int f = digits(t, 20, n - 1);
            if (f < 0) return null;
            nanos = f;
            for (int i = n - 1 - 20; i < 9; i++) nanos *= 10;
        } else if (t.charAt(19) != 'Z') {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) return null;
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number of characters [from, to), or -1 if one is not a digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
