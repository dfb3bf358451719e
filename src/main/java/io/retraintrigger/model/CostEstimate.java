package io.retraintrigger.model;

/** Estimated cost of a training: base cost x (1 + data size in GB / 100), GB = 10^9 bytes. */
public final class CostEstimate {
    private CostEstimate() {
    }

    public static double of(double baseCost, long dataBytes) {
        double gb = Math.max(0, dataBytes) / 1_000_000_000d;
        return round2(baseCost * (1 + gb / 100));
    }

    /** Money is kept to the cent. */
    public static double round2(double v) {
        return Math.round(v * 100) / 100d;
    }
}
