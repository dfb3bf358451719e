package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.Digests;
import io.retraintrigger.model.TriggerEvent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic Amazon S3 event notifications ({@code {"Records":[...]}}, event structure 2.x) as delivered
 * to an SQS queue, directly or inside an SNS envelope, and the {@code s3:TestEvent} message S3 sends
 * when a notification configuration is set.
 * <ul>
 *   <li>{@code ObjectCreated:*}: one data arrival per record. The object key is URL-encoded in these
 *   messages ("red flower.jpg" arrives as "red+flower.jpg", "/" as %2F): it is decoded.</li>
 *   <li>any other event name (ObjectRemoved, ObjectRestore, Replication, ...): ignored.</li>
 *   <li>{@code s3:TestEvent}: ignored (acknowledged, counted, not a dead letter).</li>
 * </ul>
 * The id of a record is {@code s3://bucket/key#sequencer}: S3 gives every PUT and DELETE of a key a
 * sequencer, and a redelivered notification carries the same one, so the id is stable across
 * redeliveries (and across an SNS fan-out, whose MessageId would differ per topic) and differs for two
 * writes of the same key. Without a sequencer the S3 request id ({@code x-amz-request-id}) takes its
 * place, then the event time. Ids longer than {@value #MAX_KEY_IN_ID} characters of key carry a
 * SHA-256 of the key instead. Pure: no Camel, no CDI.
 */
public final class S3NotificationParser {
    public static final String SOURCE = "aws:s3";
    public static final String TEST_EVENT = "s3:TestEvent";
    static final int MAX_KEY_IN_ID = 300;

    /** One SQS message body: {@code {"Records":[...]}} or the S3 test message. */
    public List<TriggerEvent> parse(String body) {
        return parse(AwsJson.root(JsonAt.read(body, "message"), ""), null);
    }

    static boolean looksLike(JsonAt n) {
        return n.node().isObject() && (n.node().has("Records") || isTestEvent(n));
    }

    static boolean isTestEvent(JsonAt n) {
        return n.node().isObject() && TEST_EVENT.equals(n.node().path("Event").asText(null));
    }

    /**
     * @param fallbackId the SNS MessageId when the message came in an SNS envelope (an id for a test
     *                   event that carries no RequestId), else null
     */
    List<TriggerEvent> parse(JsonAt n, String fallbackId) {
        if (isTestEvent(n)) return List.of(testEvent(n, fallbackId));
        if (!n.node().isObject() || !n.node().has("Records")) {
            throw new BadInputException(422, "unrecognized AWS message: expected S3 event notification Records or an s3:TestEvent, got fields " + n.fieldNames());
        }
        List<JsonAt> records = n.array("Records");
        if (records.isEmpty()) throw JsonAt.invalid(n.where("Records"), "no records");
        List<TriggerEvent> events = new ArrayList<>();
        for (JsonAt r : records) events.add(record(r));
        return events;
    }

    private static TriggerEvent testEvent(JsonAt n, String fallbackId) {
        String bucket = n.optText("Bucket");
        String requestId = n.optText("RequestId");
        Instant at = n.optTime("Time");
        String id = requestId != null ? "s3-test-event:" + requestId
                : fallbackId != null ? fallbackId
                : "s3-test-event:" + bucket + "@" + n.text("Time");
        return TriggerEvent.ignored(id, Cloud.AWS, SOURCE, at,
                "S3 test event" + (bucket == null ? "" : " for bucket " + bucket) + ": sent when a notification configuration is set; asks for no training");
    }

    private static TriggerEvent record(JsonAt r) {
        if (!r.node().isObject()) throw JsonAt.invalid(r.path(), "must be an object");
        String source = r.text("eventSource");
        if (!SOURCE.equals(source)) {
            throw new BadInputException(422, "unrecognized AWS message: " + r.where("eventSource") + " is '" + source + "', expected '" + SOURCE + "'");
        }
        String eventName = r.text("eventName");
        Instant at = r.time("eventTime");
        JsonAt s3 = r.obj("s3");
        String bucket = s3.obj("bucket").text("name");
        JsonAt object = s3.obj("object");
        String encodedKey = object.text("key");
        String key = decode(encodedKey, object.where("key"));
        String uri = "s3://" + bucket + "/" + key;
        String id = id(bucket, key, r, object, at);
        String event = eventName.startsWith("s3:") ? eventName.substring(3) : eventName;
        if (event.startsWith("ObjectCreated:")) {
            long size = object.wholeNumber("size");
            return TriggerEvent.dataArrival(id, Cloud.AWS, SOURCE, null, at, uri, size);
        }
        return TriggerEvent.ignored(id, Cloud.AWS, SOURCE, at, "S3 event " + event + " on " + uri + " asks for no training");
    }

    /** Keys are form-encoded: '+' is a space, %XX a byte of the UTF-8 key. */
    static String decode(String key, String where) {
        try {
            return URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw JsonAt.invalid(where, "'" + key + "' is not a URL-encoded key: " + e.getMessage());
        }
    }

    private static String id(String bucket, String key, JsonAt record, JsonAt object, Instant at) {
        String version = object.optText("sequencer");
        if (version == null) {
            JsonAt response = record.optObj("responseElements");
            String requestId = response == null ? null : response.optText("x-amz-request-id");
            version = requestId != null ? "request:" + requestId : "time:" + at;
        }
        return objectId(bucket, key, version);
    }

    /** The id of one write of an object, the same from every channel that reports it (S3EventBridgeParser too). */
    static String objectId(String bucket, String key, String version) {
        String k = key.length() <= MAX_KEY_IN_ID ? key : "sha256:" + Digests.sha256(key);
        return "s3://" + bucket + "/" + k + "#" + version;
    }

}
