package io.retraintrigger.store.jdbc;

import io.retraintrigger.store.AuditMarks;
import io.retraintrigger.store.AuditMarksContract;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.DeadLetterStoreContract;
import io.retraintrigger.store.ApprovalLogContract;
import io.retraintrigger.store.DecisionLogContract;
import io.retraintrigger.store.LaunchLeasesContract;
import io.retraintrigger.store.PipelineStepsContract;
import io.retraintrigger.store.StateAdapters;
import org.junit.jupiter.api.Nested;

import javax.sql.DataSource;
import java.time.Duration;

/** Every store contract, nested, on one database of a subclass (H2, PostgreSQL). */
abstract class JdbcStoreContracts {

    /** The subclass's database, migrated. */
    protected abstract DataSource dataSource();

    StateAdapters adapters() {
        DataSource ds = dataSource();
        return new StateAdapters(new JdbcPipelineSteps(ds), new JdbcDecisionLog(ds), new JdbcLaunchLeases(ds), new JdbcApprovalLog(ds));
    }

    @Nested
    class Steps extends PipelineStepsContract {
        @Override
        protected StateAdapters newAdapters() {
            return adapters();
        }
    }

    @Nested
    class Decisions extends DecisionLogContract {
        @Override
        protected StateAdapters newAdapters() {
            return adapters();
        }
    }

    @Nested
    class Leases extends LaunchLeasesContract {
        @Override
        protected StateAdapters newAdapters() {
            return adapters();
        }
    }

    @Nested
    class Approvals extends ApprovalLogContract {
        @Override
        protected StateAdapters newAdapters() {
            return adapters();
        }
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
