package io.retraintrigger.batch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.AggregationRepository;

import java.util.Optional;

/** Reads a pipeline's open batch from the aggregation repository (for REST and metrics). */
@ApplicationScoped
public class OpenBatches {
    private final AggregationRepository repository;
    private final CamelContext camel;

    @Inject
    public OpenBatches(@Named("batchRepository") AggregationRepository repository, CamelContext camel) {
        this.repository = repository;
        this.camel = camel;
    }

    public Optional<Batch> of(String pipeline) {
        Exchange e = repository.get(camel, pipeline);
        return e == null ? Optional.empty() : Optional.of(Batch.fromJson(e.getMessage().getBody(String.class)));
    }
}
