package io.retraintrigger.guardrails;

import io.retraintrigger.model.EvaluationReport;
import io.retraintrigger.model.GuardrailCheck;
import io.retraintrigger.model.GuardrailSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The four checks of a trained model, pure: a report and the pipeline's limits in, each check's result with
 * its figures out. A figure the report lacks fails its check: a model is never promoted on missing evidence.
 */
public final class GuardrailChecks {
    private GuardrailChecks() {
    }

    public static List<GuardrailCheck> run(EvaluationReport report, GuardrailSettings s) {
        return List.of(goldenSet(report, s), baselineComparison(report, s), predictionDistribution(report, s), systematicErrors(report, s));
    }

    /** The candidate's metric on the immutable golden set is at least min-golden-set. */
    static GuardrailCheck goldenSet(EvaluationReport r, GuardrailSettings s) {
        Double v = r.goldenSet().get(s.metric());
        if (v == null) {
            return new GuardrailCheck(GuardrailCheck.GOLDEN_SET, false, null, s.minGoldenSet(),
                    GuardrailCheck.GOLDEN_SET + ": the report has no goldenSet." + s.metric());
        }
        boolean ok = v >= s.minGoldenSet();
        return new GuardrailCheck(GuardrailCheck.GOLDEN_SET, ok, v, s.minGoldenSet(), GuardrailCheck.GOLDEN_SET + ": " + s.metric() + " " + fmt(v)
                + (ok ? " >= " : " < ") + fmt(s.minGoldenSet()));
    }

    /** The candidate's metric is within max-baseline-gap of the baseline's. */
    static GuardrailCheck baselineComparison(EvaluationReport r, GuardrailSettings s) {
        Double c = r.candidate().get(s.metric());
        Double b = r.baseline().get(s.metric());
        if (c == null || b == null) {
            return new GuardrailCheck(GuardrailCheck.BASELINE_COMPARISON, false, null, s.maxBaselineGap(), GuardrailCheck.BASELINE_COMPARISON
                    + ": the report has no " + (c == null ? "candidate." : "baseline.") + s.metric());
        }
        double gap = Math.abs(c - b);
        boolean ok = gap <= s.maxBaselineGap();
        return new GuardrailCheck(GuardrailCheck.BASELINE_COMPARISON, ok, gap, s.maxBaselineGap(), GuardrailCheck.BASELINE_COMPARISON + ": |"
                + fmt(c) + " - " + fmt(b) + "| = " + fmt(gap) + (ok ? " <= " : " > ") + fmt(s.maxBaselineGap()));
    }

    /** The candidate's predicted classes diverge from the baseline's by less than max-kl-divergence. */
    static GuardrailCheck predictionDistribution(EvaluationReport r, GuardrailSettings s) {
        Map<String, Double> p = r.predictions().candidate();
        Map<String, Double> q = r.predictions().baseline();
        if (p.isEmpty() || q.isEmpty()) {
            return new GuardrailCheck(GuardrailCheck.PREDICTION_DISTRIBUTION, false, null, s.maxKlDivergence(), GuardrailCheck.PREDICTION_DISTRIBUTION
                    + ": the report has no predictions." + (p.isEmpty() ? "candidate" : "baseline"));
        }
        double kl = klDivergence(p, q, s.klFloor());
        boolean ok = kl < s.maxKlDivergence();
        return new GuardrailCheck(GuardrailCheck.PREDICTION_DISTRIBUTION, ok, kl, s.maxKlDivergence(), GuardrailCheck.PREDICTION_DISTRIBUTION
                + ": KL(candidate || baseline) " + fmt(kl) + (ok ? " < " : " >= ") + fmt(s.maxKlDivergence()));
    }

    /** No single error type makes up more than max-error-share of the candidate's errors. */
    static GuardrailCheck systematicErrors(EvaluationReport r, GuardrailSettings s) {
        long total = r.errors().values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return new GuardrailCheck(GuardrailCheck.SYSTEMATIC_ERRORS, true, 0.0, s.maxErrorShare(), GuardrailCheck.SYSTEMATIC_ERRORS + ": no errors reported");
        }
        Map.Entry<String, Long> top = r.errors().entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow();
        double share = (double) top.getValue() / total;
        boolean ok = share <= s.maxErrorShare();
        return new GuardrailCheck(GuardrailCheck.SYSTEMATIC_ERRORS, ok, share, s.maxErrorShare(), GuardrailCheck.SYSTEMATIC_ERRORS + ": "
                + top.getKey() + " is " + top.getValue() + " of " + total + " errors, " + fmt(share) + (ok ? " <= " : " > ") + fmt(s.maxErrorShare()));
    }

    /**
     * D_KL(P || Q) = Σ p_i ln(p_i / q_i) over the classes of either side, natural log. A class one side lacks
     * (or gives zero) gets {@code floor}; then both sides are normalised to sum to one.
     */
    public static double klDivergence(Map<String, Double> p, Map<String, Double> q, double floor) {
        TreeSet<String> classes = new TreeSet<>(p.keySet());
        classes.addAll(q.keySet());
        List<double[]> pairs = new ArrayList<>();
        double sp = 0;
        double sq = 0;
        for (String c : classes) {
            double pi = Math.max(p.getOrDefault(c, 0.0), floor);
            double qi = Math.max(q.getOrDefault(c, 0.0), floor);
            pairs.add(new double[]{pi, qi});
            sp += pi;
            sq += qi;
        }
        double kl = 0;
        for (double[] pq : pairs) {
            double pi = pq[0] / sp;
            double qi = pq[1] / sq;
            kl += pi * Math.log(pi / qi);
        }
        return Math.max(0, kl);
    }

    static String fmt(double v) {
        double r = Math.round(v * 10_000) / 10_000.0;
        return r == Math.rint(r) ? String.format(java.util.Locale.ROOT, "%.1f", r) : Double.toString(r);
    }
}
