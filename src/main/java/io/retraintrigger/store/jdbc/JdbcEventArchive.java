package io.retraintrigger.store.jdbc;

import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.ArchivedEvent;
import io.retraintrigger.store.EventArchive;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event archive in table {@code event_archive} (V5; H2, PostgreSQL). Keeps are group-committed
 * ({@link GroupCommit}: the keeps of the deliveries waiting meanwhile go in one transaction), each
 * transaction batched {@code INSERT ... ON CONFLICT DO NOTHING} (both databases take it): a key that is
 * there, or that a concurrent transaction inserts first, is left as it is. Rows are inserted in key
 * order, so that transactions racing over the same keys (replicas) wait for each other instead of
 * deadlocking. An export page is one query on the index (time_key, event_key), resumed after the last
 * row of the page before.
 */
public class JdbcEventArchive implements EventArchive {
    /** Rows sent to the database at once. */
    private static final int INSERT_BATCH = 500;
    /** Keeps committed together at most. */
    private static final int MAX_GROUP = 256;
    /** Rows deleted per transaction of a purge, so that a large purge holds no long lock. */
    private static final int PURGE_STEP = 10_000;

    private final DataSource dataSource;
    private final GroupCommit<List<ArchivedEvent>> keeps;

    public JdbcEventArchive(DataSource dataSource) {
        this.dataSource = dataSource;
        this.keeps = new GroupCommit<>(dataSource, "event-archive-writer", MAX_GROUP, JdbcEventArchive::insert);
    }

    @Override
    public void keep(List<TriggerEvent> events) {
        if (events.isEmpty()) return;
        List<ArchivedEvent> archived = new ArrayList<>(events.size());
        for (TriggerEvent e : events) archived.add(ArchivedEvent.of(e));
        keeps.submit(archived);
    }

    /** The keeps of a group in one transaction: each key once (the first of it in the group), in key order. */
    private static void insert(Connection c, List<List<ArchivedEvent>> group) throws SQLException {
        Map<String, ArchivedEvent> byKey = new TreeMap<>();
        for (List<ArchivedEvent> keep : group) {
            for (ArchivedEvent a : keep) byKey.putIfAbsent(a.key(), a); // the first of a key, as the first kept of a key stays
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO event_archive (event_key, time_key, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            int pending = 0;
            for (ArchivedEvent a : byKey.values()) {
                ps.setString(1, a.key());
                ps.setString(2, a.timeKey());
                ps.setString(3, a.json());
                ps.addBatch();
                if (++pending == INSERT_BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) ps.executeBatch();
        }
    }

    @Override
    public List<TriggerEvent> page(Instant from, Instant to, Position after, int limit) {
        if (limit <= 0 || !from.isBefore(to)) return List.of();
        String sql = "SELECT body FROM event_archive WHERE time_key >= ? AND time_key < ?"
                + (after == null ? "" : " AND (time_key, event_key) > (?, ?)")
                + " ORDER BY time_key, event_key LIMIT ?";
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, ArchivedEvent.bound(from));
                ps.setString(i++, ArchivedEvent.bound(to));
                if (after != null) {
                    ps.setString(i++, ArchivedEvent.bound(after.occurredAt()));
                    ps.setString(i++, after.key());
                }
                ps.setInt(i, limit);
                List<TriggerEvent> out = new ArrayList<>(Math.min(limit, PAGE));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(ArchivedEvent.event(rs.getString(1)));
                }
                return out;
            }
        });
    }

    @Override
    public int purge(Instant before) {
        String cutoff = ArchivedEvent.bound(before);
        int gone = 0;
        while (true) {
            int step = Sql.withConnection(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_archive WHERE event_key IN"
                        + " (SELECT event_key FROM event_archive WHERE time_key < ? ORDER BY time_key LIMIT " + PURGE_STEP + ")")) {
                    ps.setString(1, cutoff);
                    return ps.executeUpdate();
                }
            });
            gone += step;
            if (step < PURGE_STEP) return gone;
        }
    }
}
