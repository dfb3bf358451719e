package io.retraintrigger.launch;

import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.model.Decision;

/**
 * Starts a training pipeline on one target. Implementations must be idempotent on
 * {@code decision.id()}: a retried launch with the same decision id starts nothing new.
 */
public interface PipelineLauncher {

    /** The value of retrain.pipelines.NAME.target that selects this launcher. */
    String target();

    /**
     * Checks this target's section of a pipeline at startup. Called for every pipeline, whatever its
     * target: a pipeline of this target has what it needs, and a key of this section that is set
     * anywhere has the form the target takes.
     *
     * @throws ConfigurationError naming the key at fault
     */
    default void check(PipelineSettings pipeline) {
    }

    /**
     * @return the target's execution id and what it was sent
     * @throws RetryableLaunchException the target is throttling or failing for now; try again later
     * @throws LaunchRejectedException  the target refused the request for good
     */
    Submission launch(PipelineSettings pipeline, Decision decision);
}
