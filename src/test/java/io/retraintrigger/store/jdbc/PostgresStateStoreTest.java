package io.retraintrigger.store.jdbc;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import io.retraintrigger.config.Producers;
import io.retraintrigger.store.StateStore;
import io.retraintrigger.store.StateStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The state store contract on a real PostgreSQL: 127.0.0.1:5432, database {@code test}, user {@code postgres}
 * (trust auth), in a fresh schema per class that is dropped afterwards. The server must be running (CI starts
 * it): if it cannot be reached, every test of this class fails; none is skipped.
 */
class PostgresStateStoreTest extends StateStoreContract {
    static final String SERVER_URL = System.getProperty("retrain.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("retrain.test.postgres.user", "postgres");

    private static String schema;
    private static AgroalDataSource dataSource;

    @BeforeAll
    static void createSchema() throws Exception {
        schema = "state_store_contract_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER_URL + " (user " + USER + ") is required by this test and cannot be used: "
                    + e.getMessage(), e);
        }
        Map<String, String> props = new HashMap<>();
        props.put(AgroalPropertiesReader.JDBC_URL, SERVER_URL + "?currentSchema=" + schema);
        props.put(AgroalPropertiesReader.PRINCIPAL, USER);
        props.put(AgroalPropertiesReader.MAX_SIZE, "16");
        props.put(AgroalPropertiesReader.MIN_SIZE, "1");
        props.put(AgroalPropertiesReader.INITIAL_SIZE, "1");
        props.put(AgroalPropertiesReader.ACQUISITION_TIMEOUT_S, "10");
        dataSource = AgroalDataSource.from(new AgroalPropertiesReader().readProperties(props).get());
        Producers.migrate(dataSource);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        try {
            if (dataSource != null) dataSource.close();
        } finally {
            dataSource = null;
            if (schema != null) {
                try (Connection c = admin(); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER_URL, USER, null);
    }

    @Override
    protected StateStore newStore() {
        return new JdbcStateStore(dataSource);
    }
}
