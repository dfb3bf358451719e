package io.retraintrigger.ingest.azure;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.stream.Collectors;

/**
 * Azure Machine Learning workspace events from Event Grid ({@code Microsoft.MachineLearningServices.*}),
 * in the Event Grid event schema or the CloudEvents 1.0 schema, one event or an array of them. Field
 * names are read ignoring case: Microsoft's schema writes {@code DataDriftName}, {@code RunId} for drift
 * and {@code runId}, {@code runStatus} for runs. The id of every event is the Event Grid event id.
 * <ul>
 *   <li>{@code DatasetDriftDetected} (data drift monitors, v1): a drift alert, monitor =
 *   {@code data.DataDriftName} (else {@code DataDriftId}), one feature {@value #DRIFT_COEFFICIENT} =
 *   {@code data.DriftCoefficient} (the event carries no per-feature scores), attribute
 *   {@value PipelineMatcher#MONITOR_ALIASES} {@code azureml-datadrift:<name>,azureml-datadrift:<id>}, and
 *   {@value #RUN_ID}, {@value #DATA_DRIFT_ID}, {@value #BASE_DATASET_ID}, {@value #TARGET_DATASET_ID},
 *   {@value #WINDOW_START}, {@value #WINDOW_END}.</li>
 *   <li>{@code RunStatusChanged} whose {@code data.runTags} has {@value #THRESHOLD_BREACHED_TAG}: Azure ML
 *   model monitoring (v2) reports drift this way (Microsoft's "Integrate Azure Machine Learning model
 *   monitoring with Azure Event Grid": subscribe to Run status changed, filter on that tag). A drift alert,
 *   monitor = the signal named in the tag ({@code The signal '<signal>' has failed due to one or more
 *   features violating metric thresholds. ...}), alias {@code azureml-monitor:<signal>}, attributes {@value #SIGNAL}, {@value #RUN_ID}, {@value #EXPERIMENT_NAME},
 *   {@value #RUN_STATUS}. Features: the
 *   rows the tag lists ({@code {"group": <feature>, "metric_value": v, "metric_name": m, "threshold_value":
 *   t}}, as the monitoring component writes them) whose metric grows with drift (distances, PSI, error
 *   rates); test statistics and quality metrics where lower is worse (Kolmogorov-Smirnov and chi-squared
 *   tests, NDCG, accuracy, precision, recall, pass rates) are named in the evidence, not scored. A tag
 *   with no readable row gives an alert without features; the evidence says so.</li>
 *   <li>{@code RunStatusChanged} otherwise, and {@code RunCompleted}: a launch status.
 *   {@link TriggerEvent#EXECUTION_ID} = {@code data.runId}: retrain-trigger's Azure ML launcher names the
 *   pipeline job after the decision id, and a job's name is its run id, so the run id of the pipeline
 *   job is what the launcher recorded (step runs of the job carry their own ids and are recorded as not
 *   launched by retrain-trigger). {@link TriggerEvent#EXECUTION_STATUS} = {@code data.runStatus} in Azure
 *   ML's spelling ({@code failed} becomes {@code Failed}, {@code Cancelled} {@code Canceled}; unknown
 *   values as sent), {@code Completed} for RunCompleted; {@link TriggerEvent#EXECUTION_ENDED_AT} = the
 *   event time for a final status ({@value #FINAL_STATUSES_DOC}). Also {@value #EXPERIMENT_NAME} and
 *   {@value #RUN_TYPE} when present. Microsoft documents that RunStatusChanged is currently raised for
 *   failed runs only, so a pipeline's success comes as RunCompleted.</li>
 *   <li>every other event of the workspace ({@code ModelRegistered}, {@code ModelDeployed}, ...): ignored.</li>
 * </ul>
 * Pure: no Camel, no CDI.
 */
public final class MachineLearningEventParser {
    public static final String SOURCE = "Microsoft.MachineLearningServices";
    public static final String TYPE_PREFIX = "Microsoft.MachineLearningServices.";
    public static final String DATASET_DRIFT_DETECTED = "Microsoft.MachineLearningServices.DatasetDriftDetected";
    public static final String RUN_STATUS_CHANGED = "Microsoft.MachineLearningServices.RunStatusChanged";
    public static final String RUN_COMPLETED = "Microsoft.MachineLearningServices.RunCompleted";

    public static final String DRIFT_COEFFICIENT = "drift_coefficient";
    public static final String DATADRIFT_ALIAS_PREFIX = "azureml-datadrift:";
    public static final String MONITOR_ALIAS_PREFIX = "azureml-monitor:";
    /** The run tag Azure ML model monitoring sets when a signal breaches its thresholds. */
    public static final String THRESHOLD_BREACHED_TAG = "azureml_modelmonitor_threshold_breached";
    public static final Set<String> FINAL_STATUSES = Set.of("Completed", "Failed", "Canceled");
    static final String FINAL_STATUSES_DOC = "Completed, Failed, Canceled";

    public static final String RUN_ID = "runId";
    public static final String RUN_STATUS = "runStatus";
    public static final String EXPERIMENT_NAME = "experimentName";
    public static final String RUN_TYPE = "runType";
    public static final String DATA_DRIFT_ID = "dataDriftId";
    public static final String BASE_DATASET_ID = "baseDatasetId";
    public static final String TARGET_DATASET_ID = "targetDatasetId";
    public static final String WINDOW_START = "windowStart";
    public static final String WINDOW_END = "windowEnd";
    public static final String SIGNAL = "signal";

    /** Azure ML job statuses, for the canonical spelling. */
    private static final Map<String, String> STATUSES = List.of("NotStarted", "Starting", "Provisioning", "Preparing", "Queued",
                    "Running", "Finalizing", "CancelRequested", "Completed", "Failed", "Canceled", "NotResponding", "Paused", "Unknown")
            .stream().collect(Collectors.toUnmodifiableMap(s -> s.toLowerCase(Locale.ROOT), s -> s));
    /** Model monitoring metrics where a value below the threshold is the breach: not drift scores. */
    private static final Set<String> LOWER_IS_WORSE = Set.of("twosamplekolmogorovsmirnovtest", "pearsonschisquaredtest",
            "normalizeddiscountedcumulativegain", "aggregatedcoherencepassrate", "aggregatedgroundednesspassrate",
            "aggregatedfluencypassrate", "aggregatedsimilaritypassrate", "aggregatedrelevancepassrate", "accuracy", "precision", "recall");
    private static final Pattern SIGNAL_NAME = Pattern.compile("[Tt]he signal '([^']+)'");
    private static final Pattern ROW = Pattern.compile("\\{[^{}]*}");

    /** One Service Bus message body: one Azure ML event, or an array of them. */
    public List<TriggerEvent> parse(String body) {
        return EventGridEvent.each(body, this::parse);
    }

    TriggerEvent parse(EventGridEvent e) {
        if (!e.type().startsWith(TYPE_PREFIX)) e.expect(DATASET_DRIFT_DETECTED, RUN_STATUS_CHANGED, RUN_COMPLETED);
        return switch (e.type()) {
            case DATASET_DRIFT_DETECTED -> datasetDrift(e);
            case RUN_STATUS_CHANGED -> {
                JsonAt tags = e.data().optObj("runTags");
                String breach = tags == null ? null : tags.optText(THRESHOLD_BREACHED_TAG);
                yield breach != null ? modelMonitorDrift(e, breach, tags.whereActual(THRESHOLD_BREACHED_TAG))
                        : runStatus(e, canonicalStatus(e.data().text("runStatus")));
            }
            case RUN_COMPLETED -> runStatus(e, "Completed");
            default -> TriggerEvent.ignored(e.id(), Cloud.AZURE, SOURCE, e.time(), "Azure Machine Learning event " + e.type()
                    + (e.subject() == null ? "" : " (" + e.subject() + ")") + " asks for no training");
        };
    }

    private static TriggerEvent datasetDrift(EventGridEvent e) {
        JsonAt d = e.data();
        String name = d.optText("DataDriftName");
        String driftId = d.optText("DataDriftId");
        if (name == null && driftId == null) throw JsonAt.missing(d.where("DataDriftName") + " (or DataDriftId)");
        Double coefficient = AzureJson.optNumber(d, "DriftCoefficient");
        if (coefficient == null) throw JsonAt.missing(d.whereActual("DriftCoefficient"));
        if (coefficient < 0) throw JsonAt.invalid(d.whereActual("DriftCoefficient"), coefficient + " is not a drift score (a finite number >= 0)");
        String monitor = name != null ? name : driftId;
        Map<String, String> attributes = new LinkedHashMap<>();
        Set<String> aliases = new LinkedHashSet<>();
        if (name != null) aliases.add(DATADRIFT_ALIAS_PREFIX + name);
        if (driftId != null) aliases.add(DATADRIFT_ALIAS_PREFIX + driftId);
        attributes.put(PipelineMatcher.MONITOR_ALIASES, String.join(",", aliases));
        putIfPresent(attributes, DATA_DRIFT_ID, driftId);
        String runId = d.optText("RunId");
        putIfPresent(attributes, RUN_ID, runId);
        putIfPresent(attributes, BASE_DATASET_ID, d.optText("BaseDatasetId"));
        putIfPresent(attributes, TARGET_DATASET_ID, d.optText("TargetDatasetId"));
        Instant start = d.optTime("StartTime");
        Instant end = d.optTime("EndTime");
        if (start != null) attributes.put(WINDOW_START, start.toString());
        if (end != null) attributes.put(WINDOW_END, end.toString());
        attributes.put(TriggerEvent.EVIDENCE, "Azure ML data drift monitor '" + monitor + "'" + (runId == null ? "" : " run " + runId)
                + ": drift coefficient " + coefficient + (start == null || end == null ? "" : " for target data " + start + " .. " + end));
        return new TriggerEvent(e.id(), EventKind.DRIFT_ALERT, Cloud.AZURE, SOURCE, null, e.time(), null, 0,
                List.of(new FeatureScore(DRIFT_COEFFICIENT, coefficient)), monitor, attributes);
    }

    private static TriggerEvent modelMonitorDrift(EventGridEvent e, String breach, String tagWhere) {
        JsonAt d = e.data();
        String runId = d.optText("runId");
        String experiment = d.optText("experimentName");
        Matcher m = SIGNAL_NAME.matcher(breach);
        String signal = m.find() ? m.group(1) : null;
        String monitor = signal != null ? signal : experiment != null ? experiment : runId;
        if (monitor == null) throw JsonAt.missing(d.where("runId") + " (the tag " + tagWhere + " names no signal)");

        List<FeatureScore> features = new ArrayList<>();
        List<String> scored = new ArrayList<>();
        List<String> notScored = new ArrayList<>();
        Matcher rows = ROW.matcher(breach);
        while (rows.find()) {
            JsonNode row;
            try {
                row = JsonAt.MAPPER.readTree(rows.group());
            } catch (Exception notJson) {
                continue;
            }
            String feature = row.path("group").asText("").trim();
            String metric = row.path("metric_name").asText("").trim();
            JsonNode value = row.path("metric_value");
            if (!value.isNumber()) continue;
            double v = value.asDouble();
            String threshold = row.path("threshold_value").isNumber() ? " (threshold " + row.path("threshold_value").asDouble() + ")" : "";
            if (feature.isEmpty()) feature = metric.isEmpty() ? monitor : metric;
            String line = feature + (metric.isEmpty() ? "" : " " + metric) + " " + v + threshold;
            if (LOWER_IS_WORSE.contains(metric.toLowerCase(Locale.ROOT)) || !Double.isFinite(v) || v < 0) {
                notScored.add(line);
            } else {
                features.add(new FeatureScore(feature, v));
                scored.add(line);
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        if (signal != null) {
            attributes.put(SIGNAL, signal);
            attributes.put(PipelineMatcher.MONITOR_ALIASES, MONITOR_ALIAS_PREFIX + signal);
        }
        putIfPresent(attributes, RUN_ID, runId);
        putIfPresent(attributes, EXPERIMENT_NAME, experiment);
        putIfPresent(attributes, RUN_STATUS, d.optText("runStatus") == null ? null : canonicalStatus(d.optText("runStatus")));
        StringBuilder evidence = new StringBuilder("Azure ML model monitor signal '" + monitor + "'" + (runId == null ? "" : " run " + runId));
        if (scored.isEmpty() && notScored.isEmpty()) {
            evidence.append(": ").append(tagWhere).append(" lists no feature with a metric value");
        } else {
            if (!scored.isEmpty()) evidence.append(": ").append(String.join("; ", scored));
            if (!notScored.isEmpty()) evidence.append(scored.isEmpty() ? ": " : "; ").append("not drift scores (lower is worse): ")
                    .append(String.join("; ", notScored));
        }
        attributes.put(TriggerEvent.EVIDENCE, evidence.toString());
        return new TriggerEvent(e.id(), EventKind.DRIFT_ALERT, Cloud.AZURE, SOURCE, null, e.time(), null, 0, features, monitor, attributes);
    }

    private static TriggerEvent runStatus(EventGridEvent e, String status) {
        JsonAt d = e.data();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(TriggerEvent.EXECUTION_ID, d.text("runId"));
        attributes.put(TriggerEvent.EXECUTION_STATUS, status);
        if (FINAL_STATUSES.contains(status) && e.time() != null) attributes.put(TriggerEvent.EXECUTION_ENDED_AT, e.time().toString());
        putIfPresent(attributes, EXPERIMENT_NAME, d.optText("experimentName"));
        putIfPresent(attributes, RUN_TYPE, d.optText("runType"));
        return TriggerEvent.launchStatus(e.id(), Cloud.AZURE, SOURCE, e.time(), attributes);
    }

    /** Azure ML's spelling of a job status ({@code failed} → {@code Failed}, {@code Cancelled} → {@code Canceled}); unknown ones as sent. */
    static String canonicalStatus(String status) {
        String s = status.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("cancelled")) return "Canceled";
        return STATUSES.getOrDefault(lower, s);
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null) m.put(k, v);
    }
}
