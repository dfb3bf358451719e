package io.retraintrigger.model;

import io.retraintrigger.model.CostEstimate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CostEstimateTest {
    private static final long GB = 1_000_000_000L;

    @ParameterizedTest(name = "{1} bytes on base {0} -> {2}")
    @CsvSource({
            "150, 0,              150.0",
            "150, 100000000000,   300.0",
            "150, 50000000000,    225.0",
            "150, 1000000000,     151.5",
            "150, 200000000000,   450.0",
            "100, 10000000000,    110.0",
            "0,   100000000000,   0.0",
    })
    void baseTimesOnePlusGbOverHundred(double base, long bytes, double expected) {
        assertEquals(expected, CostEstimate.of(base, bytes));
    }

    @Test
    void gbIsTenToTheNineBytesNotGibibytes() {
        // 1 GiB = 1.073741824 GB -> 150 * 1.01073741824 = 151.610612736
        assertEquals(151.61, CostEstimate.of(150, 1L << 30));
        assertEquals(151.5, CostEstimate.of(150, GB));
    }

    @Test
    void roundsToCents() {
        // 150 * (1 + 1.23456789 / 100) = 151.8518518...
        assertEquals(151.85, CostEstimate.of(150, 1_234_567_890L));
        // 100 * (1 + 0.333333333 / 100) = 100.3333...
        assertEquals(100.33, CostEstimate.of(100, 333_333_333L));
        // 100 * (1 + 0.6666 / 100) = 100.6666 -> up
        assertEquals(100.67, CostEstimate.of(100, 666_600_000L));
        // a single byte does not move the cents
        assertEquals(150.0, CostEstimate.of(150, 1));
    }

    @Test
    void negativeSizeCountsAsNoData() {
        assertEquals(150.0, CostEstimate.of(150, -5 * GB));
    }

    @Test
    void round2() {
        assertEquals(1.23, CostEstimate.round2(1.2345));
        assertEquals(1.24, CostEstimate.round2(1.2351));
        assertEquals(1000.02, CostEstimate.round2(769.19 + 230.83));
    }
}
