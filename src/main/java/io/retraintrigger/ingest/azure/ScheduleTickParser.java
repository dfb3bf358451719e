package io.retraintrigger.ingest.azure;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.ingest.PipelineMatcher;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A schedule tick sent to the queue by a Logic App recurrence (Service Bus connector, "Send message") or
 * any other sender:
 * <ul>
 *   <li>a JSON body {@code {"pipeline": "fraud"}}, optionally with {@code "type":
 *   "io.retraintrigger.schedule.tick"}, {@code "time"} (ISO-8601, the scheduled time) and
 *   {@code "schedule"} (the sender's name, e.g. the logic app);</li>
 *   <li>or the application properties {@code pipeline} (and optionally {@code type}, {@code schedule})
 *   with an empty or JSON-object body;</li>
 *   <li>or an Event Grid event / CloudEvent of type {@code io.retraintrigger.schedule.tick} whose
 *   {@code data} has {@code pipeline} (or {@code schedule}), e.g. from an Event Grid custom topic.</li>
 * </ul>
 * The id is the Service Bus message id: a sender sends each tick once under a new message id, and Service
 * Bus keeps it across redeliveries of the message, so a redelivered tick counts once. (An Event Grid event
 * or CloudEvent keeps its own event id, which Event Grid also sets as the message id.) Without
 * {@code pipeline}, {@code schedule} becomes attribute {@value PipelineMatcher#SCHEDULE_SOURCES} for the
 * pipeline matcher ({@code retrain.pipelines.NAME.schedule-sources}); with neither the tick is refused
 * (422 {@code missing field: pipeline}). Pure: no Camel, no CDI.
 */
public final class ScheduleTickParser {
    public static final String TYPE = "io.retraintrigger.schedule.tick";
    public static final String SOURCE = "azure-servicebus";
    public static final String PIPELINE = "pipeline";
    public static final String SCHEDULE = "schedule";
    public static final String TYPE_PROPERTY = "type";

    /**
     * @param body                  the message body (may be empty when the properties name the pipeline)
     * @param applicationProperties the message's application properties (may be null)
     * @param messageId             the Service Bus message id
     */
    public TriggerEvent parse(String body, Map<String, Object> applicationProperties, String messageId) {
        JsonAt root = body == null || body.isBlank() ? null : AzureJson.root(JsonAt.read(body, "message"), "");
        if (root != null && EventGridEvent.looksLike(root)) return fromEvent(EventGridEvent.of(root).expect(TYPE));
        return fromBody(root, applicationProperties, messageId);
    }

    /** The body names a tick ({@code type} is ours, or it is an object with {@code pipeline} and no other type), or the properties do. */
    static boolean looksLike(JsonAt root, Map<String, Object> properties) {
        if (TYPE.equals(AzureJson.property(properties, TYPE_PROPERTY))) return true;
        if (root == null) return AzureJson.property(properties, PIPELINE) != null;
        if (!root.node().isObject()) return false;
        String type = root.node().path("type").isTextual() ? root.node().path("type").asText() : null;
        if (type != null) return type.equals(TYPE);
        return root.node().path(PIPELINE).isTextual() || AzureJson.property(properties, PIPELINE) != null;
    }

    /** The body (null when empty) and properties of a message that {@link #looksLike} a tick. */
    TriggerEvent fromBody(JsonAt root, Map<String, Object> properties, String messageId) {
        if (root != null && !root.node().isObject()) {
            throw AzureJson.unrecognized("a schedule tick's body must be a JSON object, was a JSON " + root.node().getNodeType().name().toLowerCase());
        }
        if (root != null) {
            String type = root.optText("type");
            if (type != null && !type.equals(TYPE)) {
                throw AzureJson.unrecognized("type '" + type + "' is not a schedule tick (" + TYPE + ")");
            }
        }
        String typeProperty = AzureJson.property(properties, TYPE_PROPERTY);
        if (typeProperty != null && !typeProperty.equals(TYPE)) {
            throw AzureJson.unrecognized("application property type '" + typeProperty + "' is not a schedule tick (" + TYPE + ")");
        }
        if (messageId == null || messageId.isBlank()) {
            throw JsonAt.missing("messageId (the Service Bus message id is the id of a schedule tick)");
        }
        String pipeline = agreed(root == null ? null : root.optText(PIPELINE), AzureJson.property(properties, PIPELINE), PIPELINE);
        String schedule = agreed(root == null ? null : root.optText(SCHEDULE), AzureJson.property(properties, SCHEDULE), SCHEDULE);
        Instant at = root == null ? null : root.optTime("time");
        return tick(messageId.trim(), pipeline, schedule, at);
    }

    /** An Event Grid event or CloudEvent of type {@value #TYPE}; its id is the event id. */
    TriggerEvent fromEvent(EventGridEvent e) {
        e.expect(TYPE);
        JsonAt data = e.data();
        return tick(e.id(), data.optText(PIPELINE), data.optText(SCHEDULE), e.time(), data.where(PIPELINE));
    }

    private static TriggerEvent tick(String id, String pipeline, String schedule, Instant at) {
        return tick(id, pipeline, schedule, at, PIPELINE);
    }

    private static TriggerEvent tick(String id, String pipeline, String schedule, Instant at, String pipelineWhere) {
        if (pipeline == null && schedule == null) throw JsonAt.missing(pipelineWhere);
        Map<String, String> attributes = pipeline == null ? Map.of(PipelineMatcher.SCHEDULE_SOURCES, schedule)
                : schedule == null ? Map.of() : Map.of(SCHEDULE, schedule);
        return new TriggerEvent(id, EventKind.SCHEDULE_TICK, Cloud.AZURE, SOURCE, pipeline, at, null, 0, List.of(), null, attributes);
    }

    /** The body's and the property's value, which must agree when both are given. */
    private static String agreed(String inBody, String inProperty, String field) {
        if (inBody != null && inProperty != null && !inBody.equals(inProperty)) {
            throw JsonAt.invalid(field, "the body says '" + inBody + "' and the application property '" + inProperty + "'");
        }
        return inBody != null ? inBody : inProperty;
    }
}
