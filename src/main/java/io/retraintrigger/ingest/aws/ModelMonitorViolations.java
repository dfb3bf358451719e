package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.FeatureScore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SageMaker Model Monitor violations report ({@code constraint_violations.json}, written by each
 * monitoring execution: {@code {"violations":[{"feature_name","constraint_check_type","description"}]}})
 * as feature scores:
 * <ul>
 *   <li>{@code baseline_drift_check}: the distribution distance the pre-built container writes in the
 *   description, {@code "Baseline drift distance: 0.42 exceeds threshold: 0.1"} (read tolerantly: the
 *   number after "distance", any case, with or without a colon); a description without a readable
 *   distance scores {@code otherViolationScore};</li>
 *   <li>any other check ({@code data_type_check}, {@code completeness_check}, {@code missing_column_check},
 *   {@code extra_column_check}, {@code categorical_values_check}, model quality checks):
 *   {@code otherViolationScore}.</li>
 * </ul>
 * A feature listed twice keeps its larger score; features keep the report's order. A violation without
 * {@code feature_name} is named by its {@code metric_name} (model quality reports), else by its check type.
 * Pure: no Camel, no CDI.
 */
public final class ModelMonitorViolations {
    public static final String BASELINE_DRIFT_CHECK = "baseline_drift_check";
    private static final Pattern DISTANCE = Pattern.compile("(?i)distance\\s*[:=]?\\s*(-?\\d+(?:\\.\\d+)?(?:[Ee][-+]?\\d+)?)");

    public List<FeatureScore> features(String json, double otherViolationScore) {
        if (!Double.isFinite(otherViolationScore) || otherViolationScore < 0) {
            throw new IllegalArgumentException("otherViolationScore must be a finite number >= 0, was " + otherViolationScore);
        }
        JsonAt report = AwsJson.root(JsonAt.read(json, "Model Monitor violations report"), "");
        if (!report.node().isObject()) throw JsonAt.invalid("violations report", "must be a JSON object with a violations array");
        Map<String, Double> scores = new LinkedHashMap<>();
        for (JsonAt v : report.array("violations")) {
            if (!v.node().isObject()) throw JsonAt.invalid(v.path(), "must be an object");
            String check = v.text("constraint_check_type");
            String feature = v.optText("feature_name");
            double score;
            if (BASELINE_DRIFT_CHECK.equals(check)) {
                if (feature == null) throw JsonAt.missing(v.where("feature_name"));
                Double distance = distance(v.optText("description"));
                score = distance != null ? distance : otherViolationScore;
            } else {
                if (feature == null) feature = v.optText("metric_name") != null ? v.optText("metric_name") : check;
                score = otherViolationScore;
            }
            scores.merge(feature, score, Math::max);
        }
        List<FeatureScore> out = new ArrayList<>();
        scores.forEach((name, score) -> out.add(new FeatureScore(name, score)));
        return out;
    }

    /** The drift distance of a baseline_drift_check description, or null when it has none that is a score. */
    static Double distance(String description) {
        if (description == null) return null;
        Matcher m = DISTANCE.matcher(description);
        if (!m.find()) return null;
        double d = Double.parseDouble(m.group(1));
        return Double.isFinite(d) && d >= 0 ? d : null;
    }
}
