package io.retraintrigger.batch;

import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.time.Instant;

/** Adds a data-arrival event to its pipeline's batch (the aggregated body is the batch as JSON). */
@ApplicationScoped
@Named("batchAggregation")
public class BatchAggregationStrategy implements AggregationStrategy {
    /** Epoch millis of the batch's first event, read by the window expression. */
    public static final String OPENED_AT = "RetrainBatchOpenedAt";

    private final Clock clock;

    @Inject
    public BatchAggregationStrategy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        TriggerEvent event = newExchange.getMessage().getBody(TriggerEvent.class);
        if (oldExchange == null) {
            Instant now = clock.instant();
            newExchange.getMessage().setBody(Batch.open(event, now).toJson());
            newExchange.getMessage().setHeader(OPENED_AT, now.toEpochMilli());
            return newExchange;
        }
        Batch batch = Batch.fromJson(oldExchange.getMessage().getBody(String.class)).plus(event);
        oldExchange.getMessage().setBody(batch.toJson());
        // The completion-timeout expression is evaluated on the incoming exchange: give it the opening time too.
        newExchange.getMessage().setHeader(OPENED_AT, oldExchange.getMessage().getHeader(OPENED_AT));
        return oldExchange;
    }
}
