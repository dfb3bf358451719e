package io.retraintrigger.model;

import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.Severity;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grades an alert's features with the pipeline's thresholds, or a feature's own where it has them;
 * the alert takes the worst grade. The alerts of a monitor with a configured severity (a count or a flag,
 * not a distance) take that severity instead.
 */
public final class SeverityPolicy {
    private final Thresholds pipelineThresholds;
    private final Map<String, Thresholds> featureThresholds;
    private final Map<String, Severity> monitorSeverities;

    public SeverityPolicy(Thresholds pipelineThresholds, Map<String, Thresholds> featureThresholds) {
        this(pipelineThresholds, featureThresholds, Map.of());
    }

    public SeverityPolicy(Thresholds pipelineThresholds, Map<String, Thresholds> featureThresholds, Map<String, Severity> monitorSeverities) {
        this.pipelineThresholds = pipelineThresholds;
        this.featureThresholds = Map.copyOf(featureThresholds);
        this.monitorSeverities = Map.copyOf(monitorSeverities);
    }

    /** The severity configured for the first of {@code monitorNames} that has one (its name, then its aliases). */
    public Optional<Map.Entry<String, Severity>> monitorSeverity(List<String> monitorNames) {
        return monitorNames.stream().filter(monitorSeverities::containsKey).findFirst().map(m -> Map.entry(m, monitorSeverities.get(m)));
    }

    /**
     * An alert of a monitor graded by configuration: {@code severity} whatever its value; its features (or the
     * monitor, if it names none) count as drifted unless the grade is low.
     */
    public static DriftAssessment byMonitor(String pipeline, String monitor, Severity severity, List<FeatureScore> features) {
        List<String> names = features.isEmpty() ? List.of(monitor) : features.stream().map(FeatureScore::name).distinct().toList();
        Map<String, Severity> perFeature = new LinkedHashMap<>();
        names.forEach(n -> perFeature.put(n, severity));
        double max = features.stream().mapToDouble(FeatureScore::score).max().orElse(0);
        return new DriftAssessment(pipeline, severity, max, severity == Severity.LOW ? List.of() : names, perFeature);
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
