package io.retraintrigger.store.jdbc;

import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Transactions and timestamp columns, alike for every JDBC adapter (H2 and PostgreSQL). */
final class Sql {
    /** SQLSTATE of a unique-key violation, on H2 and PostgreSQL alike. */
    static final String UNIQUE_VIOLATION = "23505";

    private Sql() {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    static <T> T inTransaction(DataSource dataSource, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable e) {
                // Any throwable, Errors included: restoring auto-commit below would otherwise commit the work.
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("state store: " + e.getMessage(), e);
        }
    }

    static <T> T withConnection(DataSource dataSource, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("state store: " + e.getMessage(), e);
        }
    }

    static void setInstant(PreparedStatement ps, int i, Instant at) throws SQLException {
        if (at == null) ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(i, at.atOffset(ZoneOffset.UTC));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * The JSON bodies of {@code table}'s rows whose columns equal the non-null values of {@code equal}
     * (column → value), in {@code orderBy} order, at most {@code limit}.
     */
    static <T> List<T> bodiesWhere(Connection c, String table, Map<String, String> equal, String orderBy, int limit, Class<T> type)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT body FROM ").append(table).append(" WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        equal.forEach((column, value) -> {
            if (value != null) {
                sql.append(" AND ").append(column).append(" = ?");
                args.add(value);
            }
        });
        sql.append(" ORDER BY ").append(orderBy).append(" LIMIT ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String a : args) ps.setString(i++, a);
            ps.setInt(i, limit);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(StoreJson.read(rs.getString(1), type));
            }
            return out;
        }
    }

    /** Column → value, in the order given; null values match everything in {@link #bodiesWhere}. */
    static Map<String, String> columns(String column1, String value1, String column2, String value2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(column1, value1);
        m.put(column2, value2);
        return m;
    }
}
