package io.retraintrigger.model;

import jakarta.annotation.Nullable;
import java.util.Map;

/**
 * What a training pipeline reports of the model it trained (the JSON format is in the README, "Guardrails").
 *
 * @param model           the candidate to promote, as its registry names it: a SageMaker model package ARN, a
 *                        Vertex AI model version ({@code projects/P/locations/L/models/M@3}), an Azure ML model
 *                        version ({@code name:version})
 * @param goldenSet       metrics of the candidate on the immutable golden set (metric → value in [0, 1])
 * @param candidate       metrics of the candidate on the evaluation set
 * @param baseline        metrics of the model in production on the same set
 * @param predictions     share of each predicted class, for the candidate and the baseline
 * @param errors          count of each error type of the candidate (e.g. false_negative: 12)
 * @param requireApproval the training asks for a human to approve the model
 */
public record EvaluationReport(
        @Nullable String model,
        Map<String, Double> goldenSet,
        Map<String, Double> candidate,
        Map<String, Double> baseline,
        Predictions predictions,
        Map<String, Long> errors,
        boolean requireApproval) {

    public EvaluationReport {
        goldenSet = goldenSet == null ? Map.of() : Map.copyOf(goldenSet);
        candidate = candidate == null ? Map.of() : Map.copyOf(candidate);
        baseline = baseline == null ? Map.of() : Map.copyOf(baseline);
        predictions = predictions == null ? new Predictions(null, null) : predictions;
        errors = errors == null ? Map.of() : Map.copyOf(errors);
    }

    /** Class → share of the predictions; shares need not sum to one (they are normalised). */
    public record Predictions(Map<String, Double> candidate, Map<String, Double> baseline) {
        public Predictions {
            candidate = candidate == null ? Map.of() : Map.copyOf(candidate);
            baseline = baseline == null ? Map.of() : Map.copyOf(baseline);
        }
    }
}
