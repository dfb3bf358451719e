package io.retraintrigger.model;

import java.util.Objects;

/** The drift score a monitor measured for one feature. */
public record FeatureScore(String name, double score) {
    public FeatureScore {
        Objects.requireNonNull(name, "name");
        if (Double.isNaN(score) || Double.isInfinite(score) || score < 0) {
            throw new IllegalArgumentException("drift score of feature '" + name + "' must be a finite number >= 0, was " + score);
        }
    }
}
