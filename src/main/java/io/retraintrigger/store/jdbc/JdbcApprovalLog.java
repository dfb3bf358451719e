package io.retraintrigger.store.jdbc;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.store.ApprovalConflictException;
import io.retraintrigger.store.ApprovalLog;
import io.retraintrigger.store.StoreJson;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@link ApprovalLog} in table {@code approval}. The approvals are opened and resolved by coordinator
 * steps ({@link JdbcPipelineSteps}), which read the pending ones through {@link #find}.
 */
public class JdbcApprovalLog implements ApprovalLog {
    private final DataSource dataSource;

    public JdbcApprovalLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Approval> approval(String id) {
        return Sql.withConnection(dataSource, c -> {
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
        return Sql.withConnection(dataSource, c -> find(c, pipeline, status, limit));
    }

    /** Newest first; null filters match everything. */
    static List<Approval> find(Connection c, String pipeline, ApprovalStatus status, int limit) throws SQLException {
        return Sql.bodiesWhere(c, "approval", Sql.columns("pipeline", pipeline, "status", status == null ? null : status.name()),
                "created_at DESC, id", limit, Approval.class);
    }

    static void insert(Connection c, Approval a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO approval (id, pipeline, type, status, created_at, body) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.pipeline());
            ps.setString(3, a.type().name());
            ps.setString(4, a.status().name());
            Sql.setInstant(ps, 5, a.createdAt());
            ps.setString(6, StoreJson.write(a));
            ps.executeUpdate();
        }
    }

    /** Writes the resolution {@code a} over its approval, which must still be PENDING. */
    static void resolve(Connection c, Approval a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE approval SET status = ?, resolved_at = ?, body = ? WHERE id = ? AND status = 'PENDING'")) {
            ps.setString(1, a.status().name());
            Sql.setInstant(ps, 2, a.resolvedAt());
            ps.setString(3, StoreJson.write(a));
            ps.setString(4, a.id());
            if (ps.executeUpdate() != 1) {
                throw new ApprovalConflictException("approval " + a.id() + " is no longer pending");
            }
        }
    }
}
