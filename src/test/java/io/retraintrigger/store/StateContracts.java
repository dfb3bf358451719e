package io.retraintrigger.store;

import org.junit.jupiter.api.Nested;

/**
 * The four state contracts, nested, on the adapters of one store that a subclass supplies with
 * {@link #newAdapters()}; the subclass's own tests may use the fixtures.
 */
public abstract class StateContracts extends StateContractFixtures {

    @Nested
    class Steps extends PipelineStepsContract {
        @Override
        protected StateAdapters newAdapters() {
            return StateContracts.this.newAdapters();
        }
    }

    @Nested
    class Decisions extends DecisionLogContract {
        @Override
        protected StateAdapters newAdapters() {
            return StateContracts.this.newAdapters();
        }
    }

    @Nested
    class Leases extends LaunchLeasesContract {
        @Override
        protected StateAdapters newAdapters() {
            return StateContracts.this.newAdapters();
        }
    }

    @Nested
    class Approvals extends ApprovalLogContract {
        @Override
        protected StateAdapters newAdapters() {
            return StateContracts.this.newAdapters();
        }
    }
}
