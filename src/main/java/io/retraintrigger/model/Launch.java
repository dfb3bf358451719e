package io.retraintrigger.model;

import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launch a LAUNCHED decision made (or is making).
 *
 * @param target      launcher name: dry-run, sagemaker, vertex, azureml
 * @param sequence    training sequence number of the pipeline
 * @param parameters  the parameters of the launch: while PENDING (or FAILED) the ones it was decided with, by
 *                    retrain-trigger's names; once SUBMITTED the ones the target was sent, by the target's names
 * @param status      PENDING until the launcher answered
 * @param executionId the cloud's execution id, once submitted
 * @param error       the launcher's message, when it failed
 * @param executionStatus    the execution's last state as the target reported it (Executing, Succeeded, ...)
 * @param executionUpdatedAt when that state was reached (the end time, for a finished execution)
 */
public record Launch(
        @Nullable String target,
        long sequence,
        Map<String, String> parameters,
        @Nullable LaunchStatus status,
        @Nullable String executionId,
        @Nullable Instant submittedAt,
        @Nullable String error,
        @Nullable String executionStatus,
        @Nullable Instant executionUpdatedAt) {

    public Launch {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static Launch pending(String target, long sequence, Map<String, String> parameters) {
        return new Launch(target, sequence, parameters, LaunchStatus.PENDING, null, null, null, null, null);
    }

    public Launch submitted(String execId, Instant at) {
        return new Launch(target, sequence, parameters, LaunchStatus.SUBMITTED, execId, at, null, executionStatus, executionUpdatedAt);
    }

    /** Submitted, its parameters now those the target was sent, under the target's names. */
    public Launch submitted(String execId, Map<String, String> sent, Instant at) {
        return new Launch(target, sequence, sent, LaunchStatus.SUBMITTED, execId, at, null, executionStatus, executionUpdatedAt);
    }

    public Launch failed(String message, Instant at) {
        return new Launch(target, sequence, parameters, LaunchStatus.FAILED, null, at, message, executionStatus, executionUpdatedAt);
    }

    /** The same launch with one more parameter (or another value for it). */
    public Launch withParameter(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put(name, value);
        return new Launch(target, sequence, p, status, executionId, submittedAt, error, executionStatus, executionUpdatedAt);
    }

    public Launch withExecutionStatus(String status, Instant at) {
        return new Launch(target, sequence, parameters, this.status, executionId, submittedAt, error, status, at);
    }

    /** Whether the execution ended in success, in its target's words: Succeeded (SageMaker), PIPELINE_STATE_SUCCEEDED (Vertex AI), Completed (Azure ML). */
    public boolean executionSucceeded() {
        return executionStatus != null && (executionStatus.equalsIgnoreCase("Succeeded") || executionStatus.equals("PIPELINE_STATE_SUCCEEDED")
                || executionStatus.equalsIgnoreCase("Completed"));
    }
}
