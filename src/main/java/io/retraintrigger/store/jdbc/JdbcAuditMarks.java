package io.retraintrigger.store.jdbc;

import io.retraintrigger.store.AuditMarks;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Audit marks in table {@code audit_mark} (decision id, state): the primary key makes each mark once. */
public class JdbcAuditMarks implements AuditMarks {
    private final DataSource dataSource;

    public JdbcAuditMarks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean markAudited(String decisionId, String state) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_mark (decision_id, state) VALUES (?, ?)")) {
                ps.setString(1, decisionId);
                ps.setString(2, state);
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
                return false;
            }
        });
    }
}
