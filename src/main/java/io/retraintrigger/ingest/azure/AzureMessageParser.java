package io.retraintrigger.ingest.azure;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.TriggerEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything that arrives on retrain-trigger's Azure Service Bus queue, one message at a time: detects the
 * wire format and hands it to its parser.
 * <ul>
 *   <li>Event Grid deliveries, in the Event Grid event schema or the CloudEvents 1.0 schema, one event or
 *   an array of events: {@code Microsoft.Storage.*} ({@link BlobStorageEventParser}),
 *   {@code Microsoft.MachineLearningServices.*} ({@link MachineLearningEventParser}),
 *   {@code io.retraintrigger.schedule.tick} ({@link ScheduleTickParser}), and an event of any type whose
 *   {@code data} is an Azure Monitor common-schema alert ({@link MonitorAlertParser}); Event Grid's own
 *   {@code Microsoft.EventGrid.*} events are ignored;</li>
 *   <li>an Azure Monitor alert in the common alert schema as a logic app or function forwards it (raw, or
 *   the logic app's trigger output {@code {"headers", "body"}}) ({@link MonitorAlertParser});</li>
 *   <li>a schedule tick: {@code {"pipeline": "fraud"}}, or application property {@code pipeline}
 *   ({@link ScheduleTickParser}).</li>
 * </ul>
 * The events of one message are parsed together: one bad event refuses the message. Malformed JSON is
 * refused with 400; JSON of no known shape with 422, naming what was seen; a known message missing a field
 * it needs with 422, naming the field. Pure: no Camel, no CDI.
 */
public final class AzureMessageParser {
    public static final String EVENT_GRID_TYPE_PREFIX = "Microsoft.EventGrid.";

    private final BlobStorageEventParser storage = new BlobStorageEventParser();
    private final MonitorAlertParser alerts = new MonitorAlertParser();
    private final MachineLearningEventParser machineLearning = new MachineLearningEventParser();
    private final ScheduleTickParser ticks = new ScheduleTickParser();

    /**
     * @param body                  the message body as text
     * @param applicationProperties the message's application properties (may be null)
     * @param messageId             the Service Bus message id (the id of a schedule tick)
     */
    public List<TriggerEvent> parse(String body, Map<String, Object> applicationProperties, String messageId) {
        if (body == null || body.isBlank()) {
            if (ScheduleTickParser.looksLike(null, applicationProperties)) {
                return List.of(ticks.fromBody(null, applicationProperties, messageId));
            }
            throw new BadInputException(400, "malformed JSON: empty message (and no application property 'pipeline' of a schedule tick)");
        }
        JsonAt root = AzureJson.root(JsonAt.read(body, "message"), "");
        if (root.node().isArray()) {
            List<JsonAt> elements = root.elements();
            if (elements.isEmpty()) throw AzureJson.unrecognized("the message is an empty JSON array");
            List<TriggerEvent> out = new ArrayList<>();
            for (JsonAt element : elements) {
                if (!EventGridEvent.looksLike(element)) {
                    throw AzureJson.unrecognized(element.path() + " is " + describe(element)
                            + "; an array must hold Event Grid events (eventType, id) or CloudEvents (specversion, type, id)");
                }
                out.add(event(EventGridEvent.of(element)));
            }
            return out;
        }
        if (!root.node().isObject()) {
            throw AzureJson.unrecognized("the message is " + describe(root) + ", expected a JSON object or an array of events");
        }
        if (EventGridEvent.looksLike(root)) return List.of(event(EventGridEvent.of(root)));
        if (MonitorAlertParser.looksLike(root)) return List.of(alerts.parse(root));
        JsonAt forwarded = MonitorAlertParser.logicAppOutputBody(root);
        if (forwarded != null) return List.of(alerts.parse(forwarded));
        if (ScheduleTickParser.looksLike(root, applicationProperties)) return List.of(ticks.fromBody(root, applicationProperties, messageId));
        if (root.node().has("AlertRuleName") && root.node().has("SearchQuery")) {
            throw AzureJson.unrecognized("the message is an Azure Monitor log search alert in its own (non-common) schema (AlertRuleName '"
                    + root.node().path("AlertRuleName").asText() + "'); set 'Enable common alert schema' to Yes on the action group's action");
        }
        throw AzureJson.unrecognized("the message is " + describe(root) + "; expected an Event Grid event or CloudEvent"
                + " (eventType or specversion), an Azure Monitor alert in the common alert schema (schemaId) or a schedule tick"
                + " ({\"pipeline\": ...})");
    }

    private TriggerEvent event(EventGridEvent e) {
        String type = e.type();
        if (type.startsWith(BlobStorageEventParser.TYPE_PREFIX)) return storage.parse(e);
        if (type.startsWith(MachineLearningEventParser.TYPE_PREFIX)) return machineLearning.parse(e);
        if (type.equals(ScheduleTickParser.TYPE)) return ticks.fromEvent(e);
        if (e.root().node().path("data").isObject() && MonitorAlertParser.looksLike(e.optData())) return alerts.fromEvent(e);
        if (type.startsWith(EVENT_GRID_TYPE_PREFIX)) {
            return TriggerEvent.ignored(e.id(), Cloud.AZURE, "Microsoft.EventGrid", e.time(), "Event Grid event " + type
                    + (e.source() == null ? "" : " from " + e.source()) + " asks for no training");
        }
        throw AzureJson.unrecognized((e.root().path().isEmpty() ? "the message" : e.root().path()) + " is " + (e.schema() == EventGridEvent.Schema.EVENT_GRID ? "an " : "a ") + e.schema().label
                + " of type '" + type + "'" + (e.source() == null ? "" : " from " + e.source()) + "; known: Microsoft.Storage.*,"
                + " Microsoft.MachineLearningServices.*, " + ScheduleTickParser.TYPE + ", and events whose data is an Azure Monitor"
                + " common-schema alert");
    }

    private static String describe(JsonAt n) {
        if (n.node().isObject()) return "a JSON object with fields " + n.describeFields();
        return "a JSON " + n.node().getNodeType().name().toLowerCase();
    }
}
