package io.retraintrigger.store.jdbc;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.store.CoordinatorStep;
import io.retraintrigger.store.Deferred;
import io.retraintrigger.store.PipelineSteps;
import io.retraintrigger.store.PipelineView;
import io.retraintrigger.store.StepEffects;
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
 * {@link PipelineSteps} on a relational database (H2 or PostgreSQL; schema by Flyway): tables
 * {@code pipeline_state} and {@code deferred_request}. A coordinator step locks the pipeline's row
 * ({@code SELECT ... FOR UPDATE}) so that check and record are one transaction, also across replicas
 * sharing the database; the decision, approval and ended launch a step returns are written in that
 * transaction, in the tables of {@link JdbcDecisionLog} and {@link JdbcApprovalLog}.
 */
public class JdbcPipelineSteps implements PipelineSteps {
    private final DataSource dataSource;

    public JdbcPipelineSteps(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public StepEffects coordinate(String pipeline, Instant now, String decisionId, CoordinatorStep step) {
        return Sql.inTransaction(dataSource, c -> {
            ensureStateRow(c, pipeline, now);
            PipelineState stored = lockState(c, pipeline);
            // Under the pipeline's lock: a step with the same decision id cannot commit between this check and ours.
            if (decisionId != null) {
                Optional<Decision> recorded = JdbcDecisionLog.find(c, decisionId, false);
                if (recorded.isPresent()) return StepEffects.replayed(recorded.get());
            }
            List<Approval> pending = JdbcApprovalLog.find(c, pipeline, ApprovalStatus.PENDING, Integer.MAX_VALUE);
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
            if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
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
                rs.getDouble("spend_today"), Sql.instant(rs, "last_training_at"), rs.getLong("training_seq"), List.of());
    }

    private void persist(Connection c, String pipeline, StepEffects effects) throws SQLException {
        if (effects.newState().isPresent()) {
            PipelineState s = effects.newState().get();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE pipeline_state SET counter_day = ?, trainings_today = ?, spend_today = ?, last_training_at = ?, training_seq = ? WHERE pipeline = ?")) {
                ps.setDate(1, Date.valueOf(s.day()));
                ps.setInt(2, s.trainingsToday());
                ps.setDouble(3, s.spendToday());
                Sql.setInstant(ps, 4, s.lastTrainingAt());
                ps.setLong(5, s.sequence());
                ps.setString(6, pipeline);
                ps.executeUpdate();
            }
        }
        if (effects.decision().isPresent()) {
            JdbcDecisionLog.insert(c, effects.decision().get());
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
                    Sql.setInstant(ps, 2, d.dueAt());
                    ps.setString(3, d.decisionId());
                    ps.setString(4, StoreJson.write(d.request()));
                    ps.executeUpdate();
                }
            }
        }
        if (effects.openApproval().isPresent()) JdbcApprovalLog.insert(c, effects.openApproval().get());
        if (effects.resolveApproval().isPresent()) JdbcApprovalLog.resolve(c, effects.resolveApproval().get());
    }

    private static void deleteDeferred(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM deferred_request WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<PipelineState> pipelineState(String pipeline) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pipeline, counter_day, trainings_today, spend_today, last_training_at, training_seq FROM pipeline_state WHERE pipeline = ?")) {
                ps.setString(1, pipeline);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<PipelineState>empty();
                    PipelineState s = readState(rs);
                    List<String> pending = JdbcApprovalLog.find(c, pipeline, ApprovalStatus.PENDING, Integer.MAX_VALUE).stream().map(Approval::id).toList();
                    return Optional.of(s.withPendingApprovals(pending));
                }
            }
        });
    }

    /** Writes {@code ended} over its decision if that launch is still PENDING (the row locked until commit). */
    private static boolean endLaunch(Connection c, Decision ended) throws SQLException {
        Optional<Decision> current = JdbcDecisionLog.find(c, ended.id(), true);
        if (current.isEmpty() || current.get().launch() == null || current.get().launch().status() != LaunchStatus.PENDING) return false;
        JdbcDecisionLog.write(c, ended);
        return true;
    }

    @Override
    public Optional<Deferred> deferred(String pipeline) {
        return Sql.withConnection(dataSource, c -> deferred(c, pipeline));
    }

    private static Optional<Deferred> deferred(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT due_at, decision_id, request FROM deferred_request WHERE pipeline = ?")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Deferred(StoreJson.read(rs.getString("request"), TrainingRequest.class),
                        Sql.instant(rs, "due_at"), rs.getString("decision_id")));
            }
        }
    }

    @Override
    public List<String> pipelinesWithDueDeferred(Instant now) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pipeline FROM deferred_request WHERE due_at <= ? ORDER BY due_at")) {
                Sql.setInstant(ps, 1, now);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        });
    }
}
