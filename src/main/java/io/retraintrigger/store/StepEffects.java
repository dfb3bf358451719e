package io.retraintrigger.store;

import io.retraintrigger.coordinator.PipelineState;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.Decision;

import java.util.Optional;

/**
 * What one coordinator step records, all or nothing.
 *
 * @param decision        decision to insert (empty: none)
 * @param newState        counters to write (empty: unchanged); pendingApprovals in it are ignored
 * @param deferredChange  what happens to the pipeline's deferred request
 * @param openApproval    approval item to open
 * @param resolveApproval approval item to resolve; it must still be pending, else the step fails
 * @param replayed        the step did not run: {@code decision} was recorded under the same id before
 */
public record StepEffects(
        Optional<Decision> decision,
        Optional<PipelineState> newState,
        DeferredChange deferredChange,
        Optional<Approval> openApproval,
        Optional<Approval> resolveApproval,
        boolean replayed) {

    public static final StepEffects NOTHING = new StepEffects(Optional.empty(), Optional.empty(), DeferredChange.keep(), Optional.empty(), Optional.empty(), false);

    /** What a store answers for a step whose decision id is recorded already: that decision, nothing written. */
    public static StepEffects replayed(Decision recorded) {
        return new StepEffects(Optional.of(recorded), Optional.empty(), DeferredChange.keep(), Optional.empty(), Optional.empty(), true);
    }

    public StepEffects withDecision(Decision d) {
        return new StepEffects(Optional.of(d), newState, deferredChange, openApproval, resolveApproval, replayed);
    }

    public StepEffects withState(PipelineState s) {
        return new StepEffects(decision, Optional.of(s), deferredChange, openApproval, resolveApproval, replayed);
    }

    public StepEffects withDeferred(DeferredChange c) {
        return new StepEffects(decision, newState, c, openApproval, resolveApproval, replayed);
    }

    public StepEffects opening(Approval a) {
        return new StepEffects(decision, newState, deferredChange, Optional.of(a), resolveApproval, replayed);
    }

    public StepEffects resolving(Approval a) {
        return new StepEffects(decision, newState, deferredChange, openApproval, Optional.of(a), replayed);
    }

    /** Keep, replace or delete the pipeline's deferred request. */
    public record DeferredChange(Kind kind, Deferred replacement) {
        public enum Kind { KEEP, PUT, DELETE }

        public static DeferredChange keep() {
            return new DeferredChange(Kind.KEEP, null);
        }

        public static DeferredChange put(Deferred d) {
            return new DeferredChange(Kind.PUT, d);
        }

        public static DeferredChange delete() {
            return new DeferredChange(Kind.DELETE, null);
        }
    }
}
