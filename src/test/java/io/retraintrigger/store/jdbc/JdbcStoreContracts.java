package io.retraintrigger.store.jdbc;

import io.retraintrigger.store.AuditMarks;
import io.retraintrigger.store.AuditMarksContract;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.DeadLetterStoreContract;
import io.retraintrigger.store.SignalTimes;
import io.retraintrigger.store.SignalTimesContract;
import io.retraintrigger.store.EventArchive;
import io.retraintrigger.store.EventArchiveContract;
import io.retraintrigger.store.StateAdapters;
import io.retraintrigger.store.StateContracts;
import org.junit.jupiter.api.Nested;

import javax.sql.DataSource;
import java.time.Duration;

/** Every store contract, nested, on one database of a subclass (H2, PostgreSQL). */
abstract class JdbcStoreContracts extends StateContracts {

    /** The subclass's database, migrated. */
    protected abstract DataSource dataSource();

    @Override
    protected StateAdapters newAdapters() {
        DataSource ds = dataSource();
        return new StateAdapters(new JdbcPipelineSteps(ds), new JdbcDecisionLog(ds), new JdbcLaunchLeases(ds), new JdbcApprovalLog(ds));
    }

    @Nested
    class Audit extends AuditMarksContract {
        @Override
        protected AuditMarks newStore() {
            return new JdbcAuditMarks(dataSource());
        }
    }

    @Nested
    class Signals extends SignalTimesContract {
        @Override
        protected SignalTimes newStore() {
            return new JdbcSignalTimes(dataSource());
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
    class Events extends EventArchiveContract {
        @Override
        protected EventArchive newArchive() {
            return new JdbcEventArchive(dataSource());
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
