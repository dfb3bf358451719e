package io.retraintrigger.ingest.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch alarm state changes, in their two wire formats:
 * <ul>
 *   <li>the EventBridge event {@code CloudWatch Alarm State Change} (source {@code aws.cloudwatch}):
 *   {@code detail.alarmName}, {@code detail.state.value/reason/reasonData},
 *   {@code detail.configuration.metrics[].metricStat.metric.name/namespace/dimensions{}}; id = the event id;</li>
 *   <li>the alarm message CloudWatch publishes to SNS ({@code AlarmName, NewStateValue, NewStateReason,
 *   StateChangeTime, AlarmArn, Trigger.MetricName, Trigger.Dimensions[{name,value}]}); id = the SNS MessageId.</li>
 * </ul>
 * New state {@code ALARM}: a drift alert whose monitor is the alarm name and whose one feature is
 * named after the alarm's metric: SageMaker Model Monitor publishes {@code feature_baseline_drift_<feature>}
 * (namespace {@code aws/sagemaker/Endpoints/data-metrics}), which names feature {@code <feature>}; any
 * other metric names a feature after itself. The score is the largest datapoint that crossed the
 * threshold ({@code reasonData.recentDatapoints}, else the {@code [0.42 (27/11/26 10:00:00), ...]} list in
 * the reason text); without a datapoint the alert carries no feature score (attribute {@code threshold}
 * says what was crossed). New state {@code OK} or {@code INSUFFICIENT_DATA}: an alert resolved.
 * Attributes: {@value #STATE}, {@value #REASON}, {@value #ALARM_ARN}, {@value #ENDPOINT_NAME} (from the
 * {@code EndpointName} or {@code Endpoint} dimension), {@value #MONITOR_ALIASES}
 * ({@code sagemaker-endpoint:<EndpointName>}, comma-separated), {@value #METRIC_NAME}, {@value #THRESHOLD},
 * {@value #MONITORING_SCHEDULE}. Pure: no Camel, no CDI.
 */
public final class CloudWatchAlarmParser {
    public static final String SOURCE = "aws.cloudwatch";
    public static final String STATE_CHANGE = "CloudWatch Alarm State Change";
    /** SageMaker Model Monitor's drift metric: {@code feature_baseline_drift_<feature name>}. */
    public static final String BASELINE_DRIFT_METRIC_PREFIX = "feature_baseline_drift_";
    public static final String ENDPOINT_ALIAS_PREFIX = "sagemaker-endpoint:";

    public static final String STATE = "state";
    public static final String REASON = "reason";
    public static final String ALARM_ARN = "alarmArn";
    public static final String ENDPOINT_NAME = "endpointName";
    public static final String MONITOR_ALIASES = "monitorAliases";
    public static final String METRIC_NAME = "metricName";
    public static final String THRESHOLD = "threshold";
    public static final String MONITORING_SCHEDULE = "monitoringSchedule";

    private static final String NUMBER = "(-?\\d+(?:\\.\\d+)?(?:[Ee][-+]?\\d+)?)";
    /** A datapoint in a reason: {@code 0.42 (27/11/26 10:00:00)}; thresholds in brackets carry no date. */
    private static final Pattern DATED_DATAPOINT = Pattern.compile(NUMBER + " \\(\\d{1,2}/\\d{1,2}/\\d{2,4} \\d{1,2}:\\d{2}(?::\\d{2})?\\)");
    /** The older wording: {@code 1 datapoint (10.0) was greater than ...}. */
    private static final Pattern OLD_DATAPOINT = Pattern.compile("datapoints? \\(" + NUMBER + "\\)");

    private record Metric(String name, String namespace, Map<String, String> dimensions) {
    }

    /** An EventBridge {@code CloudWatch Alarm State Change} event (an SQS message body). */
    public TriggerEvent parseEventBridge(String body) {
        return fromEventBridge(EventBridgeEvent.of(AwsJson.root(JsonAt.read(body, "message"), "")));
    }

    /**
     * The alarm message CloudWatch publishes to SNS (the envelope's {@code Message}).
     *
     * @param messageId   the SNS MessageId, the event's id; null for raw message delivery (the id is then
     *                    made of the alarm and its state change time)
     * @param publishedAt the SNS Timestamp, used when the message has no StateChangeTime (may be null)
     */
    public TriggerEvent parseSnsMessage(String messageId, Instant publishedAt, String alarmJson) {
        return fromSns(AwsJson.root(JsonAt.read(alarmJson, "alarm message"), ""), messageId, publishedAt);
    }

    static boolean looksLikeSnsAlarm(JsonAt n) {
        return n.node().isObject() && n.node().has("AlarmName") && n.node().has("NewStateValue");
    }

    TriggerEvent fromEventBridge(EventBridgeEvent e) {
        e.expect(SOURCE, STATE_CHANGE);
        JsonAt detail = e.detail();
        String alarmName = detail.text("alarmName");
        JsonAt state = detail.obj("state");
        String value = state.text("value");
        String reason = state.optText("reason");
        List<Double> datapoints = new ArrayList<>();
        Double threshold = null;
        String reasonData = state.optText("reasonData");
        if (reasonData != null) {
            JsonNode data = reasonDataJson(reasonData);
            if (data != null) {
                for (JsonNode d : data.path("recentDatapoints")) {
                    if (d.isNumber()) datapoints.add(d.asDouble());
                }
                if (data.path("threshold").isNumber()) threshold = data.path("threshold").asDouble();
            }
        }
        if (datapoints.isEmpty()) datapoints = datapointsIn(reason);
        String alarmArn = e.resources().stream().filter(r -> r.contains(":alarm:")).findFirst()
                .orElse(e.resources().isEmpty() ? null : e.resources().get(0));
        Metric metric = eventBridgeMetric(detail);
        Instant changed = state.optTime("timestamp");
        return event(changed != null ? changeId(alarmName, changed) : e.id(), e.time(), alarmName, value,
                state.where("value"), reason, state.where("reason"), alarmArn, metric, datapoints, threshold);
    }

    /**
     * The id of an alarm's state change, whichever way it came (EventBridge, SNS, raw delivery): its name
     * and the change's time, so that one transition delivered twice is one event, decided once.
     */
    static String changeId(String alarmName, Instant changed) {
        return "cloudwatch-alarm:" + alarmName + "@" + changed;
    }

    TriggerEvent fromSns(JsonAt alarm, String messageId, Instant publishedAt) {
        String alarmName = alarm.text("AlarmName");
        String value = alarm.text("NewStateValue");
        String reason = alarm.optText("NewStateReason");
        String alarmArn = alarm.optText("AlarmArn");
        Instant changed = alarm.optTime("StateChangeTime");
        // by the change itself (not the SNS message id), as for EventBridge: the two channels dedup each other
        String id = changed != null ? changeId(alarmName, changed) : messageId;
        if (id == null) id = changeId(alarmName, alarm.time("StateChangeTime"));
        JsonAt trigger = alarm.optObj("Trigger");
        Double threshold = null;
        if (trigger != null && trigger.node().path("Threshold").isNumber()) threshold = trigger.node().path("Threshold").asDouble();
        Metric metric = trigger == null ? null : snsMetric(trigger);
        return event(id, changed != null ? changed : publishedAt, alarmName, value, alarm.where("NewStateValue"), reason,
                alarm.where("NewStateReason"), alarmArn, metric, datapointsIn(reason), threshold);
    }

    private static TriggerEvent event(String id, Instant at, String alarmName, String state, String stateWhere, String reason,
                                      String reasonWhere, String alarmArn, Metric metric, List<Double> datapoints, Double threshold) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(STATE, state);
        if (reason != null) attributes.put(REASON, reason);
        if (alarmArn != null) attributes.put(ALARM_ARN, alarmArn);
        if (metric != null) {
            attributes.put(METRIC_NAME, metric.name());
            String endpoint = firstOf(metric.dimensions(), "EndpointName", "Endpoint");
            if (endpoint != null) {
                attributes.put(ENDPOINT_NAME, endpoint);
                attributes.put(MONITOR_ALIASES, ENDPOINT_ALIAS_PREFIX + endpoint);
            }
            String schedule = firstOf(metric.dimensions(), "ScheduleName", "MonitoringSchedule");
            if (schedule != null) attributes.put(MONITORING_SCHEDULE, schedule);
        }
        if (threshold != null) attributes.put(THRESHOLD, Double.toString(threshold));
        switch (state) {
            case "ALARM" -> {
                List<FeatureScore> features = new ArrayList<>();
                Double score = datapoints.stream().max(Double::compare).orElse(null);
                if (score != null && metric != null && isModelMonitorStatistic(metric.name())) {
                    // a count, a completeness or a data value: graded only by the pipeline's severity for this monitor
                    attributes.put(TriggerEvent.EVIDENCE, "metric " + metric.name() + " = " + score + " is a Model Monitor statistic, not a drift distance");
                } else if (score != null) {
                    if (!Double.isFinite(score) || score < 0) {
                        throw JsonAt.invalid(reasonWhere, "datapoint " + score + " of alarm '" + alarmName + "' is not a drift score (a finite number >= 0)");
                    }
                    String feature = metric == null ? alarmName : featureName(metric.name());
                    features.add(new FeatureScore(feature, score));
                }
                return new TriggerEvent(id, EventKind.DRIFT_ALERT, Cloud.AWS, SOURCE, null, at, null, 0, features, alarmName, attributes);
            }
            case "OK", "INSUFFICIENT_DATA" -> {
                return TriggerEvent.alertResolved(id, Cloud.AWS, SOURCE, null, at, alarmName, attributes);
            }
            default -> throw JsonAt.invalid(stateWhere, "'" + state + "' is not an alarm state (ALARM, OK or INSUFFICIENT_DATA)");
        }
    }

    /**
     * Model Monitor's per-feature statistics ({@code feature_data_<feature>}: min, max, sum, ...;
     * {@code feature_non_null_<feature>}: completeness), which it publishes next to the drift distance
     * {@code feature_baseline_drift_<feature>}: their values say nothing about how far data drifted.
     */
    static boolean isModelMonitorStatistic(String metricName) {
        return metricName.startsWith("feature_data_") || metricName.startsWith("feature_non_null_");
    }

    /** {@code feature_baseline_drift_amount} names feature {@code amount}; other metrics name themselves. */
    public static String featureName(String metricName) {
        if (metricName.startsWith(BASELINE_DRIFT_METRIC_PREFIX) && metricName.length() > BASELINE_DRIFT_METRIC_PREFIX.length()) {
            return metricName.substring(BASELINE_DRIFT_METRIC_PREFIX.length());
        }
        return metricName;
    }

    /** The datapoints a reason lists, e.g. {@code [0.42 (27/11/26 10:00:00), 0.38 (27/11/26 09:00:00)]}. */
    static List<Double> datapointsIn(String reason) {
        List<Double> out = new ArrayList<>();
        if (reason == null) return out;
        Matcher m = DATED_DATAPOINT.matcher(reason);
        while (m.find()) out.add(Double.parseDouble(m.group(1)));
        if (out.isEmpty()) {
            Matcher old = OLD_DATAPOINT.matcher(reason);
            while (old.find()) out.add(Double.parseDouble(old.group(1)));
        }
        return out;
    }

    private static JsonNode reasonDataJson(String reasonData) {
        try {
            JsonNode n = JsonAt.MAPPER.readTree(reasonData);
            return n != null && n.isObject() ? n : null;
        } catch (Exception notJson) {
            return null; // the reason text still has the datapoints
        }
    }

    /**
     * The metric that names the feature: the first one the alarm evaluates ({@code returnData}) that is a
     * metric; else the evaluated expression (by label, else id); else the first metric. Dimensions of all
     * metrics are kept, so that an expression over an endpoint's metrics still names the endpoint.
     */
    private static Metric eventBridgeMetric(JsonAt detail) {
        JsonAt config = detail.optObj("configuration");
        if (config == null) return null;
        Map<String, String> allDimensions = new LinkedHashMap<>();
        Metric returned = null;
        Metric first = null;
        String expression = null;
        for (JsonAt m : config.optArray("metrics")) {
            boolean returns = m.node().path("returnData").asBoolean(true);
            JsonAt stat = m.optObj("metricStat");
            if (stat != null) {
                JsonAt metric = stat.obj("metric");
                Map<String, String> dims = new LinkedHashMap<>();
                JsonAt d = metric.optObj("dimensions");
                if (d != null) d.node().fields().forEachRemaining(f -> dims.put(f.getKey(), f.getValue().asText()));
                Metric x = new Metric(metric.text("name"), metric.optText("namespace"), dims);
                dims.forEach(allDimensions::putIfAbsent);
                if (first == null) first = x;
                if (returns && returned == null) returned = x;
            } else if (returns && expression == null) {
                expression = m.optText("label") != null ? m.optText("label") : m.optText("id");
            }
        }
        return chosen(returned, expression, first, allDimensions);
    }

    /** SNS: {@code Trigger.MetricName/Namespace/Dimensions[{name,value}]}, or {@code Trigger.Metrics[]} for metric math. */
    private static Metric snsMetric(JsonAt trigger) {
        String name = trigger.optText("MetricName");
        if (name != null) return new Metric(name, trigger.optText("Namespace"), snsDimensions(trigger.optArray("Dimensions")));
        Map<String, String> allDimensions = new LinkedHashMap<>();
        Metric returned = null;
        Metric first = null;
        String expression = null;
        for (JsonAt m : trigger.optArray("Metrics")) {
            boolean returns = m.node().path("ReturnData").asBoolean(true);
            JsonAt stat = m.optObj("MetricStat");
            if (stat != null) {
                JsonAt metric = stat.obj("Metric");
                Map<String, String> dims = snsDimensions(metric.optArray("Dimensions"));
                Metric x = new Metric(metric.text("MetricName"), metric.optText("Namespace"), dims);
                dims.forEach(allDimensions::putIfAbsent);
                if (first == null) first = x;
                if (returns && returned == null) returned = x;
            } else if (returns && expression == null) {
                expression = m.optText("Label") != null ? m.optText("Label") : m.optText("Id");
            }
        }
        return chosen(returned, expression, first, allDimensions);
    }

    private static Metric chosen(Metric returned, String expression, Metric first, Map<String, String> allDimensions) {
        Metric m = returned != null ? returned : expression != null ? new Metric(expression, null, Map.of()) : first;
        if (m == null) return null;
        Map<String, String> dims = new LinkedHashMap<>(m.dimensions());
        allDimensions.forEach(dims::putIfAbsent);
        return new Metric(m.name(), m.namespace(), dims);
    }

    private static Map<String, String> snsDimensions(List<JsonAt> dimensions) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonAt d : dimensions) {
            String name = d.optText("name") != null ? d.optText("name") : d.optText("Name");
            String value = d.optText("value") != null ? d.optText("value") : d.optText("Value");
            if (name == null) throw JsonAt.missing(d.where("name"));
            if (value != null) out.put(name, value);
        }
        return out;
    }

    private static String firstOf(Map<String, String> dims, String... names) {
        for (String n : names) {
            String v = dims.get(n);
            if (v != null && !v.isBlank()) return v;
        }
        return null;
    }
}
