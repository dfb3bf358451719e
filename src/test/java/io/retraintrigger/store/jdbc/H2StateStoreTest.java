package io.retraintrigger.store.jdbc;

import io.agroal.api.AgroalDataSource;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.AuditMarks;
import io.retraintrigger.store.AuditMarksContract;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.DeadLetterStoreContract;
import io.retraintrigger.store.StateStore;
import io.retraintrigger.store.StateStoreContract;
import io.retraintrigger.wiring.Producers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

import java.sql.Connection;
import java.time.Duration;
import java.sql.Statement;
import java.util.UUID;

/** The state store contract on H2 (in memory, PostgreSQL mode, as the service runs it). One database per class. */
class H2StateStoreTest extends StateStoreContract {
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
    protected StateStore newStore() {
        return new JdbcStateStore(dataSource);
    }

    /** The audit marks contract on the same store. */
    @Nested
    class Audit extends AuditMarksContract {
        @Override
        protected AuditMarks newStore() {
            return new JdbcAuditMarks(dataSource);
        }
    }

    /** The dead letter store contract on the same database. */
    @Nested
    class DeadLetters extends DeadLetterStoreContract {
        @Override
        protected DeadLetterStore newStore() {
            return new JdbcDeadLetterStore(dataSource);
        }
    }

    /** The batch store contract on the same database. */
    @Nested
    class Batches extends JdbcBatchStoreContract {
        @Override
        protected BatchStore newStore(Duration lease) {
            return new JdbcBatchStore(dataSource, lease);
        }
    }
}
