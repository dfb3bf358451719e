package io.retraintrigger.config;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.apache.camel.processor.aggregate.jdbc.PostgresAggregationRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The persistent, recoverable aggregation repository of the batches: camel-sql's JDBC repository on
 * the state store's database. A completed batch stays in batch_aggregation_completed until the
 * coordinator has recorded its decision, and is re-sent if that fails.
 */
@ApplicationScoped
public class CamelRepositories {

    @Produces
    @ApplicationScoped
    @Named("batchRepository")
    JdbcAggregationRepository batchRepository(@Named("retrainDataSource") AgroalDataSource ds, RetrainConfig config) {
        boolean postgres = config.store().jdbc().url().startsWith("jdbc:postgresql:");
        DataSourceTransactionManager tx = new DataSourceTransactionManager(ds);
        JdbcAggregationRepository repo = postgres
                ? new PostgresAggregationRepository(tx, "batch_aggregation", ds)
                : new JdbcAggregationRepository(tx, "batch_aggregation", ds);
        repo.setUseRecovery(true);
        repo.setRecoveryInterval(config.batch().recoveryInterval().toMillis());
        repo.setMaximumRedeliveries(config.batch().maxRedeliveries());
        repo.setDeadLetterUri("direct:batch-dead-letter");
        return repo;
    }
}
