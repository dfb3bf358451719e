package io.retraintrigger.store.jdbc;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Evaluation;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link DecisionLog} in table {@code decision}: the JSON body and the columns it is found by. The row
 * helpers are shared with {@link JdbcPipelineSteps}, which records a step's decision in its own transaction.
 */
public class JdbcDecisionLog implements DecisionLog {
    private final DataSource dataSource;

    public JdbcDecisionLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Decision recordDecision(Decision decision) {
        return Sql.withConnection(dataSource, c -> {
            try {
                insert(c, decision);
                return decision;
            } catch (SQLException e) {
                if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
                return find(c, decision.id(), false).orElseThrow(() -> e);
            }
        });
    }

    @Override
    public void updateLaunch(String decisionId, Outcome outcome, List<String> reasons, Launch launch) {
        Sql.inTransaction(dataSource, c -> {
            Decision d = find(c, decisionId, true).orElseThrow(() -> new StoreException("no decision " + decisionId));
            write(c, d.launchAnswered(outcome, reasons, launch));
            return null;
        });
    }

    @Override
    public Optional<Decision> recordExecutionStatus(String executionId, String status, Instant at) {
        return Sql.inTransaction(dataSource, c -> {
            String id;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM decision WHERE execution_id = ?")) {
                ps.setString(1, executionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Decision>empty();
                    id = rs.getString(1);
                }
            }
            Decision d = find(c, id, true).orElseThrow();
            Decision updated = d.withLaunch(d.launch().withExecutionStatus(status, at));
            write(c, updated);
            return Optional.of(updated);
        });
    }

    @Override
    public Optional<Decision> recordEvaluation(String decisionId, UnaryOperator<Evaluation> change) {
        return Sql.inTransaction(dataSource, c -> {
            Optional<Decision> d = find(c, decisionId, true);
            if (d.isEmpty()) return Optional.<Decision>empty();
            Evaluation next = change.apply(d.get().evaluation());
            if (next == null) return Optional.<Decision>empty();
            Decision updated = d.get().withEvaluation(next);
            write(c, updated);
            return Optional.of(updated);
        });
    }

    @Override
    public Optional<Decision> decision(String id) {
        return Sql.withConnection(dataSource, c -> find(c, id, false));
    }

    @Override
    public List<Decision> decisions(String pipeline, Outcome outcome, int limit) {
        return Sql.withConnection(dataSource, c -> Sql.bodiesWhere(c, "decision",
                Sql.columns("pipeline", pipeline, "outcome", outcome == null ? null : outcome.name()), "decided_at DESC, seq DESC", limit, Decision.class));
    }

    @Override
    public List<Decision> pendingLaunches(Instant decidedBefore, int limit) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT body FROM decision WHERE launch_status = ? AND outcome = ? AND decided_at < ? ORDER BY decided_at LIMIT ?")) {
                ps.setString(1, LaunchStatus.PENDING.name());
                ps.setString(2, Outcome.LAUNCHED.name());
                Sql.setInstant(ps, 3, decidedBefore);
                ps.setInt(4, limit);
                return readAll(ps);
            }
        });
    }

    // ------------------------------------------------------------------ rows, for this log and the pipeline steps

    static void insert(Connection c, Decision d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO decision (id, pipeline, trigger_type, priority, outcome, decided_at, launch_status, execution_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.pipeline());
            ps.setString(3, d.triggerType() == null ? null : d.triggerType().name());
            ps.setInt(4, d.priority());
            ps.setString(5, d.outcome().name());
            Sql.setInstant(ps, 6, d.decidedAt());
            ps.setString(7, d.launch() == null ? null : d.launch().status().name());
            ps.setString(8, d.launch() == null ? null : d.launch().executionId());
            ps.setString(9, StoreJson.write(d));
            ps.executeUpdate();
        }
    }

    /** Writes {@code d} over the row of its id. */
    static void write(Connection c, Decision d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET outcome = ?, launch_status = ?, execution_id = ?, body = ? WHERE id = ?")) {
            ps.setString(1, d.outcome().name());
            ps.setString(2, d.launch() == null ? null : d.launch().status().name());
            ps.setString(3, d.launch() == null ? null : d.launch().executionId());
            ps.setString(4, StoreJson.write(d));
            ps.setString(5, d.id());
            ps.executeUpdate();
        }
    }

    /** The decision of {@code id}, its row locked until commit when {@code lock}. */
    static Optional<Decision> find(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM decision WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(StoreJson.read(rs.getString(1), Decision.class)) : Optional.empty();
            }
        }
    }

    private static List<Decision> readAll(PreparedStatement ps) throws SQLException {
        List<Decision> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(StoreJson.read(rs.getString(1), Decision.class));
        }
        return out;
    }
}
