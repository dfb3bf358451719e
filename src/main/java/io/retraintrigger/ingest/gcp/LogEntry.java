package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;

import java.time.Instant;
import java.util.Map;

/**
 * A Cloud Logging {@code LogEntry} as a log sink exports it to Pub/Sub (the message data is the entry's
 * JSON): {@code logName} ({@code projects/P/logs/SERVICE%2FLOG}), {@code resource {type, labels}},
 * {@code jsonPayload} (with its {@code @type}), {@code timestamp}, {@code insertId}, {@code severity},
 * {@code labels}.
 * <p>
 * {@link #id()}: Cloud Logging treats entries of one project with the same {@code timestamp} and
 * {@code insertId} as duplicates, so the id is made of the three:
 * {@code log-entry:PROJECT/INSERT_ID#TIMESTAMP} (without the project when the log name has none, without
 * the timestamp when the entry has none; the timestamp is written in UTC as Java prints it). A sink that exports the same entry again, or Pub/Sub
 * redelivering it, gives the same id.
 */
record LogEntry(String logName, String insertId, Instant timestamp, String resourceType,
                Map<String, String> resourceLabels, Map<String, String> labels, JsonAt jsonPayload, JsonAt root) {
    /** The attribute a log sink puts on each Pub/Sub message: the entry's timestamp. */
    static final String TIMESTAMP_ATTRIBUTE = "logging.googleapis.com/timestamp";

    /** An object with a {@code logName}, or with both {@code insertId} and {@code resource}. */
    static boolean looksLike(JsonNode n) {
        return n.isObject() && (n.has("logName") || (n.has("insertId") && n.has("resource")));
    }

    /** The entry a log sink exported as the message's data; a parser called directly with other data refuses it here. */
    static LogEntry of(PubSubMessage m) {
        JsonNode n = JsonAt.read(m.data(), "log entry");
        if (!n.isObject()) throw JsonAt.invalid(GcpJson.DATA, "must be a Cloud Logging entry (a JSON object)");
        return of(GcpJson.data(n), m.attributes());
    }

    /**
     * @param attributes the Pub/Sub message's attributes: a log sink adds {@value #TIMESTAMP_ATTRIBUTE}, the
     *                   entry's timestamp, used when the entry itself has none
     */
    static LogEntry of(JsonAt n, Map<String, String> attributes) {
        String logName = n.optText("logName");
        String insertId = n.optText("insertId");
        String ts = n.optText("timestamp");
        Instant timestamp = ts == null ? null : GcpJson.instant(ts, n.where("timestamp"));
        String tsAttribute = GcpJson.attribute(attributes, TIMESTAMP_ATTRIBUTE);
        if (timestamp == null && tsAttribute != null) {
            timestamp = GcpJson.instant(tsAttribute, "attributes." + TIMESTAMP_ATTRIBUTE);
        }
        JsonAt resource = n.optObj("resource");
        String type = resource == null ? null : resource.optText("type");
        Map<String, String> resourceLabels = resource == null ? Map.of() : GcpJson.labels(resource, "labels");
        return new LogEntry(logName, insertId, timestamp, type, resourceLabels, GcpJson.labels(n, "labels"), n.optObj("jsonPayload"), n);
    }

    /** The log id: the part of the log name after {@code /logs/}, URL-decoded ({@code aiplatform.googleapis.com/pipeline_job_events}). */
    String logId() {
        if (logName == null) return null;
        int i = logName.indexOf("/logs/");
        String id = i < 0 ? logName : logName.substring(i + "/logs/".length());
        return id.replace("%2F", "/").replace("%2f", "/");
    }

    /** Whether the log id ends with the given log ({@code model_monitoring_anomaly}), whatever service wrote it. */
    boolean isLog(String log) {
        String id = logId();
        return id != null && (id.equals(log) || id.endsWith("/" + log));
    }

    /** The {@code @type} of the JSON payload, or null. */
    String payloadType() {
        return jsonPayload == null ? null : jsonPayload.optText("@type");
    }

    boolean payloadTypeIs(String simpleName) {
        String t = payloadType();
        return t != null && (t.equals(simpleName) || t.endsWith("." + simpleName) || t.endsWith("/" + simpleName));
    }

    /** The project of the log name ({@code projects/P/logs/...}), or null. */
    String project() {
        if (logName == null || !logName.startsWith("projects/")) return null;
        int end = logName.indexOf('/', "projects/".length());
        return end < 0 ? null : logName.substring("projects/".length(), end);
    }

    JsonAt payload() {
        if (jsonPayload == null) throw JsonAt.missing(root.where("jsonPayload"));
        return jsonPayload;
    }

    String id() {
        if (insertId == null) throw JsonAt.missing(root.where("insertId"));
        String p = project();
        return "log-entry:" + (p == null ? "" : p + "/") + insertId + (timestamp == null ? "" : "#" + timestamp);
    }

    /** The project a resource_container label names: {@code projects/123} or {@code my-project} both give the bare id. */
    static String container(String resourceContainer) {
        if (resourceContainer == null) return null;
        return resourceContainer.startsWith("projects/") ? resourceContainer.substring("projects/".length()) : resourceContainer;
    }

    String where(String field) {
        return root.where(field);
    }
}
