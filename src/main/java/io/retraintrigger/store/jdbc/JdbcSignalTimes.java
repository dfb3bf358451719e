package io.retraintrigger.store.jdbc;

import io.retraintrigger.store.SignalTimes;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Signal times in table {@code signal_time}: one row per pipeline and signal, raised by a conditional update. */
public class JdbcSignalTimes implements SignalTimes {
    private final DataSource dataSource;

    public JdbcSignalTimes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void advance(String pipeline, String signal, Instant at) {
        Sql.withConnection(dataSource, c -> {
            // raise it; else insert it; an insert that lost a race finds the row, and raises it
            if (raise(c, pipeline, signal, at) == 0 && !insert(c, pipeline, signal, at)) raise(c, pipeline, signal, at);
            return null;
        });
    }

    @Override
    public void begin(String pipeline, String signal, Instant at) {
        Sql.withConnection(dataSource, c -> insert(c, pipeline, signal, at));
    }

    @Override
    public Optional<Instant> last(String pipeline, String signal) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT at FROM signal_time WHERE pipeline = ? AND signal = ?")) {
                ps.setString(1, pipeline);
                ps.setString(2, signal);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Sql.instant(rs, "at")) : Optional.<Instant>empty();
                }
            }
        });
    }

    private static int raise(Connection c, String pipeline, String signal, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE signal_time SET at = ? WHERE pipeline = ? AND signal = ? AND at < ?")) {
            Sql.setInstant(ps, 1, at);
            ps.setString(2, pipeline);
            ps.setString(3, signal);
            Sql.setInstant(ps, 4, at);
            return ps.executeUpdate();
        }
    }

    /** False when the row exists. */
    private static boolean insert(Connection c, String pipeline, String signal, Instant at) throws SQLException {
        if (exists(c, pipeline, signal)) return false;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO signal_time (pipeline, signal, at) VALUES (?, ?, ?)")) {
            ps.setString(1, pipeline);
            ps.setString(2, signal);
            Sql.setInstant(ps, 3, at);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            return false;
        }
    }

    private static boolean exists(Connection c, String pipeline, String signal) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM signal_time WHERE pipeline = ? AND signal = ?")) {
            ps.setString(1, pipeline);
            ps.setString(2, signal);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
