package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.TriggerEvent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * SageMaker's EventBridge event {@code SageMaker Model Building Pipeline Execution Status Change}
 * (source {@code aws.sagemaker}) as a launch status: {@link TriggerEvent#EXECUTION_ID} =
 * {@code detail.pipelineExecutionArn} (what StartPipelineExecution returned to the launcher),
 * {@link TriggerEvent#EXECUTION_STATUS} = {@code detail.currentPipelineExecutionStatus} (Executing,
 * Stopping, Stopped, Failed, Succeeded) and, for a final status, {@link TriggerEvent#EXECUTION_ENDED_AT}
 * (ISO-8601): {@code detail.executionEndTime} when the event has it, else the event time. Also
 * {@value #PIPELINE_ARN} and {@value #PREVIOUS_STATUS} when present. The id is the event id.
 * Pure: no Camel, no CDI.
 */
public final class SageMakerPipelineStatusParser {
    public static final String SOURCE = "aws.sagemaker";
    public static final String PIPELINE_EXECUTION_STATUS_CHANGE = "SageMaker Model Building Pipeline Execution Status Change";
    public static final Set<String> FINAL_STATUSES = Set.of("Succeeded", "Failed", "Stopped");
    public static final String PIPELINE_ARN = "pipelineArn";
    public static final String PREVIOUS_STATUS = "previousStatus";

    public TriggerEvent parse(String body) {
        return parse(EventBridgeEvent.of(AwsJson.root(JsonAt.read(body, "message"), "")));
    }

    TriggerEvent parse(EventBridgeEvent e) {
        e.expect(SOURCE, PIPELINE_EXECUTION_STATUS_CHANGE);
        JsonAt d = e.detail();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(TriggerEvent.EXECUTION_ID, d.text("pipelineExecutionArn"));
        String status = d.text("currentPipelineExecutionStatus");
        attributes.put(TriggerEvent.EXECUTION_STATUS, status);
        if (FINAL_STATUSES.contains(status)) {
            Instant end = d.optTime("executionEndTime");
            attributes.put(TriggerEvent.EXECUTION_ENDED_AT, (end != null ? end : e.time()).toString());
        }
        String pipelineArn = d.optText("pipelineArn");
        if (pipelineArn != null) attributes.put(PIPELINE_ARN, pipelineArn);
        String previous = d.optText("previousPipelineExecutionStatus");
        if (previous != null) attributes.put(PREVIOUS_STATUS, previous);
        return TriggerEvent.launchStatus(e.id(), Cloud.AWS, SOURCE, e.time(), attributes);
    }
}
