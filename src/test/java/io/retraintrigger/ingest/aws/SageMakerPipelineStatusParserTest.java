package io.retraintrigger.ingest.aws;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.retraintrigger.ingest.aws.Fixtures.read;
import static io.retraintrigger.ingest.aws.Fixtures.with;
import static io.retraintrigger.ingest.aws.Fixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SageMakerPipelineStatusParserTest {
    private static final String SUCCEEDED = "sagemaker-pipeline-execution-succeeded.json";
    private static final String EXECUTION = "arn:aws:sagemaker:us-east-1:111122223333:pipeline/myPipeline-123/execution/p4jn9xou8a8s";
    private final SageMakerPipelineStatusParser parser = new SageMakerPipelineStatusParser();

    @Test
    void documentedSucceededExecutionIsALaunchStatusWithItsEnd() {
        TriggerEvent e = parser.parse(read(SUCCEEDED));
        assertEquals(EventKind.LAUNCH_STATUS, e.kind());
        assertEquals("315c1398-40ff-a850-213b-158f73kd93ir", e.id());
        assertEquals(Cloud.AWS, e.cloud());
        assertEquals("aws.sagemaker", e.source());
        assertEquals(Instant.parse("2021-03-15T16:10:11Z"), e.occurredAt());
        assertEquals(EXECUTION, e.attributes().get(TriggerEvent.EXECUTION_ID));
        assertEquals("Succeeded", e.attributes().get(TriggerEvent.EXECUTION_STATUS));
        assertEquals("2021-03-15T16:10:10Z", e.attributes().get(TriggerEvent.EXECUTION_ENDED_AT), "detail.executionEndTime");
        assertEquals("arn:aws:sagemaker:us-east-1:111122223333:pipeline/myPipeline-123", e.attributes().get("pipelineArn"));
        assertEquals("Executing", e.attributes().get("previousStatus"));
    }

    @Test
    void aRunningExecutionHasNoEnd() {
        TriggerEvent e = parser.parse(read("sagemaker-pipeline-execution-executing.json"));
        assertEquals("Executing", e.attributes().get(TriggerEvent.EXECUTION_STATUS));
        assertFalse(e.attributes().containsKey(TriggerEvent.EXECUTION_ENDED_AT));
    }

    @Test
    void aFinalStatusWithoutEndTimeEndsAtTheEventTime() {
        TriggerEvent e = parser.parse(read("sagemaker-pipeline-execution-failed-no-end-time.json"));
        assertEquals("Failed", e.attributes().get(TriggerEvent.EXECUTION_STATUS));
        assertEquals("2021-03-15T16:12:40Z", e.attributes().get(TriggerEvent.EXECUTION_ENDED_AT));
        TriggerEvent stopped = parser.parse(with(SUCCEEDED, "detail.currentPipelineExecutionStatus", "Stopped"));
        assertEquals("2021-03-15T16:10:10Z", stopped.attributes().get(TriggerEvent.EXECUTION_ENDED_AT));
        TriggerEvent stopping = parser.parse(with(SUCCEEDED, "detail.currentPipelineExecutionStatus", "Stopping"));
        assertFalse(stopping.attributes().containsKey(TriggerEvent.EXECUTION_ENDED_AT));
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: detail.pipelineExecutionArn", () -> parser.parse(without(SUCCEEDED, "detail.pipelineExecutionArn")));
        refused(422, "missing field: detail.currentPipelineExecutionStatus",
                () -> parser.parse(without(SUCCEEDED, "detail.currentPipelineExecutionStatus")));
        refused(422, "invalid field detail.executionEndTime", () -> parser.parse(with(SUCCEEDED, "detail.executionEndTime", "later")));
    }

    @Test
    void anotherEventIsRefused() {
        refused(422, "unrecognized AWS message", () -> parser.parse(with(SUCCEEDED, "detail-type", "SageMaker Model Building Pipeline Execution Step Status Change")));
    }
}
