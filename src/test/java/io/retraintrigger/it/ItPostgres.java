package io.retraintrigger.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh schema on the machine's PostgreSQL (127.0.0.1:5432, database test, user postgres, trust), dropped on close. */
final class ItPostgres implements AutoCloseable {
    static final String URL = System.getProperty("retrain.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("retrain.test.postgres.user", "postgres");

    final String schema;

    ItPostgres(String prefix) throws SQLException {
        schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
    }

    /** The JDBC URL of the application on this schema. */
    String jdbcUrl() {
        return URL + "?currentSchema=" + schema;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
