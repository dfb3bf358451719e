package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything that arrives on retrain-trigger's Pub/Sub subscriptions, one message at a time: detects
 * the wire format and hands it to its parser.
 * <ol>
 *   <li>attributes {@code eventType} with {@code bucketId}, {@code objectId} or {@code payloadFormat}:
 *   a Cloud Storage notification ({@link StorageNotificationParser});</li>
 *   <li>data that is a JSON object with an {@code incident} object: a Cloud Monitoring notification
 *   ({@link MonitoringIncidentParser});</li>
 *   <li>data that is a Cloud Logging entry ({@code logName}, or {@code insertId} and {@code resource}):
 *   a Vertex AI Model Monitoring anomaly (log {@code model_monitoring_anomaly} or payload
 *   {@code ModelMonitoringAnomaliesLogEntry}, {@link ModelMonitoringAnomalyParser}) or a Vertex AI
 *   pipeline job entry (resource {@code aiplatform.googleapis.com/PipelineJob}, log
 *   {@code pipeline_job_events}, {@link PipelineJobStateParser}); any other entry is refused;</li>
 *   <li>attribute {@code pipeline} or {@code jobName}, or data that is a JSON object with
 *   {@code pipeline} or {@code jobName}: a Cloud Scheduler tick ({@link CloudSchedulerParser}).</li>
 * </ol>
 * Data that starts like JSON (an opening brace or bracket) but does not parse is refused with 400; a message of
 * no known shape (including free-text data with no telling attribute) with 422, naming what was seen; a
 * known message missing a field it needs with 422, naming the field ({@code attributes.bucketId},
 * {@code data.incident.state}, ...). A message of no known shape that a pipeline claims as its scheduler's
 * (by subscription or attribute, {@link CloudSchedulerParser#claimed}) is that pipeline's tick instead.
 * Pure: no Camel, no CDI.
 */
public final class GcpMessageParser {
    private final StorageNotificationParser storage = new StorageNotificationParser();
    private final MonitoringIncidentParser incidents = new MonitoringIncidentParser();
    private final ModelMonitoringAnomalyParser anomalies = new ModelMonitoringAnomalyParser();
    private final CloudSchedulerParser scheduler = new CloudSchedulerParser();
    private final PipelineJobStateParser pipelineJobs = new PipelineJobStateParser();
    private final Set<String> schedulerClaims;

    public GcpMessageParser() {
        this(Set.of());
    }

    /** @param schedulerClaims the pipelines' {@code pubsub-subscription:} and {@code pubsub-attribute:} schedule sources */
    public GcpMessageParser(Set<String> schedulerClaims) {
        this.schedulerClaims = Set.copyOf(schedulerClaims);
    }

    /**
     * One Pub/Sub message: the events it stands for (one, for every format known today).
     *
     * @param data        the message data as text (empty or null when the message has none)
     * @param attributes  the message attributes (null for none)
     * @param messageId   the Pub/Sub messageId
     * @param publishTime the Pub/Sub publishTime (may be null)
     */
    public List<TriggerEvent> parse(String data, Map<String, String> attributes, String messageId, Instant publishTime) {
        return parse(new PubSubMessage(data, attributes, messageId, publishTime));
    }

    public List<TriggerEvent> parse(PubSubMessage m) {
        if (StorageNotificationParser.looksLike(m.attributes())) return List.of(storage.parse(m));
        if (!m.hasData()) {
            if (CloudSchedulerParser.looksLike(m.attributes())) return List.of(scheduler.parse(m, null));
            return unrecognized(m, "unrecognized GCP message: no data and attributes " + m.attributes().keySet()
                    + "; expected a Cloud Storage notification (eventType, bucketId, objectId) or a Cloud Scheduler message (pipeline or jobName)");
        }
        if (!GcpJson.looksLikeJson(m.data())) {
            if (CloudSchedulerParser.looksLike(m.attributes())) return List.of(scheduler.parse(m, null));
            return unrecognized(m, "unrecognized GCP message: the data is not JSON ('" + GcpJson.abbreviate(m.data())
                    + "') and attributes " + m.attributes().keySet() + " name no known format");
        }
        JsonNode n = JsonAt.read(m.data(), "message data");
        if (MonitoringIncidentParser.looksLike(n)) return List.of(incidents.parse(GcpJson.data(n), m.publishTime()));
        if (LogEntry.looksLike(n)) {
            LogEntry e = LogEntry.of(GcpJson.data(n), m.attributes());
            if (ModelMonitoringAnomalyParser.looksLike(e)) return List.of(anomalies.parse(e, m.publishTime()));
            if (PipelineJobStateParser.looksLike(e)) return List.of(pipelineJobs.parse(e, m.publishTime()));
            throw new BadInputException(422, "unrecognized GCP message: a Cloud Logging entry of log '" + e.logId() + "'"
                    + (e.resourceType() == null ? "" : " (resource type " + e.resourceType() + ")")
                    + (e.payloadType() == null ? "" : " with payload " + e.payloadType())
                    + "; known: aiplatform.googleapis.com/model_monitoring_anomaly, aiplatform.googleapis.com/pipeline_job_events");
        }
        if (CloudSchedulerParser.looksLike(n) || CloudSchedulerParser.looksLike(m.attributes())) return List.of(scheduler.parse(m, n));
        String seen = n.isObject() ? "a JSON object with fields " + GcpJson.data(n).describeFields()
                : "a JSON " + n.getNodeType().name().toLowerCase();
        return unrecognized(m, "unrecognized GCP message: the data is " + seen + " and attributes " + m.attributes().keySet()
                + "; expected a Cloud Monitoring incident (incident), a Cloud Logging entry (logName, insertId, resource),"
                + " a Cloud Scheduler message (pipeline or jobName) or Cloud Storage notification attributes (eventType, bucketId, objectId)");
    }

    /** A pipeline's scheduler tick, if a pipeline claims the message by subscription or attribute; else refused with {@code why}. */
    private List<TriggerEvent> unrecognized(PubSubMessage m, String why) {
        return List.of(scheduler.claimed(m, schedulerClaims).orElseThrow(() -> new BadInputException(422, why
                + (schedulerClaims.isEmpty() ? "" : "; no pipeline claims it by subscription or attribute"))));
    }
}
