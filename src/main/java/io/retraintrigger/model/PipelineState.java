package io.retraintrigger.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What the coordinator knows of one pipeline. Counters belong to {@code day} (UTC); use
 * {@link #on(LocalDate)} before reading them.
 *
 * @param sequence         trainings launched so far, ever
 * @param pendingApprovals ids of approval items still open for the pipeline
 */
public record PipelineState(
        String pipeline,
        LocalDate day,
        int trainingsToday,
        double spendToday,
        Instant lastTrainingAt,
        long sequence,
        List<String> pendingApprovals) {

    public PipelineState {
        pendingApprovals = pendingApprovals == null ? List.of() : List.copyOf(pendingApprovals);
    }

    public static PipelineState initial(String pipeline, LocalDate day) {
        return new PipelineState(pipeline, day, 0, 0, null, 0, List.of());
    }

    /** This state with the ids of the pipeline's open approvals (kept apart from the counters by the stores). */
    public PipelineState withPendingApprovals(List<String> ids) {
        return new PipelineState(pipeline, day, trainingsToday, spendToday, lastTrainingAt, sequence, ids);
    }

    public static LocalDate utcDay(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /** The state as seen on {@code today}: a new UTC day starts with zero trainings and zero spend. */
    public PipelineState on(LocalDate today) {
        if (today.equals(day)) return this;
        return new PipelineState(pipeline, today, 0, 0, lastTrainingAt, sequence, pendingApprovals);
    }

    public PipelineState afterLaunch(Instant at, double cost) {
        return new PipelineState(pipeline, day, trainingsToday + 1, CostEstimate.round2(spendToday + cost), at, sequence + 1, pendingApprovals);
    }

    public boolean hasPendingApproval() {
        return !pendingApprovals.isEmpty();
    }
}
