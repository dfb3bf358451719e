package io.retraintrigger.store.jdbc;

import io.agroal.api.AgroalDataSource;
import io.retraintrigger.wiring.Producers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The state store contract on a real PostgreSQL: 127.0.0.1:5432, database {@code test}, user {@code postgres}
 * (trust auth), in a fresh schema per class that is dropped afterwards. The server must be running (CI starts
 * it): if it cannot be reached, every test of this class fails; none is skipped.
 */
class PostgresStateStoreTest extends JdbcStoreContracts {
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
        dataSource = JdbcPool.open(SERVER_URL + "?currentSchema=" + schema, USER, null, 16);
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
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", USER);
        return new org.postgresql.Driver().connect(SERVER_URL, props);
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
