package io.retraintrigger.store.jdbc;

import io.retraintrigger.model.BatchId;
import io.retraintrigger.model.BatchItem;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.OpenBatch;
import io.retraintrigger.store.AppendResult;
import io.retraintrigger.store.Arrival;
import io.retraintrigger.store.BatchStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static io.retraintrigger.store.jdbc.Sql.instant;
import static io.retraintrigger.store.jdbc.Sql.setInstant;

/**
 * {@link BatchStore} on H2 or PostgreSQL (tables batch_head, batch, batch_item of V3). An append locks
 * the pipeline's batch_head row ({@code SELECT ... FOR UPDATE}), checks the keys, inserts one
 * batch_item row per new arrival and updates the head's counters, whatever the size of the batch; the
 * deliveries waiting meanwhile are committed together ({@link #append}: group commit). A close locks the same row, so it is serialized with the appends of
 * that pipeline on every replica; it moves the head to the next batch number.
 */
public class JdbcBatchStore implements BatchStore {
    private static final String HEAD = "SELECT seq, event_count, total_bytes, opened_at, closes_at FROM batch_head WHERE pipeline = ?";
    private static final String CLOSED = "SELECT id, pipeline, seq, event_count, total_bytes, opened_at, closed_at, reason, attempts FROM batch";

    /** Deliveries committed together at most. */
    private static final int MAX_GROUP = 256;

    private final DataSource dataSource;
    private final Duration lease;
    private final GroupCommit<Delivery> appends;

    /** @param lease how long the closer of a batch has to record its decision before another may */
    public JdbcBatchStore(DataSource dataSource, Duration lease) {
        this.dataSource = dataSource;
        this.lease = lease;
        this.appends = new GroupCommit<>(dataSource, "batch-store-writer", MAX_GROUP, this::appendAll);
    }

    private record Head(long seq, int count, long bytes, Instant openedAt, Instant closesAt) {
    }

    /**
     * Group commit: the deliveries that arrive while a transaction is running are recorded together in the
     * next one (up to {@value #MAX_GROUP}), by one writer thread: each waits for the commit that holds its
     * arrivals, and a database commit (a file write on H2, a WAL flush on PostgreSQL) serves many. A group
     * that fails is retried delivery by delivery, so that one bad delivery fails only itself ({@link GroupCommit},
     * shared with the event archive). A hand-written mechanism: nothing in Agroal, the drivers or Camel batches
     * independent callers' transactions.
     */
    @Override
    public AppendResult append(List<Arrival> arrivals, Instant now) {
        if (arrivals.isEmpty()) return new AppendResult(Set.of(), List.of());
        Delivery d = new Delivery(arrivals, now);
        appends.submit(d);
        return new AppendResult(d.duplicates, d.closed);
    }

    /** A delivery waiting for its commit, and what it recorded. */
    private static final class Delivery {
        final List<Arrival> arrivals;
        final Instant now;
        final Set<String> duplicates = new HashSet<>();
        final List<ClosedBatch> closed = new ArrayList<>();

        Delivery(List<Arrival> arrivals, Instant now) {
            this.arrivals = arrivals;
            this.now = now;
        }
    }

    private record Entry(Delivery delivery, Arrival arrival) {
    }

    /** One group's transaction (GroupCommit commits it); written again alone when its group failed, so it starts afresh. */
    private void appendAll(Connection c, List<Delivery> group) throws SQLException {
        // Pipelines in a fixed order: two transactions that touch the same pipelines lock them in the same order.
        Map<String, List<Entry>> byPipeline = new TreeMap<>();
        for (Delivery d : group) {
            d.duplicates.clear();
            d.closed.clear();
            for (Arrival a : d.arrivals) byPipeline.computeIfAbsent(a.pipeline(), k -> new ArrayList<>()).add(new Entry(d, a));
        }
        for (Map.Entry<String, List<Entry>> e : byPipeline.entrySet()) appendTo(c, e.getKey(), e.getValue());
    }

    private void appendTo(Connection c, String pipeline, List<Entry> entries) throws SQLException {
        Head head = lockHead(c, pipeline);
        // The head is locked: a key of this pipeline cannot be added by anyone else until we commit.
        Set<String> known = existingKeys(c, entries.stream().map(e -> e.arrival().key()).toList());
        long seq = head.seq();
        int count = head.count();
        long bytes = head.bytes();
        Instant openedAt = head.openedAt();
        Instant closesAt = head.closesAt();
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO batch_item (event_key, pipeline, seq, slot, uri, size_bytes, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry e : entries) {
                Arrival a = e.arrival();
                Instant now = e.delivery().now;
                if (!known.add(a.key())) {
                    e.delivery().duplicates.add(a.key());
                    continue;
                }
                if (count == 0) {
                    openedAt = now;
                    closesAt = now.plus(a.window());
                }
                count++;
                bytes += a.sizeBytes();
                ins.setString(1, a.key());
                ins.setString(2, pipeline);
                ins.setLong(3, seq);
                ins.setInt(4, count);
                ins.setString(5, a.uri());
                ins.setLong(6, a.sizeBytes());
                setInstant(ins, 7, now);
                ins.addBatch();
                if (count >= a.batchSize()) {
                    ins.executeBatch();
                    e.delivery().closed.add(insertClosed(c, pipeline, seq, count, bytes, openedAt, now, ClosedBatch.SIZE));
                    seq++;
                    count = 0;
                    bytes = 0;
                    openedAt = null;
                    closesAt = null;
                }
            }
            ins.executeBatch();
        }
        writeHead(c, pipeline, new Head(seq, count, bytes, openedAt, closesAt));
    }

    private static void writeHead(Connection c, String pipeline, Head h) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE batch_head SET seq = ?, event_count = ?, total_bytes = ?, opened_at = ?, closes_at = ? WHERE pipeline = ?")) {
            ps.setLong(1, h.seq());
            ps.setInt(2, h.count());
            ps.setLong(3, h.bytes());
            setInstant(ps, 4, h.openedAt());
            setInstant(ps, 5, h.closesAt());
            ps.setString(6, pipeline);
            ps.executeUpdate();
        }
    }

    /** The pipeline's head row, locked for this transaction (created at batch 1 when missing). */
    private Head lockHead(Connection c, String pipeline) throws SQLException {
        Optional<Head> h = head(c, pipeline, true);
        if (h.isPresent()) return h.get();
        // A concurrent insert of the same row is fine: the savepoint keeps our transaction, the lock below serializes us.
        var sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO batch_head (pipeline, seq, event_count, total_bytes) VALUES (?, 1, 0, 0)")) {
            ps.setString(1, pipeline);
            ps.executeUpdate();
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            c.rollback(sp);
        }
        return head(c, pipeline, true).orElseThrow(() -> new SQLException("batch_head row of " + pipeline + " vanished"));
    }

    private static Optional<Head> head(Connection c, String pipeline, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HEAD + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Head(rs.getLong("seq"), rs.getInt("event_count"), rs.getLong("total_bytes"),
                        instant(rs, "opened_at"), instant(rs, "closes_at")));
            }
        }
    }

    private static Set<String> existingKeys(Connection c, List<String> keys) throws SQLException {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 100));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT event_key FROM batch_item WHERE event_key IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) ps.setString(i + 1, chunk.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    private ClosedBatch insertClosed(Connection c, String pipeline, long seq, int count, long bytes, Instant openedAt, Instant now,
                                     String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO batch (id, pipeline, seq, event_count, total_bytes, opened_at, closed_at, reason, decided, lease_until, attempts)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, 1)")) {
            ps.setString(1, BatchId.of(pipeline, seq));
            ps.setString(2, pipeline);
            ps.setLong(3, seq);
            ps.setInt(4, count);
            ps.setLong(5, bytes);
            setInstant(ps, 6, openedAt);
            setInstant(ps, 7, now);
            ps.setString(8, reason);
            setInstant(ps, 9, now.plus(lease));
            ps.executeUpdate();
        }
        return new ClosedBatch(pipeline, seq, count, bytes, openedAt, now, reason, preview(c, pipeline, seq));
    }

    private static List<String> preview(Connection c, String pipeline, long seq) throws SQLException {
        List<String> uris = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT uri FROM batch_item WHERE pipeline = ? AND seq = ? ORDER BY slot LIMIT " + ClosedBatch.PREVIEW)) {
            ps.setString(1, pipeline);
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) uris.add(rs.getString(1));
            }
        }
        return uris;
    }

    @Override
    public Optional<ClosedBatch> close(String pipeline, long seq, String reason, Instant now) {
        return Sql.inTransaction(dataSource, c -> {
            Optional<Head> h = head(c, pipeline, true);
            if (h.isEmpty() || h.get().seq() != seq || h.get().count() == 0) return Optional.<ClosedBatch>empty();
            Head head = h.get();
            ClosedBatch b = insertClosed(c, pipeline, seq, head.count(), head.bytes(), head.openedAt(), now, reason);
            writeHead(c, pipeline, new Head(seq + 1, 0, 0, null, null));
            return Optional.of(b);
        });
    }

    @Override
    public List<OpenBatch> expired(Instant now, int limit) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pipeline, seq, event_count, total_bytes, opened_at, closes_at FROM batch_head"
                            + " WHERE closes_at <= ? AND event_count > 0 ORDER BY closes_at LIMIT ?")) {
                setInstant(ps, 1, now);
                ps.setInt(2, limit);
                List<OpenBatch> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OpenBatch(rs.getString("pipeline"), rs.getLong("seq"), rs.getInt("event_count"), rs.getLong("total_bytes"),
                                instant(rs, "opened_at"), instant(rs, "closes_at")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<OpenBatch> open(String pipeline) {
        return Sql.withConnection(dataSource, c -> head(c, pipeline, false)
                .filter(h -> h.count() > 0)
                .map(h -> new OpenBatch(pipeline, h.seq(), h.count(), h.bytes(), h.openedAt(), h.closesAt())));
    }

    @Override
    public List<Claimed> claimUndecided(Instant now, Duration claimFor, int limit) {
        List<String> candidates = Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM batch WHERE decided = FALSE AND lease_until <= ? ORDER BY closed_at LIMIT ?")) {
                setInstant(ps, 1, now);
                ps.setInt(2, limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
                return ids;
            }
        });
        List<Claimed> out = new ArrayList<>();
        for (String id : candidates) {
            Sql.inTransaction(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE batch SET lease_until = ?, attempts = attempts + 1 WHERE id = ? AND decided = FALSE AND lease_until <= ?")) {
                    setInstant(ps, 1, now.plus(claimFor));
                    ps.setString(2, id);
                    setInstant(ps, 3, now);
                    if (ps.executeUpdate() != 1) return null; // another replica claimed it first
                }
                closed(c, id).ifPresent(out::add);
                return null;
            });
        }
        return out;
    }

    @Override
    public void markDecided(String batchId) {
        Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE batch SET decided = TRUE WHERE id = ?")) {
                ps.setString(1, batchId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<ClosedBatch> closed(String batchId) {
        return Sql.withConnection(dataSource, c -> closed(c, batchId).map(Claimed::batch));
    }

    private static Optional<Claimed> closed(Connection c, String batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CLOSED + " WHERE id = ?")) {
            ps.setString(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                String pipeline = rs.getString("pipeline");
                long seq = rs.getLong("seq");
                ClosedBatch b = new ClosedBatch(pipeline, seq, rs.getInt("event_count"), rs.getLong("total_bytes"),
                        instant(rs, "opened_at"), instant(rs, "closed_at"), rs.getString("reason"), preview(c, pipeline, seq));
                return Optional.of(new Claimed(b, rs.getInt("attempts")));
            }
        }
    }

    @Override
    public List<BatchItem> items(String batchId, long fromSlot, int limit) {
        String pipeline = BatchId.pipeline(batchId);
        long seq = BatchId.seq(batchId);
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT slot, event_key, uri, size_bytes, received_at FROM batch_item WHERE pipeline = ? AND seq = ? AND slot >= ?"
                            + " ORDER BY slot LIMIT ?")) {
                ps.setString(1, pipeline);
                ps.setLong(2, seq);
                ps.setLong(3, fromSlot);
                ps.setInt(4, limit);
                List<BatchItem> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new BatchItem(rs.getLong("slot"), rs.getString("event_key"), rs.getString("uri"), rs.getLong("size_bytes"),
                                instant(rs, "received_at")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public int purgeDecided(Instant before) {
        return Sql.inTransaction(dataSource, c -> {
            List<String> old = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM batch WHERE decided = TRUE AND closed_at < ?")) {
                setInstant(ps, 1, before);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) old.add(rs.getString(1));
                }
            }
            try (PreparedStatement items = c.prepareStatement("DELETE FROM batch_item WHERE pipeline = ? AND seq = ?");
                 PreparedStatement batch = c.prepareStatement("DELETE FROM batch WHERE id = ?")) {
                for (String id : old) {
                    items.setString(1, BatchId.pipeline(id));
                    items.setLong(2, BatchId.seq(id));
                    items.executeUpdate();
                    batch.setString(1, id);
                    batch.executeUpdate();
                }
            }
            return old.size();
        });
    }
}
