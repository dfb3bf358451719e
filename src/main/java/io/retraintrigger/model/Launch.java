package io.retraintrigger.model;

import java.time.Instant;
import java.util.Map;

/**
 * The launch a LAUNCHED decision made (or is making).
 *
 * @param target      launcher name: dry-run, sagemaker, vertex, azureml
 * @param sequence    training sequence number of the pipeline
 * @param parameters  the parameters passed to the pipeline
 * @param status      PENDING until the launcher answered
 * @param executionId the cloud's execution id, once submitted
 * @param error       the launcher's message, when it failed
 */
public record Launch(
        String target,
        long sequence,
        Map<String, String> parameters,
        LaunchStatus status,
        String executionId,
        Instant submittedAt,
        String error) {

    public Launch {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public Launch submitted(String execId, Instant at) {
        return new Launch(target, sequence, parameters, LaunchStatus.SUBMITTED, execId, at, null);
    }

    public Launch failed(String message, Instant at) {
        return new Launch(target, sequence, parameters, LaunchStatus.FAILED, null, at, message);
    }
}
