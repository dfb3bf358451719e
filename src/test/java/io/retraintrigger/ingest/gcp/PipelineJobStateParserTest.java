package io.retraintrigger.ingest.gcp;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.testing.JsonFixtures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.retraintrigger.ingest.gcp.GcpFixtures.message;
import static io.retraintrigger.ingest.gcp.GcpFixtures.with;
import static io.retraintrigger.ingest.gcp.GcpFixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineJobStateParserTest {
    private static final String SUCCEEDED = "vertex-pipeline-job-succeeded.json";
    private static final String JOB = "projects/677687165274/locations/us-central1/pipelineJobs/fraud-7f3c2a9e-20260310";
    private final PipelineJobStateParser parser = new PipelineJobStateParser();

    @Test
    void aSucceededJobIsAFinalLaunchStatusOfTheJobsResourceName() {
        TriggerEvent e = parser.parse(message(SUCCEEDED));
        assertEquals(EventKind.LAUNCH_STATUS, e.kind());
        assertEquals(Cloud.GCP, e.cloud());
        assertEquals("aiplatform.googleapis.com", e.source());
        assertNull(e.pipeline());
        assertEquals("log-entry:mlops-prod/1x7rk2fe3bq9ab#2026-03-10T10:42:17.331204Z", e.id());
        assertEquals(Instant.parse("2026-03-10T10:42:17.331204Z"), e.occurredAt());
        Map<String, String> a = e.attributes();
        assertEquals(JOB, a.get(TriggerEvent.EXECUTION_ID), "the name CreatePipelineJob returned to the launcher");
        assertEquals("PIPELINE_STATE_SUCCEEDED", a.get(TriggerEvent.EXECUTION_STATUS));
        assertEquals("2026-03-10T10:42:17.331204Z", a.get(TriggerEvent.EXECUTION_ENDED_AT));
        assertEquals("fraud-7f3c2a9e-20260310", a.get("pipelineJobId"));
        assertEquals("fraud-training", a.get("pipelineName"));
    }

    @Test
    void failedAndCancelledAreFinalToo() {
        for (String state : new String[]{"PIPELINE_STATE_FAILED", "PIPELINE_STATE_CANCELLED"}) {
            TriggerEvent e = parser.parse(with(SUCCEEDED, "data.jsonPayload.state", state));
            assertEquals(state, e.attributes().get(TriggerEvent.EXECUTION_STATUS));
            assertEquals("2026-03-10T10:42:17.331204Z", e.attributes().get(TriggerEvent.EXECUTION_ENDED_AT));
        }
    }

    @Test
    void aRunningJobHasNoEndTime() {
        TriggerEvent e = parser.parse(with(SUCCEEDED, "data.jsonPayload.state", "PIPELINE_STATE_RUNNING"));
        assertEquals(EventKind.LAUNCH_STATUS, e.kind());
        assertEquals("PIPELINE_STATE_RUNNING", e.attributes().get(TriggerEvent.EXECUTION_STATUS));
        assertFalse(e.attributes().containsKey(TriggerEvent.EXECUTION_ENDED_AT));
    }

    @Test
    void anEndTimeInThePayloadIsTheEnd() {
        TriggerEvent e = parser.parse(with(SUCCEEDED, "data.jsonPayload.endTime", "2026-03-10T10:42:15Z"));
        assertEquals("2026-03-10T10:42:15Z", e.attributes().get(TriggerEvent.EXECUTION_ENDED_AT));
    }

    @Test
    void aResourceNameInThePayloadIsTakenAsIs() {
        String named = "projects/mlops-prod/locations/europe-west4/pipelineJobs/churn-1";
        assertEquals(named, parser.parse(with(SUCCEEDED, "data.jsonPayload.pipelineJobName", named)).attributes().get(TriggerEvent.EXECUTION_ID));
    }

    @Test
    void aBareProjectInResourceContainerIsPrefixed() {
        TriggerEvent e = parser.parse(with(SUCCEEDED, "data.resource.labels.resource_container", "677687165274"));
        assertEquals(JOB, e.attributes().get(TriggerEvent.EXECUTION_ID));
    }

    @Test
    void taskEventsAndStatelessEntriesAreIgnored() {
        TriggerEvent task = parser.parse(message("vertex-pipeline-job-task-event.json"));
        assertEquals(EventKind.IGNORED, task.kind());
        assertTrue(task.attributes().get("reason").contains("pipeline task event"), task.attributes().toString());
        assertEquals("log-entry:mlops-prod/1x7rk2fe3bq8zz#2026-03-10T10:30:00.912Z", task.id());

        PubSubMessage text = message(JsonFixtures.set(JsonFixtures.remove(GcpFixtures.tree(SUCCEEDED), "data.jsonPayload"),
                "data.logName", "projects/mlops-prod/logs/aiplatform.googleapis.com%2Fpipeline_job_logs"));
        assertEquals(EventKind.IGNORED, parser.parse(text).kind());
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: data.jsonPayload.state", () -> parser.parse(without(SUCCEEDED, "data.jsonPayload.state")));
        refused(422, "missing field: data.jsonPayload", () -> parser.parse(without(SUCCEEDED, "data.jsonPayload")));
        refused(422, "missing field: data.insertId", () -> parser.parse(without(SUCCEEDED, "data.insertId")));
        refused(422, "missing field: data.resource.labels.pipeline_job_id", () -> parser.parse(without(SUCCEEDED, "data.resource.labels.pipeline_job_id")));
        refused(422, "missing field: data.resource.labels.location", () -> parser.parse(without(SUCCEEDED, "data.resource.labels.location")));
        refused(422, "invalid field data.jsonPayload.endTime", () -> parser.parse(with(SUCCEEDED, "data.jsonPayload.endTime", "later")));
    }

    @Test
    void withoutAResourceContainerTheLogNamesProjectServes() {
        TriggerEvent e = parser.parse(without(SUCCEEDED, "data.resource.labels.resource_container"));
        assertEquals("projects/mlops-prod/locations/us-central1/pipelineJobs/fraud-7f3c2a9e-20260310", e.attributes().get(TriggerEvent.EXECUTION_ID));
    }
}
