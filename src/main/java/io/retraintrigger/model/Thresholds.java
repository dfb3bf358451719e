package io.retraintrigger.model;

/**
 * Drift score thresholds: a score below {@code medium} is low, from {@code medium} below {@code high}
 * medium, from {@code high} below {@code critical} high, and from {@code critical} on critical.
 */
public record Thresholds(double medium, double high, double critical) {
    public static final Thresholds DEFAULTS = new Thresholds(0.1, 0.3, 0.5);

    public Thresholds {
        if (!(medium > 0 && medium < high && high < critical) || Double.isInfinite(critical)) {
            throw new IllegalArgumentException("drift thresholds must satisfy 0 < medium < high < critical, were "
                    + medium + " / " + high + " / " + critical);
        }
    }
}
