package io.retraintrigger.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The coordinator limits of one pipeline.
 *
 * @param minInterval       cooldown between two trainings
 * @param maxDailyTrainings trainings per UTC day
 * @param dailyBudget       spend per UTC day
 * @param baseCost          estimated cost of one training on no data
 */
public record CoordinatorSettings(Duration minInterval, int maxDailyTrainings, double dailyBudget, double baseCost) {
    public static final CoordinatorSettings DEFAULTS = new CoordinatorSettings(Duration.ofHours(6), 4, 1000, 150);

    public CoordinatorSettings {
        Objects.requireNonNull(minInterval, "minInterval");
        if (minInterval.isNegative()) throw new IllegalArgumentException("min-interval must not be negative");
        if (maxDailyTrainings < 0) throw new IllegalArgumentException("max-daily-trainings must be >= 0");
        if (dailyBudget < 0) throw new IllegalArgumentException("daily-budget must be >= 0");
        if (baseCost < 0) throw new IllegalArgumentException("base-cost must be >= 0");
    }
}
