package io.retraintrigger.wiring;

import io.agroal.api.AgroalDataSource;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.DynamoDbStoreConfig;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.store.ApprovalLog;
import io.retraintrigger.store.AuditMarks;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.EventArchive;
import io.retraintrigger.store.LaunchLeases;
import io.retraintrigger.store.PipelineSteps;
import io.retraintrigger.store.SignalTimes;
import io.retraintrigger.store.dynamodb.DynamoDbApprovalLog;
import io.retraintrigger.store.dynamodb.DynamoDbAuditMarks;
import io.retraintrigger.store.dynamodb.DynamoDbBatchStore;
import io.retraintrigger.store.dynamodb.DynamoDbDeadLetterStore;
import io.retraintrigger.store.dynamodb.DynamoDbDecisionLog;
import io.retraintrigger.store.dynamodb.DynamoDbEventArchive;
import io.retraintrigger.store.dynamodb.DynamoDbLaunchLeases;
import io.retraintrigger.store.dynamodb.DynamoDbPipelineSteps;
import io.retraintrigger.store.dynamodb.DynamoDbSignalTimes;
import io.retraintrigger.store.dynamodb.DynamoDbTables;
import io.retraintrigger.store.jdbc.JdbcApprovalLog;
import io.retraintrigger.store.jdbc.JdbcAuditMarks;
import io.retraintrigger.store.jdbc.JdbcBatchStore;
import io.retraintrigger.store.jdbc.JdbcDeadLetterStore;
import io.retraintrigger.store.jdbc.JdbcDecisionLog;
import io.retraintrigger.store.jdbc.JdbcEventArchive;
import io.retraintrigger.store.jdbc.JdbcLaunchLeases;
import io.retraintrigger.store.jdbc.JdbcPipelineSteps;
import io.retraintrigger.store.jdbc.JdbcPool;
import io.retraintrigger.store.jdbc.JdbcSignalTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
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
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one place where infrastructure objects are made: clock, data source, the store adapters.
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

    // The store adapters: one per port, all of the kind retrain.store.kind names. What the other kind needs is never made.
    @Inject
    RetrainConfig config;
    @Inject
    @Named("retrainDataSource")
    Instance<AgroalDataSource> jdbc;
    @Inject
    @Named("dynamoDbClient")
    Instance<DynamoDbClient> dynamoDb;
    @Inject
    Instance<DynamoDbTables.Names> tables;
    @Inject
    DynamoDbStoreConfig dynamoDbConfig;

    private <T> T ofKind(Function<DataSource, T> onJdbc, BiFunction<DynamoDbClient, DynamoDbTables.Names, T> onDynamoDb) {
        return DYNAMODB.equals(storeKind(config)) ? onDynamoDb.apply(dynamoDb.get(), tables.get()) : onJdbc.apply(jdbc.get());
    }

    @Produces
    @Singleton
    PipelineSteps pipelineSteps() {
        return ofKind(JdbcPipelineSteps::new,
                (ddb, t) -> new DynamoDbPipelineSteps(ddb, t, dynamoDbConfig.consistentReads(), dynamoDbConfig.maxAttempts()));
    }

    @Produces
    @Singleton
    DecisionLog decisionLog() {
        return ofKind(JdbcDecisionLog::new, (ddb, t) -> new DynamoDbDecisionLog(ddb, t, dynamoDbConfig.consistentReads()));
    }

    @Produces
    @Singleton
    LaunchLeases launchLeases() {
        return ofKind(JdbcLaunchLeases::new, DynamoDbLaunchLeases::new);
    }

    @Produces
    @Singleton
    ApprovalLog approvalLog() {
        return ofKind(JdbcApprovalLog::new, (ddb, t) -> new DynamoDbApprovalLog(ddb, t, dynamoDbConfig.consistentReads()));
    }

    @Produces
    @Singleton
    DeadLetterStore deadLetterStore() {
        return ofKind(JdbcDeadLetterStore::new, (ddb, t) -> new DynamoDbDeadLetterStore(ddb, t, dynamoDbConfig.consistentReads()));
    }

    @Produces
    @Singleton
    AuditMarks auditMarks() {
        return ofKind(JdbcAuditMarks::new, DynamoDbAuditMarks::new);
    }

    @Produces
    @Singleton
    SignalTimes signalTimes() {
        return ofKind(JdbcSignalTimes::new, DynamoDbSignalTimes::new);
    }

    @Produces
    @Singleton
    BatchStore batchStore() {
        Duration lease = config.batch().decideLease();
        return ofKind(ds -> new JdbcBatchStore(ds, lease), (ddb, t) -> new DynamoDbBatchStore(ddb, t, lease));
    }

    @Produces
    @Singleton
    EventArchive eventArchive() {
        return ofKind(JdbcEventArchive::new, (ddb, t) -> new DynamoDbEventArchive(ddb, t, dynamoDbConfig.consistentReads()));
    }

    /** The DynamoDB tables (store, batches, event archive), created first when retrain.store.dynamodb.auto-create is true. */
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
