package io.retraintrigger.store.jdbc;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.store.ApprovalConflictException;
import io.retraintrigger.store.CoordinatorStep;
import io.retraintrigger.store.Deferred;
import io.retraintrigger.store.PipelineView;
import io.retraintrigger.store.StateStore;
import io.retraintrigger.store.StepEffects;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link StateStore} on a relational database (H2 or PostgreSQL; schema by Flyway). A coordinator
 * step locks the pipeline's row ({@code SELECT ... FOR UPDATE}) so that check and record are one
 * transaction, also across replicas sharing the database.
 */
public class JdbcStateStore implements StateStore {
    private static final String UNIQUE_VIOLATION = Sql.UNIQUE_VIOLATION;

    private final DataSource dataSource;

    public JdbcStateStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private <T> T inTransaction(Sql.Work<T> work) {
        return Sql.inTransaction(dataSource, work);
    }

    private <T> T withConnection(Sql.Work<T> work) {
        return Sql.withConnection(dataSource, work);
    }

    // ------------------------------------------------------------------ coordinator

    @Override
    public StepEffects coordinate(String pipeline, Instant now, String decisionId, CoordinatorStep step) {
        return inTransaction(c -> {
            ensureStateRow(c, pipeline, now);
            PipelineState stored = lockState(c, pipeline);
            // Under the pipeline's lock: a step with the same decision id cannot commit between this check and ours.
            if (decisionId != null) {
                Optional<Decision> recorded = decision(c, decisionId, false);
                if (recorded.isPresent()) return StepEffects.replayed(recorded.get());
            }
            List<Approval> pending = approvals(c, pipeline, ApprovalStatus.PENDING, Integer.MAX_VALUE);
            PipelineState state = stored.withPendingApprovals(pending.stream().map(Approval::id).toList()).on(PipelineState.utcDay(now));
            Optional<Deferred> deferred = deferred(c, pipeline);
            StepEffects effects = step.apply(new PipelineView(state, deferred, pending));
            if (effects.endedLaunch().isPresent() && !endLaunch(c, effects.endedLaunch().get())) {
                return StepEffects.NOTHING; // its launch was answered meanwhile: nothing to end, nothing to release
            }
            persist(c, pipeline, effects);
            return effects;
        });
    }

    private void ensureStateRow(Connection c, String pipeline, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pipeline_state WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return;
            }
        }
        // Insert in a savepoint: a concurrent insert of the same row is fine, the lock below serializes us.
        var sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pipeline_state (pipeline, counter_day, trainings_today, spend_today, last_training_at, training_seq) VALUES (?, ?, 0, 0, NULL, 0)")) {
            ps.setString(1, pipeline);
            ps.setDate(2, Date.valueOf(PipelineState.utcDay(now)));
            ps.executeUpdate();
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            c.rollback(sp);
        }
    }

    private PipelineState lockState(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pipeline, counter_day, trainings_today, spend_today, last_training_at, training_seq FROM pipeline_state WHERE pipeline = ? FOR UPDATE")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("pipeline_state row of " + pipeline + " vanished");
                return readState(rs);
            }
        }
    }

    private static PipelineState readState(ResultSet rs) throws SQLException {
        return new PipelineState(rs.getString("pipeline"), rs.getDate("counter_day").toLocalDate(), rs.getInt("trainings_today"),
                rs.getDouble("spend_today"), instant(rs, "last_training_at"), rs.getLong("training_seq"), List.of());
    }

    private void persist(Connection c, String pipeline, StepEffects effects) throws SQLException {
        if (effects.newState().isPresent()) {
            PipelineState s = effects.newState().get();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE pipeline_state SET counter_day = ?, trainings_today = ?, spend_today = ?, last_training_at = ?, training_seq = ? WHERE pipeline = ?")) {
                ps.setDate(1, Date.valueOf(s.day()));
                ps.setInt(2, s.trainingsToday());
                ps.setDouble(3, s.spendToday());
                setInstant(ps, 4, s.lastTrainingAt());
                ps.setLong(5, s.sequence());
                ps.setString(6, pipeline);
                ps.executeUpdate();
            }
        }
        if (effects.decision().isPresent()) {
            insertDecision(c, effects.decision().get());
        }
        switch (effects.deferredChange().kind()) {
            case KEEP -> {
            }
            case DELETE -> deleteDeferred(c, pipeline);
            case PUT -> {
                deleteDeferred(c, pipeline);
                Deferred d = effects.deferredChange().replacement();
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO deferred_request (pipeline, due_at, decision_id, request) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, pipeline);
                    setInstant(ps, 2, d.dueAt());
                    ps.setString(3, d.decisionId());
                    ps.setString(4, StoreJson.write(d.request()));
                    ps.executeUpdate();
                }
            }
        }
        if (effects.openApproval().isPresent()) {
            Approval a = effects.openApproval().get();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO approval (id, pipeline, type, status, created_at, body) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, a.id());
                ps.setString(2, a.pipeline());
                ps.setString(3, a.type().name());
                ps.setString(4, a.status().name());
                setInstant(ps, 5, a.createdAt());
                ps.setString(6, StoreJson.write(a));
                ps.executeUpdate();
            }
        }
        if (effects.resolveApproval().isPresent()) {
            Approval a = effects.resolveApproval().get();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE approval SET status = ?, resolved_at = ?, body = ? WHERE id = ? AND status = 'PENDING'")) {
                ps.setString(1, a.status().name());
                setInstant(ps, 2, a.resolvedAt());
                ps.setString(3, StoreJson.write(a));
                ps.setString(4, a.id());
                if (ps.executeUpdate() != 1) {
                    throw new ApprovalConflictException("approval " + a.id() + " is no longer pending");
                }
            }
        }
    }

    private static void deleteDeferred(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM deferred_request WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<PipelineState> pipelineState(String pipeline) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pipeline, counter_day, trainings_today, spend_today, last_training_at, training_seq FROM pipeline_state WHERE pipeline = ?")) {
                ps.setString(1, pipeline);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<PipelineState>empty();
                    PipelineState s = readState(rs);
                    List<String> pending = approvals(c, pipeline, ApprovalStatus.PENDING, Integer.MAX_VALUE).stream().map(Approval::id).toList();
                    return Optional.of(s.withPendingApprovals(pending));
                }
            }
        });
    }

    // ------------------------------------------------------------------ decisions

    @Override
    public Decision recordDecision(Decision decision) {
        return withConnection(c -> {
            try {
                insertDecision(c, decision);
                return decision;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
                return decision(c, decision.id(), false).orElseThrow(() -> e);
            }
        });
    }

    private static void insertDecision(Connection c, Decision d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO decision (id, pipeline, trigger_type, priority, outcome, decided_at, launch_status, execution_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.pipeline());
            ps.setString(3, d.triggerType() == null ? null : d.triggerType().name());
            ps.setInt(4, d.priority());
            ps.setString(5, d.outcome().name());
            setInstant(ps, 6, d.decidedAt());
            ps.setString(7, d.launch() == null ? null : d.launch().status().name());
            ps.setString(8, d.launch() == null ? null : d.launch().executionId());
            ps.setString(9, StoreJson.write(d));
            ps.executeUpdate();
        }
    }

    @Override
    public void updateLaunch(String decisionId, Outcome outcome, List<String> reasons, Launch launch) {
        inTransaction(c -> {
            Decision d = decision(c, decisionId, true)
                    .orElseThrow(() -> new StoreException("no decision " + decisionId));
            writeDecision(c, d.launchAnswered(outcome, reasons, launch));
            return null;
        });
    }

    /** Writes {@code ended} over its decision if that launch is still PENDING (the row locked until commit). */
    private static boolean endLaunch(Connection c, Decision ended) throws SQLException {
        Optional<Decision> current = decision(c, ended.id(), true);
        if (current.isEmpty() || current.get().launch() == null || current.get().launch().status() != LaunchStatus.PENDING) return false;
        writeDecision(c, ended);
        return true;
    }

    private static void writeDecision(Connection c, Decision d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET outcome = ?, launch_status = ?, execution_id = ?, body = ? WHERE id = ?")) {
            ps.setString(1, d.outcome().name());
            ps.setString(2, d.launch() == null ? null : d.launch().status().name());
            ps.setString(3, d.launch() == null ? null : d.launch().executionId());
            ps.setString(4, StoreJson.write(d));
            ps.setString(5, d.id());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<Decision> recordExecutionStatus(String executionId, String status, Instant at) {
        return inTransaction(c -> {
            String id;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM decision WHERE execution_id = ?")) {
                ps.setString(1, executionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Decision>empty();
                    id = rs.getString(1);
                }
            }
            Decision d = decision(c, id, true).orElseThrow();
            Decision updated = d.withLaunch(d.launch().withExecutionStatus(status, at));
            writeDecision(c, updated);
            return Optional.of(updated);
        });
    }

    @Override
    public Optional<Decision> decision(String id) {
        return withConnection(c -> decision(c, id, false));
    }

    private static Optional<Decision> decision(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT body FROM decision WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(StoreJson.read(rs.getString(1), Decision.class)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Decision> decisions(String pipeline, Outcome outcome, int limit) {
        return withConnection(c -> {
            StringBuilder sql = new StringBuilder("SELECT body FROM decision WHERE 1 = 1");
            List<String> args = new ArrayList<>();
            if (pipeline != null) {
                sql.append(" AND pipeline = ?");
                args.add(pipeline);
            }
            if (outcome != null) {
                sql.append(" AND outcome = ?");
                args.add(outcome.name());
            }
            sql.append(" ORDER BY decided_at DESC, seq DESC LIMIT ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (String a : args) ps.setString(i++, a);
                ps.setInt(i, limit);
                return readDecisions(ps);
            }
        });
    }

    @Override
    public boolean claimLaunch(String decisionId, String holder, Instant now, Instant until) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET send_lease_until = ?, send_lease_holder = ? WHERE id = ?"
                    + " AND outcome = ? AND launch_status = ? AND (send_lease_until IS NULL OR send_lease_until <= ?)")) {
                setInstant(ps, 1, until);
                ps.setString(2, holder);
                ps.setString(3, decisionId);
                ps.setString(4, Outcome.LAUNCHED.name());
                ps.setString(5, LaunchStatus.PENDING.name());
                setInstant(ps, 6, now);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean renewLaunch(String decisionId, String holder, Instant until) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET send_lease_until = ? WHERE id = ?"
                    + " AND send_lease_holder = ? AND launch_status = ?")) {
                setInstant(ps, 1, until);
                ps.setString(2, decisionId);
                ps.setString(3, holder);
                ps.setString(4, LaunchStatus.PENDING.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Decision> pendingLaunches(Instant decidedBefore, int limit) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT body FROM decision WHERE launch_status = ? AND outcome = ? AND decided_at < ? ORDER BY decided_at LIMIT ?")) {
                ps.setString(1, LaunchStatus.PENDING.name());
                ps.setString(2, Outcome.LAUNCHED.name());
                setInstant(ps, 3, decidedBefore);
                ps.setInt(4, limit);
                return readDecisions(ps);
            }
        });
    }

    private static List<Decision> readDecisions(PreparedStatement ps) throws SQLException {
        List<Decision> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(StoreJson.read(rs.getString(1), Decision.class));
        }
        return out;
    }

    // ------------------------------------------------------------------ deferred

    @Override
    public Optional<Deferred> deferred(String pipeline) {
        return withConnection(c -> deferred(c, pipeline));
    }

    private static Optional<Deferred> deferred(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT due_at, decision_id, request FROM deferred_request WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Deferred(StoreJson.read(rs.getString("request"), TrainingRequest.class),
                        instant(rs, "due_at"), rs.getString("decision_id")));
            }
        }
    }

    @Override
    public List<String> pipelinesWithDueDeferred(Instant now) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pipeline FROM deferred_request WHERE due_at <= ? ORDER BY due_at")) {
                setInstant(ps, 1, now);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    // ------------------------------------------------------------------ approvals

    @Override
    public Optional<Approval> approval(String id) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT body FROM approval WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(StoreJson.read(rs.getString(1), Approval.class)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Approval> approvals(String pipeline, ApprovalStatus status, int limit) {
        return withConnection(c -> approvals(c, pipeline, status, limit));
    }

    private static List<Approval> approvals(Connection c, String pipeline, ApprovalStatus status, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT body FROM approval WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (pipeline != null) {
            sql.append(" AND pipeline = ?");
            args.add(pipeline);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        sql.append(" ORDER BY created_at DESC, id LIMIT ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String a : args) ps.setString(i++, a);
            ps.setInt(i, limit);
            List<Approval> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(StoreJson.read(rs.getString(1), Approval.class));
            }
            return out;
        }
    }

    @Override
    public void ping() {
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pipeline_state"); ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static void setInstant(PreparedStatement ps, int i, Instant at) throws SQLException {
        Sql.setInstant(ps, i, at);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return Sql.instant(rs, column);
    }
}
