package io.retraintrigger.config;

import io.agroal.api.AgroalDataSource;
import io.retraintrigger.store.StateStore;
import io.retraintrigger.store.jdbc.JdbcPool;
import io.retraintrigger.store.jdbc.JdbcStateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The one place where infrastructure objects are made: clock, data source, state store.
 * The data source is built at runtime from retrain.store.jdbc.url, so one build serves H2 and PostgreSQL.
 */
@ApplicationScoped
public class Producers {
    private static final Logger LOG = Logger.getLogger(Producers.class);

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
        if (!"jdbc".equals(store.kind())) {
            throw new ConfigurationError("retrain.store.kind", "unknown store '" + store.kind() + "'; available: jdbc");
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
    StateStore stateStore(@Named("retrainDataSource") AgroalDataSource ds) {
        return new JdbcStateStore(ds);
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
