package io.retraintrigger.drift;

import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.Severity;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grades an alert's features with the pipeline's thresholds, or a feature's own where it has them;
 * the alert takes the worst grade.
 */
public final class SeverityPolicy {
    private final Thresholds pipelineThresholds;
    private final Map<String, Thresholds> featureThresholds;

    public SeverityPolicy(Thresholds pipelineThresholds, Map<String, Thresholds> featureThresholds) {
        this.pipelineThresholds = pipelineThresholds;
        this.featureThresholds = Map.copyOf(featureThresholds);
    }

    public static Severity grade(double score, Thresholds t) {
        if (score >= t.critical()) return Severity.CRITICAL;
        if (score >= t.high()) return Severity.HIGH;
        if (score >= t.medium()) return Severity.MEDIUM;
        return Severity.LOW;
    }

    public Thresholds thresholdsOf(String feature) {
        return featureThresholds.getOrDefault(feature, pipelineThresholds);
    }

    public DriftAssessment assess(String pipeline, List<FeatureScore> features) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a drift alert needs at least one feature score");
        }
        Map<String, Severity> perFeature = new LinkedHashMap<>();
        Severity worst = Severity.LOW;
        double max = 0;
        for (FeatureScore f : features) {
            Severity s = grade(f.score(), thresholdsOf(f.name()));
            perFeature.merge(f.name(), s, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            if (s.compareTo(worst) > 0) worst = s;
            max = Math.max(max, f.score());
        }
        List<String> drifted = features.stream()
                .filter(f -> perFeature.get(f.name()).compareTo(Severity.MEDIUM) >= 0)
                .sorted(Comparator.comparing((FeatureScore f) -> perFeature.get(f.name())).reversed()
                        .thenComparing(Comparator.comparingDouble(FeatureScore::score).reversed()))
                .map(FeatureScore::name)
                .distinct()
                .toList();
        return new DriftAssessment(pipeline, worst, max, drifted, perFeature);
    }
}
