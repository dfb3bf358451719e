package io.retraintrigger.wiring;

import io.agroal.api.AgroalDataSource;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.DynamoDbStoreConfig;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.store.AuditMarks;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.StateStore;
import io.retraintrigger.store.dynamodb.DynamoDbAuditMarks;
import io.retraintrigger.store.dynamodb.DynamoDbBatchStore;
import io.retraintrigger.store.dynamodb.DynamoDbDeadLetterStore;
import io.retraintrigger.store.dynamodb.DynamoDbStateStore;
import io.retraintrigger.store.dynamodb.DynamoDbTables;
import io.retraintrigger.store.jdbc.JdbcAuditMarks;
import io.retraintrigger.store.jdbc.JdbcBatchStore;
import io.retraintrigger.store.jdbc.JdbcDeadLetterStore;
import io.retraintrigger.store.jdbc.JdbcPool;
import io.retraintrigger.store.jdbc.JdbcStateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * The one place where infrastructure objects are made: clock, data source, state store.
 * The data source is built at runtime from retrain.store.jdbc.url, so one build serves H2 and PostgreSQL.
 * retrain.store.kind picks the adapter; what the other kind needs (the JDBC pool, the DynamoDB client and
 * tables) is looked up lazily and so never made.
 */
@ApplicationScoped
public class Producers {
    private static final Logger LOG = Logger.getLogger(Producers.class);
    public static final String JDBC = "jdbc";
    public static final String DYNAMODB = "dynamodb";

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @Named("retrainDataSource")
    AgroalDataSource dataSource(RetrainConfig config) {
        RetrainConfig.Store store = config.store();
        if (!JDBC.equals(store.kind())) {
            throw new ConfigurationError("retrain.store.kind", "the JDBC data source is only for retrain.store.kind=jdbc, the kind is '"
                    + store.kind() + "'");
        }
        String url = store.jdbc().url();
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationError("retrain.store.jdbc.url", "only jdbc:h2: and jdbc:postgresql: URLs are supported, was '" + url + "'");
        }
        if (url.startsWith("jdbc:h2:file:")) {
            createParentDirectory(url.substring("jdbc:h2:file:".length()));
        }
        try {
            AgroalDataSource ds = JdbcPool.open(url, store.jdbc().username().orElse(null), store.jdbc().password().orElse(null),
                    store.jdbc().maxPoolSize());
            migrate(ds);
            return ds;
        } catch (SQLException e) {
            throw new ConfigurationError("retrain.store.jdbc.url", "cannot open the state store: " + e.getMessage());
        }
    }

    void close(@Disposes @Named("retrainDataSource") AgroalDataSource ds) {
        ds.close();
    }

    @Produces
    @Singleton
    StateStore stateStore(RetrainConfig config, @Named("retrainDataSource") Instance<AgroalDataSource> ds,
                          @Named("dynamoDbClient") Instance<DynamoDbClient> dynamoDb, Instance<DynamoDbTables.Names> tables,
                          DynamoDbStoreConfig dynamoDbConfig) {
        String kind = storeKind(config);
        if (DYNAMODB.equals(kind)) {
            return new DynamoDbStateStore(dynamoDb.get(), tables.get(), dynamoDbConfig.consistentReads(), dynamoDbConfig.maxAttempts());
        }
        return new JdbcStateStore(ds.get());
    }

    @Produces
    @Singleton
    DeadLetterStore deadLetterStore(RetrainConfig config, @Named("retrainDataSource") Instance<AgroalDataSource> ds,
                                    @Named("dynamoDbClient") Instance<DynamoDbClient> dynamoDb, Instance<DynamoDbTables.Names> tables,
                                    DynamoDbStoreConfig dynamoDbConfig) {
        return DYNAMODB.equals(storeKind(config))
                ? new DynamoDbDeadLetterStore(dynamoDb.get(), tables.get(), dynamoDbConfig.consistentReads())
                : new JdbcDeadLetterStore(ds.get());
    }

    @Produces
    @Singleton
    AuditMarks auditMarks(RetrainConfig config, @Named("retrainDataSource") Instance<AgroalDataSource> ds,
                          @Named("dynamoDbClient") Instance<DynamoDbClient> dynamoDb, Instance<DynamoDbTables.Names> tables) {
        return DYNAMODB.equals(storeKind(config)) ? new DynamoDbAuditMarks(dynamoDb.get(), tables.get()) : new JdbcAuditMarks(ds.get());
    }

    @Produces
    @Singleton
    BatchStore batchStore(RetrainConfig config, @Named("retrainDataSource") Instance<AgroalDataSource> ds,
                          @Named("dynamoDbClient") Instance<DynamoDbClient> dynamoDb, Instance<DynamoDbTables.Names> tables) {
        Duration lease = config.batch().decideLease();
        return DYNAMODB.equals(storeKind(config))
                ? new DynamoDbBatchStore(dynamoDb.get(), tables.get(), lease)
                : new JdbcBatchStore(ds.get(), lease);
    }

    /** The DynamoDB tables (store and batches), created first when retrain.store.dynamodb.auto-create is true. */
    @Produces
    @Singleton
    DynamoDbTables.Names dynamoDbTables(DynamoDbStoreConfig config, @Named("dynamoDbClient") Instance<DynamoDbClient> dynamoDb) {
        DynamoDbTables.Names names = DynamoDbTables.Names.of(config);
        if (config.autoCreate()) {
            try {
                DynamoDbTables.create(dynamoDb.get(), names);
            } catch (RuntimeException e) {
                throw new ConfigurationError("retrain.store.dynamodb.auto-create", "cannot create the DynamoDB tables: " + e.getMessage());
            }
        }
        return names;
    }

    /** retrain.store.kind, checked: jdbc or dynamodb. */
    public static String storeKind(RetrainConfig config) {
        String kind = config.store().kind();
        if (!JDBC.equals(kind) && !DYNAMODB.equals(kind)) {
            throw new ConfigurationError("retrain.store.kind", "unknown store '" + kind + "'; available: " + JDBC + ", " + DYNAMODB);
        }
        return kind;
    }

    /** Applies the schema migrations; both databases take the same scripts. */
    public static void migrate(DataSource ds) {
        var result = Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        LOG.infof("state store schema at version %s (%d migrations applied)", result.targetSchemaVersion, result.migrationsExecuted);
    }

    private static void createParentDirectory(String fileAndOptions) {
        String file = fileAndOptions.split(";", 2)[0];
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (Exception e) {
            throw new ConfigurationError("retrain.store.jdbc.url", "cannot create directory " + parent + ": " + e.getMessage());
        }
    }
}
