package io.retraintrigger.ingest.gcp;

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
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Vertex AI Model Monitoring (v1, model deployment monitoring jobs) anomalies, as a log sink exports
 * them to Pub/Sub. With {@code modelMonitoringAlertConfig.enableLogging}, each monitoring run that finds
 * a feature over its threshold writes one entry to the log {@code aiplatform.googleapis.com/model_monitoring_anomaly}
 * (resource {@code aiplatform.googleapis.com/ModelDeploymentMonitoringJob}, labels
 * {@code model_deployment_monitoring_job, location, resource_container}) whose {@code jsonPayload}
 * ({@code @type ...ModelMonitoringAnomaliesLogEntry}) holds {@code anomalyObjective}
 * ({@code RAW_FEATURE_SKEW}, {@code RAW_FEATURE_DRIFT}, ...), {@code featureAnomalies[]
 * {featureDisplayName, deviation, threshold}}, {@code totalAnomaliesCount}, {@code startTime},
 * {@code endTime}, {@code modelDeploymentMonitoringJob} (the job's resource name) and
 * {@code deployedModelId}.
 * <p>
 * It becomes a drift alert with one feature score per anomaly: the {@code deviation} (the statistical
 * distance, L-infinity or Jensen-Shannon, that Vertex AI compared to the threshold); a feature listed
 * twice keeps its larger deviation. The monitor is the job's resource name
 * ({@code projects/N/locations/L/modelDeploymentMonitoringJobs/ID}, from the payload, else from the
 * resource labels); {@value #MONITOR_ALIASES} adds {@code vertex-monitoring-job:ID},
 * {@code vertex-deployed-model:DEPLOYED_MODEL_ID} and, when the entry names one (the documented sample
 * does not), {@code vertex-endpoint:ENDPOINT_ID}. Other attributes: {@value #OBJECTIVE},
 * {@value #DEPLOYED_MODEL_ID}, {@value #THRESHOLDS} ({@code feature=threshold,...}), {@value #WINDOW_START},
 * {@value #WINDOW_END}, and {@link TriggerEvent#EVIDENCE}. Time: the entry's {@code timestamp}, else the
 * payload's {@code endTime}, else the Pub/Sub publish time. Id: {@link LogEntry#id()}.
 * <p>
 * Model Monitoring v2 (model monitors) also documents only that it writes "ModelMonitoringAnomaliesLogEntry"
 * JSON to Cloud Logging, without a sample: an entry of this log without {@code featureAnomalies} is
 * refused (422, naming the field) rather than guessed at. Pure: no Camel, no CDI.
 */
public final class ModelMonitoringAnomalyParser {
    public static final String SOURCE = "aiplatform.googleapis.com";
    public static final String LOG = "model_monitoring_anomaly";
    public static final String PAYLOAD_TYPE = "ModelMonitoringAnomaliesLogEntry";
    public static final String MONITORING_JOB_ALIAS_PREFIX = "vertex-monitoring-job:";
    public static final String DEPLOYED_MODEL_ALIAS_PREFIX = "vertex-deployed-model:";
    public static final String ENDPOINT_ALIAS_PREFIX = "vertex-endpoint:";

    /** The pipeline matcher's attribute: further names of the monitor, comma-separated. */
    public static final String MONITOR_ALIASES = "monitorAliases";
    public static final String OBJECTIVE = "anomalyObjective";
    public static final String DEPLOYED_MODEL_ID = "deployedModelId";
    public static final String THRESHOLDS = "thresholds";
    public static final String WINDOW_START = "windowStart";
    public static final String WINDOW_END = "windowEnd";

    static boolean looksLike(LogEntry e) {
        return e.isLog(LOG) || e.payloadTypeIs(PAYLOAD_TYPE);
    }

    public TriggerEvent parse(PubSubMessage m) {
        return parse(LogEntry.of(m), m.publishTime());
    }

    TriggerEvent parse(LogEntry e, Instant publishTime) {
        String id = e.id();
        JsonAt p = e.payload();
        List<JsonAt> anomalies = p.array("featureAnomalies");
        if (anomalies.isEmpty()) throw JsonAt.invalid(p.where("featureAnomalies"), "lists no feature; an anomaly entry names at least one");
        Map<String, Double> scores = new LinkedHashMap<>();
        StringJoiner thresholds = new StringJoiner(",");
        for (JsonAt a : anomalies) {
            if (!a.node().isObject()) throw JsonAt.invalid(a.path(), "must be an object");
            String feature = a.text("featureDisplayName");
            double deviation = GcpJson.score(a, "deviation");
            scores.merge(feature, deviation, Math::max);
            Double threshold = GcpJson.number(a.raw("threshold"));
            if (threshold != null) thresholds.add(feature + "=" + threshold);
        }
        List<FeatureScore> features = new ArrayList<>();
        scores.forEach((name, score) -> features.add(new FeatureScore(name, score)));

        String jobName = p.optText("modelDeploymentMonitoringJob");
        String jobId = jobName != null ? lastSegment(jobName) : e.resourceLabels().get("model_deployment_monitoring_job");
        if (jobName == null && jobId != null) {
            String project = LogEntry.container(e.resourceLabels().get("resource_container"));
            String location = e.resourceLabels().get("location");
            if (project != null && location != null) jobName = "projects/" + project + "/locations/" + location + "/modelDeploymentMonitoringJobs/" + jobId;
        }
        if (jobName == null && jobId == null) {
            throw JsonAt.missing(p.where("modelDeploymentMonitoringJob") + " (or resource.labels.model_deployment_monitoring_job)");
        }
        String monitor = jobName != null ? jobName : MONITORING_JOB_ALIAS_PREFIX + jobId;

        Map<String, String> attributes = new LinkedHashMap<>();
        Set<String> aliases = new LinkedHashSet<>();
        if (jobId != null) aliases.add(MONITORING_JOB_ALIAS_PREFIX + jobId);
        String deployedModel = p.optText("deployedModelId");
        if (deployedModel != null) {
            aliases.add(DEPLOYED_MODEL_ALIAS_PREFIX + deployedModel);
            attributes.put(DEPLOYED_MODEL_ID, deployedModel);
        }
        String endpoint = p.optText("endpoint");
        if (endpoint != null) aliases.add(ENDPOINT_ALIAS_PREFIX + lastSegment(endpoint));
        aliases.remove(monitor);
        if (!aliases.isEmpty()) attributes.put(MONITOR_ALIASES, String.join(",", aliases));
        String objective = p.optText("anomalyObjective");
        if (objective != null) attributes.put(OBJECTIVE, objective);
        if (thresholds.length() > 0) attributes.put(THRESHOLDS, thresholds.toString());
        Instant start = p.optTime("startTime");
        Instant end = p.optTime("endTime");
        if (start != null) attributes.put(WINDOW_START, start.toString());
        if (end != null) attributes.put(WINDOW_END, end.toString());
        attributes.put(TriggerEvent.EVIDENCE, "Vertex AI Model Monitoring anomaly log entry " + e.insertId()
                + (objective == null ? "" : " (" + objective + ")") + " of " + monitor);

        Instant at = e.timestamp() != null ? e.timestamp() : end != null ? end : publishTime;
        return new TriggerEvent(id, EventKind.DRIFT_ALERT, Cloud.GCP, SOURCE, null, at, null, 0, features, monitor, attributes);
    }

    static String lastSegment(String resourceName) {
        String s = resourceName.endsWith("/") ? resourceName.substring(0, resourceName.length() - 1) : resourceName;
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
