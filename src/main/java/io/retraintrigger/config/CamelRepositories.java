package io.retraintrigger.config;

import io.agroal.api.AgroalDataSource;
import io.retraintrigger.store.dynamodb.DynamoDbAggregationRepository;
import io.retraintrigger.store.dynamodb.DynamoDbTables;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.apache.camel.processor.aggregate.jdbc.PostgresAggregationRepository;
import org.apache.camel.spi.AggregationRepository;
import org.apache.camel.spi.RecoverableAggregationRepository;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The persistent, recoverable aggregation repository of the batches, in the state store of
 * retrain.store.kind: camel-sql's JDBC repository on the state store's database (a completed batch
 * stays in batch_aggregation_completed), or {@link DynamoDbAggregationRepository} (the batches table).
 * A completed batch is kept until the coordinator has recorded its decision, and is re-sent if that fails.
 * Both lock optimistically (the route sets optimisticLocking), so replicas can share them.
 */
@ApplicationScoped
public class CamelRepositories {

    /**
     * Singleton, not a client proxy: the aggregator tests the repository's interfaces (optimistic
     * locking, recoverable) with instanceof, and a proxy of the declared type would hide them.
     */
    @Produces
    @Singleton
    @Named("batchRepository")
    AggregationRepository batchRepository(RetrainConfig config, @Named("retrainDataSource") Instance<AgroalDataSource> ds,
                                          @Named("dynamoDbClient") Instance<DynamoDbClient> dynamoDb,
                                          Instance<DynamoDbTables.Names> tables) {
        RecoverableAggregationRepository repo = Producers.DYNAMODB.equals(Producers.storeKind(config))
                ? new DynamoDbAggregationRepository(dynamoDb.get(), tables.get().batches())
                : jdbcRepository(ds.get(), config);
        repo.setUseRecovery(true);
        repo.setRecoveryInterval(config.batch().recoveryInterval().toMillis());
        repo.setMaximumRedeliveries(config.batch().maxRedeliveries());
        repo.setDeadLetterUri("direct:batch-dead-letter");
        return repo;
    }

    private static JdbcAggregationRepository jdbcRepository(AgroalDataSource ds, RetrainConfig config) {
        boolean postgres = config.store().jdbc().url().startsWith("jdbc:postgresql:");
        DataSourceTransactionManager tx = new DataSourceTransactionManager(ds);
        JdbcAggregationRepository repo = postgres
                ? new PostgresAggregationRepository(tx, "batch_aggregation", ds)
                : new JdbcAggregationRepository(tx, "batch_aggregation", ds);
        return repo;
    }
}
