package io.retraintrigger.model;

import io.retraintrigger.model.Severity;

import java.util.List;
import java.util.Map;

/**
 * The grade of one drift alert.
 *
 * @param severity        the worst severity among the features
 * @param maxScore        the largest feature score
 * @param driftedFeatures features graded medium or worse, worst first
 * @param perFeature      every feature's own severity
 * @param evidence        where the scores came from, when the source says (e.g. the Model Monitor report read)
 * @param gradedBy        the configuration key that set the severity of the alert's monitor; null when its scores were graded by thresholds
 */
public record DriftAssessment(String pipeline, Severity severity, double maxScore, List<String> driftedFeatures, Map<String, Severity> perFeature,
                              String evidence, String gradedBy) {
    public DriftAssessment {
        driftedFeatures = List.copyOf(driftedFeatures);
        perFeature = Map.copyOf(perFeature);
    }

    public DriftAssessment(String pipeline, Severity severity, double maxScore, List<String> driftedFeatures, Map<String, Severity> perFeature) {
        this(pipeline, severity, maxScore, driftedFeatures, perFeature, null, null);
    }

    public DriftAssessment withEvidence(String note) {
        return new DriftAssessment(pipeline, severity, maxScore, driftedFeatures, perFeature, note, gradedBy);
    }

    public DriftAssessment gradedBy(String configKey) {
        return new DriftAssessment(pipeline, severity, maxScore, driftedFeatures, perFeature, evidence, configKey);
    }
}
