package io.retraintrigger.ingest.azure;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.BadInputException;

import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One event as Event Grid delivers it, in either delivery schema of an event subscription:
 * <ul>
 *   <li>the Event Grid event schema: {@code id, topic, subject, eventType, eventTime, data, dataVersion,
 *   metadataVersion};</li>
 *   <li>the CloudEvents 1.0 schema: {@code specversion, id, source, subject, type, time, data}.</li>
 * </ul>
 * {@code id} is the publisher's unique id of the event; Event Grid keeps it across its delivery retries
 * (and sets it as the Service Bus message's default MessageId), so it is the event's dedup key.
 *
 * @param source the {@code topic} (Event Grid schema) or {@code source} (CloudEvents): the resource that
 *               raised the event, e.g. {@code /subscriptions/.../storageAccounts/my-storage-account}
 * @param time   {@code eventTime} / {@code time}; null when a CloudEvent has none
 */
record EventGridEvent(Schema schema, String id, String type, String source, String subject, Instant time, JsonAt root) {

    enum Schema {
        EVENT_GRID("Event Grid event"), CLOUD_EVENTS("CloudEvent");

        final String label;

        Schema(String label) {
            this.label = label;
        }
    }

    /** A CloudEvent has {@code specversion}; an Event Grid event has {@code eventType}. */
    static boolean looksLike(JsonAt n) {
        return n.node().isObject() && (n.node().has("specversion") || n.node().has("eventType"));
    }

    /** A Service Bus message body holds one event or, as Event Grid may deliver them, an array of events. */
    static List<TriggerEvent> each(String body, Function<EventGridEvent, TriggerEvent> parse) {
        JsonAt root = AzureJson.root(JsonAt.read(body, "message"), "");
        List<TriggerEvent> out = new ArrayList<>();
        if (root.node().isArray()) {
            List<JsonAt> events = root.elements();
            if (events.isEmpty()) throw AzureJson.unrecognized("the message is an empty JSON array");
            for (JsonAt e : events) out.add(parse.apply(of(e)));
        } else {
            out.add(parse.apply(of(root)));
        }
        return out;
    }

    static EventGridEvent of(JsonAt n) {
        if (!n.node().isObject()) throw JsonAt.invalid(n.path().isEmpty() ? "message" : n.path(), "an event must be a JSON object");
        if (n.node().has("specversion")) {
            String version = n.text("specversion");
            if (!version.equals("1.0")) {
                throw JsonAt.invalid(n.where("specversion"), "'" + version + "' is not a supported CloudEvents version (1.0)");
            }
            return new EventGridEvent(Schema.CLOUD_EVENTS, n.text("id"), n.text("type"), n.optText("source"), n.optText("subject"),
                    n.optTime("time"), n);
        }
        return new EventGridEvent(Schema.EVENT_GRID, n.text("id"), n.text("eventType"), n.optText("topic"), n.optText("subject"),
                n.time("eventTime"), n);
    }

    /** {@code data}, which every event this service reads must carry as an object. */
    JsonAt data() {
        return root.obj("data");
    }

    JsonAt optData() {
        return root.optObj("data");
    }

    /** The path of the type field as this schema names it. */
    String typeField() {
        return root.where(schema == Schema.CLOUD_EVENTS ? "type" : "eventType");
    }

    /** Refuses an event of another type (a parser called directly with the wrong message). */
    EventGridEvent expect(String... types) {
        for (String t : types) {
            if (t.equals(type)) return this;
        }
        throw new BadInputException(422, "unrecognized Azure message: expected an event of type " + String.join(" or ", types)
                + ", got " + schema.label + " " + typeField() + " '" + type + "'");
    }

    /** e.g. {@code Event Grid event 831e1650-... (Microsoft.Storage.BlobDeleted)}, for reasons and messages. */
    String describe() {
        return schema.label + " " + id + " (" + type + ")";
    }
}
