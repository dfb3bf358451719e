package io.retraintrigger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.Nullable;

import java.util.List;
import java.util.Map;

/**
 * The documented answer of POST /api/backtest (BacktestApi writes it from BacktestReport.toMap);
 * OpenApiContractTest checks the real answers against it.
 */
public record BacktestAnswer(String from, String to, List<Report> reports) {

    /** Durations as ISO-8601 and in seconds. */
    public record Report(String name, long events, long unreadableLines, @Nullable String from, @Nullable String to, double replaySeconds,
                         long decisions, Map<String, Long> trainings, long totalTrainings, double estimatedCost,
                         Map<String, Long> deferredByReason, Map<String, Long> rejectedByReason, long failed, Stats timeToAdapt,
                         long openDriftEpisodes, Stats untrainedDataAge, @Nullable Storm largestStorm, List<Day> daily,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Boolean pareto) {
    }

    public record Stats(int count, String p50, String p95, String max, double p50Seconds, double p95Seconds, double maxSeconds) {
    }

    public record Storm(String pipeline, String from, long events, long trainings) {
    }

    public record Day(String day, long trainings, double cost) {
    }
}
