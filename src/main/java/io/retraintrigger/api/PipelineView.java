package io.retraintrigger.api;

import jakarta.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/** GET /api/pipelines(/{name}): a pipeline's configuration and its live state. */
public record PipelineView(String name, Config config, State state) {

    /** Durations as ISO-8601 (PT6H). */
    public record Config(String target, @Nullable String schedule, List<String> dataSources, List<String> monitors, int batchSize,
                         String batchWindow, String minInterval, int maxDailyTrainings, double dailyBudget, double baseCost,
                         boolean autoRetrain) {
    }

    public record State(@Nullable Instant lastTrainingAt, int trainingsToday, double spendToday, long trainingSequence,
                        List<String> pendingApprovals, @Nullable Instant cooldownUntil, @Nullable Deferred deferred, @Nullable OpenBatch openBatch) {
    }

    /** A training waiting for its cooldown, cap or budget. */
    public record Deferred(Instant dueAt, String decisionId, int priority, String reason) {
    }

    public record OpenBatch(String id, int events, long bytes, Instant firstEventAt, Instant closesAt) {
    }
}
