package io.retraintrigger.ingest.gcp;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Vertex AI Pipelines job state changes, as a log sink exports them to Pub/Sub. Vertex AI writes them
 * to the log {@code aiplatform.googleapis.com/pipeline_job_events} with resource
 * {@code aiplatform.googleapis.com/PipelineJob} (labels {@code resource_container, location,
 * pipeline_job_id}), payload {@code @type type.googleapis.com/google.cloud.aiplatform.logging.PipelineJobLogEntry}
 * whose {@code state} is the job's new {@code PipelineState} ({@code PIPELINE_STATE_RUNNING},
 * {@code PIPELINE_STATE_SUCCEEDED}, {@code PIPELINE_STATE_FAILED}, {@code PIPELINE_STATE_CANCELLED},
 * ...), and entry labels such as {@code pipeline_name}. The sink's filter is typically
 * {@code resource.type="aiplatform.googleapis.com/PipelineJob" jsonPayload.state=(...)}.
 * <p>
 * A job event becomes a launch status: {@link TriggerEvent#EXECUTION_ID} = the pipeline job's full
 * resource name {@code projects/PROJECT/locations/LOCATION/pipelineJobs/ID}, which is what
 * CreatePipelineJob returns to the launcher as the job's {@code name}: a resource name found in the payload
 * ({@code pipelineJobName}, {@code pipelineJob} or {@code name}) is taken as is, else it is built from the
 * resource labels ({@code resource_container}: Vertex AI's published entries write {@code projects/NUMBER},
 * the form of the returned name; a bare value is prefixed with {@code projects/}; without it, the log
 * name's project). Should the launcher have recorded the name with the project id instead of its number,
 * the two would not match: {@value #PIPELINE_JOB_ID} carries the bare job id too (the decision id the
 * launcher used as the job id), {@link TriggerEvent#EXECUTION_STATUS} = the state, and for a final state
 * ({@value #FINAL_STATES_TEXT}) {@link TriggerEvent#EXECUTION_ENDED_AT} = the payload's {@code endTime}
 * when present, else the entry's timestamp. Other attributes: {@value #PIPELINE_NAME} (entry label).
 * Id: {@link LogEntry#id()}.
 * <p>
 * Other entries of a PipelineJob resource (the task events of {@code pipeline_job_task_events}, payload
 * {@code PipelineJobTaskLogEntry}, or entries without a state of other logs) say nothing about the job's
 * state: they are ignored. A {@code pipeline_job_events} entry without {@code jsonPayload.state} is refused
 * (422). Beyond {@code state}, the payload's fields are not documented with a sample; only those named
 * above are read, when present. Pure: no Camel, no CDI.
 */
public final class PipelineJobStateParser {
    public static final String SOURCE = "aiplatform.googleapis.com";
    public static final String RESOURCE_TYPE = "aiplatform.googleapis.com/PipelineJob";
    public static final String JOB_EVENTS_LOG = "pipeline_job_events";
    public static final String TASK_EVENTS_LOG = "pipeline_job_task_events";
    public static final String JOB_PAYLOAD_TYPE = "PipelineJobLogEntry";
    public static final String TASK_PAYLOAD_TYPE = "PipelineJobTaskLogEntry";
    public static final Set<String> FINAL_STATES = Set.of("PIPELINE_STATE_SUCCEEDED", "PIPELINE_STATE_FAILED", "PIPELINE_STATE_CANCELLED");
    static final String FINAL_STATES_TEXT = "PIPELINE_STATE_SUCCEEDED, PIPELINE_STATE_FAILED, PIPELINE_STATE_CANCELLED";
    public static final String PIPELINE_JOB_ID = "pipelineJobId";
    public static final String PIPELINE_NAME = "pipelineName";

    static boolean looksLike(LogEntry e) {
        return RESOURCE_TYPE.equals(e.resourceType()) || e.isLog(JOB_EVENTS_LOG) || e.isLog(TASK_EVENTS_LOG)
                || e.payloadTypeIs(JOB_PAYLOAD_TYPE) || e.payloadTypeIs(TASK_PAYLOAD_TYPE);
    }

    public TriggerEvent parse(PubSubMessage m) {
        return parse(LogEntry.of(m), m.publishTime());
    }

    TriggerEvent parse(LogEntry e, Instant publishTime) {
        String id = e.id();
        Instant at = e.timestamp() != null ? e.timestamp() : publishTime;
        boolean jobEvent = e.isLog(JOB_EVENTS_LOG) || e.payloadTypeIs(JOB_PAYLOAD_TYPE);
        boolean taskEvent = e.isLog(TASK_EVENTS_LOG) || e.payloadTypeIs(TASK_PAYLOAD_TYPE);
        String state = e.jsonPayload() == null ? null : e.jsonPayload().optText("state");
        if (taskEvent || (!jobEvent && state == null)) {
            String what = taskEvent ? "a pipeline task event" : "an entry of log " + e.logId() + " without a job state";
            return TriggerEvent.ignored(id, Cloud.GCP, SOURCE, at, "Vertex AI pipeline job " + jobId(e, null) + ": " + what + "; asks for nothing");
        }
        JsonAt p = e.payload();
        state = p.text("state");

        String name = jobName(e, p);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(TriggerEvent.EXECUTION_ID, name);
        attributes.put(TriggerEvent.EXECUTION_STATUS, state);
        if (FINAL_STATES.contains(state)) {
            Instant end = p.optTime("endTime");
            Instant ended = end != null ? end : at;
            if (ended != null) attributes.put(TriggerEvent.EXECUTION_ENDED_AT, ended.toString());
        }
        attributes.put(PIPELINE_JOB_ID, ModelMonitoringAnomalyParser.lastSegment(name));
        String pipelineName = e.labels().get("pipeline_name");
        if (pipelineName != null) attributes.put(PIPELINE_NAME, pipelineName);
        return TriggerEvent.launchStatus(id, Cloud.GCP, SOURCE, at, attributes);
    }

    /** The job's resource name: from the payload when it has one, else from the resource labels. */
    private static String jobName(LogEntry e, JsonAt p) {
        for (String field : new String[]{"pipelineJobName", "pipelineJob", "name"}) {
            String v = p.optText(field);
            if (v != null && v.startsWith("projects/") && v.contains("/pipelineJobs/")) return v;
        }
        Map<String, String> labels = e.resourceLabels();
        String jobId = labels.get("pipeline_job_id");
        if (jobId == null) throw JsonAt.missing(e.where("resource.labels.pipeline_job_id"));
        String project = LogEntry.container(labels.get("resource_container"));
        if (project == null) project = e.project();
        if (project == null) throw JsonAt.missing(e.where("resource.labels.resource_container"));
        String location = labels.get("location");
        if (location == null) throw JsonAt.missing(e.where("resource.labels.location"));
        return "projects/" + project + "/locations/" + location + "/pipelineJobs/" + jobId;
    }

    private static String jobId(LogEntry e, String fallback) {
        String id = e.resourceLabels().get("pipeline_job_id");
        return id != null ? id : fallback != null ? fallback : "(unnamed)";
    }
}
