package io.retraintrigger.launch;

import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EvaluationReport;

import java.util.Map;

/**
 * Promotes an evaluated model in its target's model registry. Implementations must be idempotent: promoting
 * a model that is promoted already changes nothing.
 */
public interface ModelPromoter {

    /** The value of retrain.pipelines.NAME.target whose models this promoter promotes. */
    String target();

    /**
     * @param report the evaluation whose {@code model} names the candidate in the registry
     * @return what was sent, by the registry's own names
     * @throws RetryableLaunchException the registry is throttling or failing for now; try again later
     * @throws LaunchRejectedException  the registry refused the request for good
     */
    Map<String, String> promote(PipelineSettings pipeline, Decision decision, EvaluationReport report);
}
