package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.Digests;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Cloud Storage Pub/Sub notifications. Every message carries the attributes {@code notificationConfig,
 * eventType, payloadFormat, bucketId, objectId, objectGeneration, eventTime} (and, on overwrites,
 * {@code overwroteGeneration} / {@code overwrittenByGeneration}); the data depends on the notification
 * configuration's payload format:
 * <ul>
 *   <li>{@code JSON_API_V1}: the object's resource representation ({@code bucket, name, generation,
 *   size} as a string of digits, ...): the size is read from it;</li>
 *   <li>{@code NONE}: no data at all. The event still names the object, but not its size: the data
 *   arrival carries size {@code 0}, meaning "unknown", so a batch's total size (and the cost estimate
 *   made from it) undercounts objects announced this way. Use JSON_API_V1 where the size matters.</li>
 * </ul>
 * A message without payloadFormat is read by its data: none is NONE, some is JSON_API_V1.
 * <p>
 * {@code OBJECT_FINALIZE} (a new object, or a new generation of one) is a data arrival of
 * {@code gs://bucket/object} at {@code eventTime}. {@code OBJECT_DELETE}, {@code OBJECT_ARCHIVE} and
 * {@code OBJECT_METADATA_UPDATE} ask for nothing: they are ignored (acknowledged and counted).
 * <p>
 * <b>Id.</b> A finalize is identified by the object generation it created:
 * {@code gs://bucketId/objectId#objectGeneration}. Cloud Storage gives every write of an object a new
 * generation, so two uploads of one name are two events, while the same write stays one event however
 * it arrives: Cloud Storage delivers notifications at least once and a duplicate it publishes again is a
 * new Pub/Sub message with a new messageId, as is the same write reaching this service through two
 * notification configurations; only a Pub/Sub redelivery keeps the messageId. Other event types add
 * theirs and the event time ({@code gs://b/o#gen/OBJECT_DELETE@2026-...}), so that a deletion can never
 * take the id, and thus the place, of the finalize of the same generation. An id that would exceed
 * {@value #MAX_ID} characters carries a SHA-256 of the object name instead of the name (object names
 * reach 1024 bytes; the idempotent repository keeps ids up to 512 characters). Pure: no Camel, no CDI.
 */
public final class StorageNotificationParser {
    public static final String SOURCE = "storage.googleapis.com";
    public static final String OBJECT_FINALIZE = "OBJECT_FINALIZE";
    public static final Set<String> OTHER_EVENT_TYPES = Set.of("OBJECT_DELETE", "OBJECT_ARCHIVE", "OBJECT_METADATA_UPDATE");
    public static final String JSON_API_V1 = "JSON_API_V1";
    public static final String NONE = "NONE";
    static final int MAX_ID = 400;

    /** Whether the attributes are those of a Cloud Storage notification. */
    static boolean looksLike(Map<String, String> attributes) {
        return attributes.containsKey("eventType")
                && (attributes.containsKey("bucketId") || attributes.containsKey("objectId") || attributes.containsKey("payloadFormat"));
    }

    public TriggerEvent parse(PubSubMessage m) {
        Map<String, String> a = m.attributes();
        String eventType = GcpJson.requiredAttribute(a, "eventType");
        String bucket = GcpJson.requiredAttribute(a, "bucketId");
        String object = GcpJson.requiredAttribute(a, "objectId");
        String format = GcpJson.attribute(a, "payloadFormat");
        if (format == null) format = m.hasData() ? JSON_API_V1 : NONE;

        JsonAt resource = null;
        switch (format) {
            case JSON_API_V1 -> {
                if (!m.hasData()) {
                    throw JsonAt.missing(GcpJson.DATA + " (payloadFormat JSON_API_V1 carries the object's resource representation)");
                }
                JsonNode n = JsonAt.read(m.data(), "Cloud Storage notification data");
                if (!n.isObject()) throw JsonAt.invalid(GcpJson.DATA, "must be the object's resource representation (a JSON object)");
                resource = GcpJson.data(n);
                String name = resource.optText("name");
                if (name != null && !name.equals(object)) {
                    throw JsonAt.invalid(resource.where("name"), "'" + name + "' is not the object of attribute objectId '" + object + "'");
                }
                String b = resource.optText("bucket");
                if (b != null && !b.equals(bucket)) {
                    throw JsonAt.invalid(resource.where("bucket"), "'" + b + "' is not the bucket of attribute bucketId '" + bucket + "'");
                }
            }
            case NONE -> {
                // no data: the attributes are the whole notification
            }
            default -> throw JsonAt.invalid("attributes.payloadFormat", "'" + format + "' is not a payload format (JSON_API_V1 or NONE)");
        }

        String generation = generation(a, resource);
        String eventTimeText = GcpJson.attribute(a, "eventTime");
        Instant at = eventTimeText != null ? GcpJson.instant(eventTimeText, "attributes.eventTime") : m.publishTime();
        String uri = "gs://" + bucket + "/" + object;
        String id = id(bucket, object, "#" + generation);

        if (OBJECT_FINALIZE.equals(eventType)) {
            long size = resource == null ? 0 : resource.wholeNumber("size");
            return TriggerEvent.dataArrival(id, Cloud.GCP, SOURCE, null, at, uri, size);
        }
        if (OTHER_EVENT_TYPES.contains(eventType)) {
            String when = eventTimeText != null ? eventTimeText : String.valueOf(m.publishTime());
            return TriggerEvent.ignored(id(bucket, object, "#" + generation + "/" + eventType + "@" + when), Cloud.GCP, SOURCE, at,
                    "Cloud Storage " + eventType + " of " + uri + "#" + generation + " asks for no training");
        }
        throw JsonAt.invalid("attributes.eventType", "'" + eventType + "' is not a Cloud Storage event type (OBJECT_FINALIZE, OBJECT_DELETE,"
                + " OBJECT_ARCHIVE, OBJECT_METADATA_UPDATE)");
    }

    /** The attribute objectGeneration, else the resource's generation. */
    private static String generation(Map<String, String> a, JsonAt resource) {
        String g = GcpJson.attribute(a, "objectGeneration");
        String where = "attributes.objectGeneration";
        if (g == null && resource != null) {
            g = resource.optText("generation");
            where = resource.where("generation");
        }
        if (g == null) throw JsonAt.missing("attributes.objectGeneration");
        if (!g.trim().matches("\\d{1,19}")) throw JsonAt.invalid(where, "'" + g + "' is not an object generation (a whole number)");
        return g.trim();
    }

    private static String id(String bucket, String object, String suffix) {
        String id = "gs://" + bucket + "/" + object + suffix;
        return id.length() <= MAX_ID ? id : "gs://" + bucket + "/sha256:" + Digests.sha256(object) + suffix;
    }

}
