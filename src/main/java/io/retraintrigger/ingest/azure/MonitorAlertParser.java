package io.retraintrigger.ingest.azure;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.ingest.PipelineMatcher;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Monitor alerts in the common alert schema ({@code {"schemaId": "azureMonitorCommonAlertSchema",
 * "data": {"essentials": {...}, "alertContext": {...}}}}).
 *
 * <h2>How an alert reaches the Service Bus queue</h2>
 * An action group cannot send to Service Bus (its action types are Automation Runbook, Azure Function,
 * Event Hubs, ITSM, Logic App, Secure Webhook and Webhook), and Azure Monitor alerts are no Event Grid
 * source. The documented path is an action group's <b>Logic App</b> action with "Enable common alert
 * schema" = Yes, calling a logic app whose trigger is "When a HTTP request is received" (Microsoft's
 * "Customize alert notifications by using Logic Apps"), followed by the Service Bus connector's "Send
 * message" with {@code @{triggerBody()}} as content; an Azure Function with a Service Bus output binding
 * does the same. The message body is then the common-schema JSON as Azure Monitor posted it. Also
 * accepted, unwrapped to the same payload:
 * <ul>
 *   <li>the logic app's whole trigger output ({@code @{triggerOutputs()}}): {@code {"headers": {...},
 *   "body": {<common schema>}}};</li>
 *   <li>an Event Grid event or CloudEvent (of any type, e.g. published by the logic app or function to an
 *   Event Grid custom topic whose subscription delivers to the queue) whose {@code data} is the
 *   common-schema payload.</li>
 * </ul>
 * The wrapper does not change the event: its id is the alert's.
 *
 * <h2>Mapping</h2>
 * <ul>
 *   <li>id = {@code essentials.alertId + "/" + monitorCondition} (e.g.
 *   {@code /subscriptions/.../providers/Microsoft.AlertsManagement/alerts/<guid>/Fired}): Azure Monitor
 *   gives every alert instance its own alertId and a stateful alert fires once and resolves once, so the
 *   id is stable across action retries, logic-app reruns and wrappers, and the Resolved notification of
 *   an alert is not a duplicate of its Fired one.</li>
 *   <li>{@code monitorCondition} {@code Fired}: a drift alert, monitor = {@code essentials.alertRule},
 *   time = {@code firedDateTime}. Features: one per criterion in {@code alertContext.condition.allOf[]}
 *   that has a numeric {@code metricValue} (metric alerts, static or dynamic threshold, and log search
 *   alerts V2, API 2021-08-01+). The feature is named after the criterion's dimension {@code feature}
 *   (also {@code featureName} / {@code feature_name}, any case) when the rule splits by such a dimension,
 *   so that one drift metric split per feature reports each feature; else after its {@code metricName};
 *   else its {@code metricMeasureColumn}; else the alert rule. A negative metricValue is refused (422):
 *   a drift score is >= 0. Log search alerts V1, activity log, Prometheus and other alerts carry no
 *   numeric value per criterion: the alert has <em>no</em> features, and attribute
 *   {@value TriggerEvent#EVIDENCE} says so (the route decides what a drift alert without scores
 *   means).</li>
 *   <li>{@code Resolved}: an alert resolved, time = {@code resolvedDateTime} (metric alerts only), else
 *   {@code firedDateTime}.</li>
 *   <li>attributes: {@value #STATE} (Fired / Resolved), {@value #SEVERITY} (Sev0..Sev4), {@value #ALERT_ID},
 *   {@value #SIGNAL_TYPE}, {@value #MONITORING_SERVICE}, {@value TriggerEvent#EVIDENCE} (Fired), and
 *   {@value PipelineMatcher#MONITOR_ALIASES}: every {@code alertTargetIDs} entry lower-cased (ARM ids
 *   are case-insensitive and Azure Monitor sends them in mixed case), plus
 *   {@code azureml-endpoint:<endpoint name>} (and attribute {@value #ENDPOINT_NAME}) when a target is an
 *   Azure ML managed online endpoint or one of its deployments
 *   ({@code .../providers/Microsoft.MachineLearningServices/workspaces/<ws>/onlineEndpoints/<name>[/deployments/<d>]}),
 *   lower case. A pipeline lists any of these in {@code retrain.pipelines.NAME.monitors}.</li>
 * </ul>
 * A payload with another {@code schemaId} (an action with the common schema off) is refused with 422
 * saying how to switch it on. Pure: no Camel, no CDI.
 */
public final class MonitorAlertParser {
    public static final String SOURCE = "Microsoft.AlertsManagement";
    public static final String SCHEMA_ID = "azureMonitorCommonAlertSchema";
    public static final String FIRED = "Fired";
    public static final String RESOLVED = "Resolved";
    public static final String ENDPOINT_ALIAS_PREFIX = "azureml-endpoint:";

    public static final String STATE = "state";
    public static final String SEVERITY = "severity";
    public static final String ALERT_ID = "alertId";
    public static final String SIGNAL_TYPE = "signalType";
    public static final String MONITORING_SERVICE = "monitoringService";
    public static final String ENDPOINT_NAME = "endpointName";

    private static final Set<String> FEATURE_DIMENSIONS = Set.of("feature", "featurename", "feature_name");
    private static final Pattern ONLINE_ENDPOINT = Pattern.compile(
            "(?i)/providers/microsoft\\.machinelearningservices/workspaces/[^/]+/onlineendpoints/([^/]+)(?:/.*)?");

    /**
     * One Service Bus message body: the common-schema payload, the logic app trigger output holding it, or
     * an Event Grid event / CloudEvent (or an array of them) whose data is it.
     */
    public List<TriggerEvent> parse(String body) {
        JsonAt root = AzureJson.root(JsonAt.read(body, "message"), "");
        if (root.node().isArray()) {
            List<JsonAt> events = root.elements();
            if (events.isEmpty()) throw AzureJson.unrecognized("the message is an empty JSON array");
            List<TriggerEvent> out = new ArrayList<>();
            for (JsonAt e : events) out.add(fromEvent(EventGridEvent.of(e)));
            return out;
        }
        if (EventGridEvent.looksLike(root)) return List.of(fromEvent(EventGridEvent.of(root)));
        JsonAt inner = logicAppOutputBody(root);
        return List.of(parse(inner != null ? inner : root));
    }

    /** The payload has a {@code schemaId} (the common schema's, or another alert schema's). */
    static boolean looksLike(JsonAt n) {
        return n != null && n.node().isObject() && n.node().path("schemaId").isTextual();
    }

    /** {@code {"headers": {...}, "body": {"schemaId": ...}}}: a logic app's trigger outputs; else null. */
    static JsonAt logicAppOutputBody(JsonAt n) {
        if (!n.node().isObject() || !n.node().path("headers").isObject()) return null;
        JsonAt body = n.optObj("body");
        return looksLike(body) ? body : null;
    }

    /** An Event Grid event or CloudEvent whose data is the alert. */
    TriggerEvent fromEvent(EventGridEvent e) {
        JsonAt data = e.data();
        if (!looksLike(data)) {
            throw AzureJson.unrecognized(e.describe() + ": " + data.path() + " is not an Azure Monitor alert (no schemaId), fields "
                    + data.describeFields());
        }
        return parse(data);
    }

    /** The common-schema payload itself. */
    TriggerEvent parse(JsonAt alert) {
        String schemaId = alert.text("schemaId");
        if (!SCHEMA_ID.equalsIgnoreCase(schemaId)) {
            throw AzureJson.unrecognized(alert.whereActual("schemaId") + " is '" + schemaId + "': only the common alert schema ("
                    + SCHEMA_ID + ") is read; set 'Enable common alert schema' to Yes on the action group's action");
        }
        JsonAt data = alert.obj("data");
        JsonAt essentials = data.obj("essentials");
        String alertId = essentials.text("alertId");
        String rule = essentials.text("alertRule");
        String condition = monitorCondition(essentials);
        String id = alertId + "/" + condition;
        Instant fired = essentials.optTime("firedDateTime");

        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(STATE, condition);
        putIfPresent(attributes, SEVERITY, essentials.optText("severity"));
        attributes.put(ALERT_ID, alertId);
        putIfPresent(attributes, SIGNAL_TYPE, essentials.optText("signalType"));
        putIfPresent(attributes, MONITORING_SERVICE, essentials.optText("monitoringService"));
        Set<String> aliases = new LinkedHashSet<>();
        for (JsonAt target : essentials.optArray("alertTargetIDs")) {
            if (!target.node().isTextual() || target.node().asText().isBlank()) {
                throw JsonAt.invalid(target.path(), "must be a resource id string");
            }
            String arm = target.node().asText().trim().toLowerCase(Locale.ROOT);
            aliases.add(arm);
            Matcher endpoint = ONLINE_ENDPOINT.matcher(arm);
            if (endpoint.find()) {
                aliases.add(ENDPOINT_ALIAS_PREFIX + endpoint.group(1));
                attributes.putIfAbsent(ENDPOINT_NAME, endpoint.group(1));
            }
        }
        if (!aliases.isEmpty()) attributes.put(PipelineMatcher.MONITOR_ALIASES, String.join(",", aliases));

        if (RESOLVED.equals(condition)) {
            Instant resolved = essentials.optTime("resolvedDateTime");
            return TriggerEvent.alertResolved(id, Cloud.AZURE, SOURCE, null, resolved != null ? resolved : fired, rule, attributes);
        }
        List<FeatureScore> features = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        JsonAt context = data.optObj("alertContext");
        JsonAt criteria = context == null ? null : context.optObj("condition");
        if (criteria != null) {
            for (JsonAt c : criteria.optArray("allOf")) {
                if (!c.node().isObject()) throw JsonAt.invalid(c.path(), "must be an object");
                Double value = AzureJson.optNumber(c, "metricValue");
                if (value == null) continue;
                if (value < 0) {
                    throw JsonAt.invalid(c.whereActual("metricValue"), value + " is not a drift score (a finite number >= 0)");
                }
                String feature = featureName(c, rule);
                features.add(new FeatureScore(feature, value));
                String threshold = c.optText("threshold");
                String operator = c.optText("operator");
                evidence.add(feature + " = " + value + (threshold == null ? "" : " (" + (operator == null ? "threshold" : operator) + " " + threshold + ")"));
            }
        }
        String signal = attributes.getOrDefault(SIGNAL_TYPE, "unknown signal") + ", " + attributes.getOrDefault(MONITORING_SERVICE, "unknown service");
        attributes.put(TriggerEvent.EVIDENCE, features.isEmpty()
                ? "Azure Monitor alert '" + rule + "' (" + signal + ") carries no metric value in alertContext.condition.allOf"
                : "Azure Monitor alert '" + rule + "' (" + signal + "): " + String.join("; ", evidence));
        return new TriggerEvent(id, EventKind.DRIFT_ALERT, Cloud.AZURE, SOURCE, null, fired, null, 0, features, rule, attributes);
    }

    private static String monitorCondition(JsonAt essentials) {
        String c = essentials.text("monitorCondition");
        if (FIRED.equalsIgnoreCase(c)) return FIRED;
        if (RESOLVED.equalsIgnoreCase(c)) return RESOLVED;
        throw JsonAt.invalid(essentials.whereActual("monitorCondition"), "'" + c + "' is not a monitor condition (Fired or Resolved)");
    }

    /** The criterion's {@code feature} dimension, else its metric name, else its measure column, else the rule. */
    static String featureName(JsonAt criterion, String rule) {
        for (JsonAt d : criterion.optArray("dimensions")) {
            if (!d.node().isObject()) continue;
            String name = d.optText("name");
            String value = d.optText("value");
            if (name != null && value != null && FEATURE_DIMENSIONS.contains(name.toLowerCase(Locale.ROOT))) return value;
        }
        String metric = criterion.optText("metricName");
        if (metric != null) return metric;
        String column = criterion.optText("metricMeasureColumn");
        return column != null ? column : rule;
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null) m.put(k, v);
    }
}
