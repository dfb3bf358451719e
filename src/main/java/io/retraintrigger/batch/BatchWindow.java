package io.retraintrigger.batch;

import io.retraintrigger.config.PipelineRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Batch limits per pipeline. The window runs from the batch's first event: each new event re-arms the
 * aggregator's timeout with what is left of it (Camel's completionTimeout alone would be an
 * inactivity timeout).
 */
@ApplicationScoped
@Named("batching")
public class BatchWindow {
    private final PipelineRegistry pipelines;
    private final Clock clock;

    @Inject
    public BatchWindow(PipelineRegistry pipelines, Clock clock) {
        this.pipelines = pipelines;
        this.clock = clock;
    }

    public int size(String pipeline) {
        return pipelines.get(pipeline).batchSize();
    }

    public Duration window(String pipeline) {
        return pipelines.get(pipeline).batchWindow();
    }

    /** Milliseconds left of the window of a batch opened at {@code openedAtMillis}; at least 1. */
    public long remainingMillis(String pipeline, long openedAtMillis) {
        Instant closes = Instant.ofEpochMilli(openedAtMillis).plus(window(pipeline));
        return Math.max(1, Duration.between(clock.instant(), closes).toMillis());
    }
}
