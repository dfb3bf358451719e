package io.retraintrigger.store.jdbc;

import io.retraintrigger.store.AuditMarks;
import io.retraintrigger.store.AuditMarksContract;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.DeadLetterStoreContract;
import io.retraintrigger.store.StateStore;
import io.retraintrigger.store.StateStoreContract;
import org.junit.jupiter.api.Nested;

import javax.sql.DataSource;
import java.time.Duration;

/** Every store contract on one database of a subclass (H2, PostgreSQL): the state store and, nested, the others. */
abstract class JdbcStoreContracts extends StateStoreContract {

    /** The subclass's database, migrated. */
    protected abstract DataSource dataSource();

    @Override
    protected StateStore newStore() {
        return new JdbcStateStore(dataSource());
    }

    @Nested
    class Audit extends AuditMarksContract {
        @Override
        protected AuditMarks newStore() {
            return new JdbcAuditMarks(dataSource());
        }
    }

    @Nested
    class DeadLetters extends DeadLetterStoreContract {
        @Override
        protected DeadLetterStore newStore() {
            return new JdbcDeadLetterStore(dataSource());
        }
    }

    @Nested
    class Batches extends JdbcBatchStoreContract {
        @Override
        protected BatchStore newStore(Duration lease) {
            return new JdbcBatchStore(dataSource(), lease);
        }
    }
}
