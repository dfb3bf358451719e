package io.retraintrigger.api;

import io.retraintrigger.model.EvaluationReport;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/** The request of POST /api/decisions/{id}/evaluation (ReportFormat reads it into an EvaluationReport; no other field). */
@Schema(description = "A training's evaluation report; every field optional")
public record EvaluationReportBody(@Schema(description = "the candidate as its model registry names it") String model,
                                   @Schema(description = "metric -> value in [0, 1] on the golden set") Map<String, Double> goldenSet,
                                   @Schema(description = "metric -> value in [0, 1] on the evaluation set") Map<String, Double> candidate,
                                   @Schema(description = "metric -> value in [0, 1] of the model in production") Map<String, Double> baseline,
                                   EvaluationReport.Predictions predictions,
                                   @Schema(description = "error type -> count") Map<String, Long> errors,
                                   Boolean requireApproval) {
}
