package io.retraintrigger.store.jdbc;

import io.agroal.api.AgroalDataSource;
import io.retraintrigger.wiring.Producers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

/** The state store contract on H2 (in memory, PostgreSQL mode, as the service runs it). One database per class. */
class H2StateStoreTest extends JdbcStoreContracts {
    private static AgroalDataSource dataSource;

    @BeforeAll
    static void startDatabase() throws Exception {
        String name = "state_store_contract_" + UUID.randomUUID().toString().replace("-", "");
        dataSource = JdbcPool.open("jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                null, null, 16);
        Producers.migrate(dataSource);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (dataSource == null) return;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } finally {
            dataSource.close();
            dataSource = null;
        }
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
