package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;
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

/**
 * Cloud Monitoring alert notifications sent to a Pub/Sub notification channel: the message data is
 * the incident JSON, schema version 1.2: {@code {"incident": {incident_id, scoping_project_id, url,
 * started_at, ended_at (epoch seconds; null while open), state ("open" / "closed"), summary,
 * observed_value, threshold_value (strings), resource {type, labels}, resource_type_display_name,
 * resource_name, metric {type, displayName, labels}, metadata, policy_name (the policy's display name),
 * policy_user_labels, condition {name, displayName, ...}, condition_name, documentation, severity},
 * "version": "1.2"}}. The channel's test notification ({@code "version": "test"}, state {@code "OPEN"})
 * has the same shape; states are read without regard to case.
 * <ul>
 *   <li>{@code open}: a drift alert. Monitor = {@code policy_name}. One feature score when
 *   {@code observed_value} is a number: named by the metric label {@code feature} or
 *   {@code feature_name} when the metric has one (a drift metric per feature), else by the metric's
 *   {@code displayName}, else its {@code type}, else the condition name. Without a numeric observed value
 *   (absent, or text such as "Incident cancelled because the alert policy condition was deleted ..."),
 *   the alert carries no feature score; {@value #OBSERVED_VALUE} keeps the text. A negative value is
 *   not a drift score: refused (422).</li>
 *   <li>{@code closed}: an alert resolved.</li>
 * </ul>
 * An epoch of 0 reads as unset (the test notification sends {@code started_at: 0}).
 * Id: {@code incident_id + "/" + state}: the opening and the closing of an incident are two events,
 * a redelivery (or a repeated notification) of either is the same one. Time: {@code started_at} when
 * open, {@code ended_at} when closed (else {@code started_at}), else the Pub/Sub publish time.
 * <p>
 * {@value #MONITOR_ALIASES}, comma-separated: {@code vertex-endpoint:ENDPOINT_ID} when the incident's
 * resource is a Vertex AI endpoint ({@code aiplatform.googleapis.com/Endpoint}, label
 * {@code endpoint_id}); {@code vertex-monitoring-job:ID} for a model deployment monitoring job
 * ({@code aiplatform.googleapis.com/ModelDeploymentMonitoringJob}, label
 * {@code model_deployment_monitoring_job}: the same alias as {@link ModelMonitoringAnomalyParser} gives,
 * so one {@code monitors} entry covers both ways a job reports); and the alert policy's resource name
 * ({@code projects/P/alertPolicies/ID}, from {@code condition.name}), which survives a renaming of the
 * policy. Other attributes: {@value #INCIDENT_ID}, {@value #STATE}, {@value #SUMMARY}, {@value #URL},
 * {@value #CONDITION_NAME}, {@value #METRIC_TYPE}, {@value #RESOURCE_TYPE}, {@value #OBSERVED_VALUE},
 * {@value #THRESHOLD}, {@value #VERSION} and {@link TriggerEvent#EVIDENCE}. Pure: no Camel, no CDI.
 */
public final class MonitoringIncidentParser {
    public static final String SOURCE = "monitoring.googleapis.com";
    public static final String ENDPOINT_RESOURCE = "aiplatform.googleapis.com/Endpoint";
    public static final String MONITORING_JOB_RESOURCE = "aiplatform.googleapis.com/ModelDeploymentMonitoringJob";

    public static final String MONITOR_ALIASES = "monitorAliases";
    public static final String INCIDENT_ID = "incidentId";
    public static final String STATE = "state";
    public static final String SUMMARY = "summary";
    public static final String URL = "url";
    public static final String CONDITION_NAME = "conditionName";
    public static final String METRIC_TYPE = "metricType";
    public static final String RESOURCE_TYPE = "resourceType";
    public static final String OBSERVED_VALUE = "observedValue";
    public static final String THRESHOLD = "threshold";
    public static final String VERSION = "version";

    /** A JSON object with an {@code incident} object. */
    static boolean looksLike(JsonNode n) {
        return n.isObject() && n.path("incident").isObject();
    }

    public TriggerEvent parse(PubSubMessage m) {
        JsonNode n = JsonAt.read(m.data(), "incident notification");
        if (!n.isObject()) throw JsonAt.invalid(GcpJson.DATA, "must be a Cloud Monitoring incident notification (a JSON object)");
        return parse(GcpJson.data(n), m.publishTime());
    }

    TriggerEvent parse(JsonAt root, Instant publishTime) {
        JsonAt incident = root.obj("incident");
        String incidentId = incident.text("incident_id");
        String stateText = incident.text("state");
        String state = stateText.toLowerCase(Locale.ROOT);
        if (!state.equals("open") && !state.equals("closed")) {
            throw JsonAt.invalid(incident.where("state"), "'" + stateText + "' is not an incident state (open or closed)");
        }
        String policy = incident.text("policy_name");
        Instant started = epochSeconds(incident, "started_at");
        Instant ended = epochSeconds(incident, "ended_at");
        Instant at = state.equals("open") ? (started != null ? started : publishTime)
                : ended != null ? ended : started != null ? started : publishTime;

        JsonAt metric = incident.optObj("metric");
        Map<String, String> metricLabels = metric == null ? Map.of() : GcpJson.labels(metric, "labels");
        String metricType = metric == null ? null : metric.optText("type");
        String conditionName = incident.optText("condition_name");
        JsonAt condition = incident.optObj("condition");
        if (conditionName == null && condition != null) conditionName = condition.optText("displayName");
        JsonAt resource = incident.optObj("resource");
        String resourceType = resource == null ? null : resource.optText("type");
        Map<String, String> resourceLabels = resource == null ? Map.of() : GcpJson.labels(resource, "labels");
        String observedText = incident.optText("observed_value");
        String threshold = incident.optText("threshold_value");

        Map<String, String> attributes = new LinkedHashMap<>();
        Set<String> aliases = aliases(resourceType, resourceLabels, condition);
        aliases.remove(policy);
        if (!aliases.isEmpty()) attributes.put(MONITOR_ALIASES, String.join(",", aliases));
        attributes.put(INCIDENT_ID, incidentId);
        attributes.put(STATE, state);
        put(attributes, SUMMARY, incident.optText("summary"));
        put(attributes, URL, incident.optText("url"));
        put(attributes, CONDITION_NAME, conditionName);
        put(attributes, METRIC_TYPE, metricType);
        put(attributes, RESOURCE_TYPE, resourceType);
        put(attributes, OBSERVED_VALUE, observedText);
        put(attributes, THRESHOLD, threshold);
        put(attributes, VERSION, root.optText("version"));

        String id = incidentId + "/" + state;
        if (state.equals("closed")) {
            return TriggerEvent.alertResolved(id, Cloud.GCP, SOURCE, null, at, policy, attributes);
        }
        List<FeatureScore> features = new ArrayList<>();
        Double observed = GcpJson.number(incident.raw("observed_value"));
        String feature = featureName(metricLabels, metric, conditionName, policy);
        if (observed != null) {
            if (!Double.isFinite(observed) || observed < 0) {
                throw JsonAt.invalid(incident.where("observed_value"), "'" + observedText + "' is not a drift score (a finite number >= 0)");
            }
            features.add(new FeatureScore(feature, observed));
            attributes.put(TriggerEvent.EVIDENCE, "Cloud Monitoring incident " + incidentId + ": observed value " + observedText + " of "
                    + (metricType != null ? metricType : feature) + (threshold == null ? "" : " (threshold " + threshold + ")"));
        } else {
            attributes.put(TriggerEvent.EVIDENCE, "Cloud Monitoring incident " + incidentId + " reports no numeric observed value"
                    + (observedText == null ? "" : " ('" + GcpJson.abbreviate(observedText) + "')"));
        }
        return new TriggerEvent(id, EventKind.DRIFT_ALERT, Cloud.GCP, SOURCE, null, at, null, 0, features, policy, attributes);
    }

    /** metric.labels.feature / feature_name, else metric.displayName, else metric.type, else the condition, else the policy. */
    static String featureName(Map<String, String> metricLabels, JsonAt metric, String conditionName, String policy) {
        for (String label : List.of("feature", "feature_name")) {
            String v = metricLabels.get(label);
            if (v != null && !v.isBlank()) return v;
        }
        if (metric != null) {
            if (metric.optText("displayName") != null) return metric.optText("displayName");
            if (metric.optText("type") != null) return metric.optText("type");
        }
        return conditionName != null ? conditionName : policy;
    }

    private static Set<String> aliases(String resourceType, Map<String, String> labels, JsonAt condition) {
        Set<String> aliases = new LinkedHashSet<>();
        if (ENDPOINT_RESOURCE.equals(resourceType) && labels.get("endpoint_id") != null) {
            aliases.add(ModelMonitoringAnomalyParser.ENDPOINT_ALIAS_PREFIX + labels.get("endpoint_id"));
        }
        if (MONITORING_JOB_RESOURCE.equals(resourceType) && labels.get("model_deployment_monitoring_job") != null) {
            aliases.add(ModelMonitoringAnomalyParser.MONITORING_JOB_ALIAS_PREFIX + labels.get("model_deployment_monitoring_job"));
        }
        String conditionResource = condition == null ? null : condition.optText("name");
        if (conditionResource != null) {
            int i = conditionResource.indexOf("/conditions/");
            if (i > 0 && conditionResource.contains("/alertPolicies/")) aliases.add(conditionResource.substring(0, i));
        }
        return aliases;
    }

    /** Epoch seconds as a JSON number or numeric string; null when absent (ended_at of an open incident). */
    private static Instant epochSeconds(JsonAt incident, String field) {
        JsonNode v = incident.raw(field);
        if (v == null) return null;
        long seconds = JsonAt.wholeNumber(v, incident.where(field));
        return seconds == 0 ? null : Instant.ofEpochSecond(seconds);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) m.put(k, v);
    }
}
