package io.retraintrigger.store.jdbc;

import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.store.LaunchLeases;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.time.Instant;

/** {@link LaunchLeases} as two columns of the decision's row: one conditional UPDATE claims or renews. */
public class JdbcLaunchLeases implements LaunchLeases {
    private final DataSource dataSource;

    public JdbcLaunchLeases(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean claimLaunch(String decisionId, String holder, Instant now, Instant until) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET send_lease_until = ?, send_lease_holder = ? WHERE id = ?"
                    + " AND outcome = ? AND launch_status = ? AND (send_lease_until IS NULL OR send_lease_until <= ?)")) {
                Sql.setInstant(ps, 1, until);
                ps.setString(2, holder);
                ps.setString(3, decisionId);
                ps.setString(4, Outcome.LAUNCHED.name());
                ps.setString(5, LaunchStatus.PENDING.name());
                Sql.setInstant(ps, 6, now);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean renewLaunch(String decisionId, String holder, Instant until) {
        return Sql.withConnection(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET send_lease_until = ? WHERE id = ?"
                    + " AND send_lease_holder = ? AND launch_status = ?")) {
                Sql.setInstant(ps, 1, until);
                ps.setString(2, decisionId);
                ps.setString(3, holder);
                ps.setString(4, LaunchStatus.PENDING.name());
                return ps.executeUpdate() == 1;
            }
        });
    }
}
