package io.retraintrigger.store.jdbc;

import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.StoreJson;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Dead letters in table {@code dead_letter} (H2, PostgreSQL). */
public class JdbcDeadLetterStore implements DeadLetterStore {
    private final DataSource dataSource;

    public JdbcDeadLetterStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void addDeadLetter(DeadLetter d) {
        Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO dead_letter (id, received_at, source, status, reason, payload, headers) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, d.id());
                Sql.setInstant(ps, 2, d.receivedAt());
                ps.setString(3, d.source());
                ps.setInt(4, d.status());
                ps.setString(5, d.reason());
                ps.setString(6, d.payload()); // bounded by DeadLetters, the same on every store
                ps.setString(7, StoreJson.write(d.headers()));
                ps.executeUpdate();
                return null;
            }
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<DeadLetter> deadLetters(int limit) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, received_at, source, status, reason, payload, headers FROM dead_letter ORDER BY received_at DESC, seq DESC LIMIT ?")) {
                ps.setInt(1, limit);
                List<DeadLetter> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetter(rs.getString("id"), Sql.instant(rs, "received_at"), rs.getString("source"), rs.getInt("status"),
                                rs.getString("reason"), rs.getString("payload"), StoreJson.read(rs.getString("headers"), Map.class)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public int purgeDeadLetters(Instant before, int keep) {
        return Sql.inTransaction(dataSource, c -> {
            int gone;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dead_letter WHERE received_at < ?")) {
                Sql.setInstant(ps, 1, before);
                gone = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM dead_letter WHERE id IN (SELECT id FROM dead_letter ORDER BY received_at DESC, seq DESC OFFSET ? ROWS)")) {
                ps.setInt(1, Math.max(0, keep));
                gone += ps.executeUpdate();
            }
            return gone;
        });
    }

    @Override
    public long deadLetterCount() {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dead_letter"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
