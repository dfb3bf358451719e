package io.retraintrigger.store;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.PipelineState;

import java.util.Optional;

/**
 * What one coordinator step records, all or nothing.
 *
 * @param decision        decision to insert (empty: none)
 * @param newState        counters to write (empty: unchanged); pendingApprovals in it are ignored
 * @param deferredChange  what happens to the pipeline's deferred request
 * @param openApproval    approval item to open
 * @param resolveApproval approval item to resolve; it must still be pending, else the step fails
 * @param endedLaunch     a recorded LAUNCHED decision whose launch this step ends (FAILED), written in its place;
 *                        if that launch is no longer PENDING when the step commits, the step writes nothing and
 *                        the store answers {@link #NOTHING}
 * @param replayed        the step did not run: {@code decision} was recorded under the same id before
 */
public record StepEffects(
        Optional<Decision> decision,
        Optional<PipelineState> newState,
        DeferredChange deferredChange,
        Optional<Approval> openApproval,
        Optional<Approval> resolveApproval,
        Optional<Decision> endedLaunch,
        boolean replayed) {

    public static final StepEffects NOTHING = new StepEffects(Optional.empty(), Optional.empty(), DeferredChange.keep(), Optional.empty(), Optional.empty(), Optional.empty(), false);

    /** What a store answers for a step whose decision id is recorded already: that decision, nothing written. */
    public static StepEffects replayed(Decision recorded) {
        return new StepEffects(Optional.of(recorded), Optional.empty(), DeferredChange.keep(), Optional.empty(), Optional.empty(), Optional.empty(), true);
    }

    public StepEffects withDecision(Decision d) {
        return new StepEffects(Optional.of(d), newState, deferredChange, openApproval, resolveApproval, endedLaunch, replayed);
    }

    public StepEffects withState(PipelineState s) {
        return new StepEffects(decision, Optional.of(s), deferredChange, openApproval, resolveApproval, endedLaunch, replayed);
    }

    public StepEffects withDeferred(DeferredChange c) {
        return new StepEffects(decision, newState, c, openApproval, resolveApproval, endedLaunch, replayed);
    }

    public StepEffects opening(Approval a) {
        return new StepEffects(decision, newState, deferredChange, Optional.of(a), resolveApproval, endedLaunch, replayed);
    }

    public StepEffects resolving(Approval a) {
        return new StepEffects(decision, newState, deferredChange, openApproval, Optional.of(a), endedLaunch, replayed);
    }

    public StepEffects endingLaunch(Decision failed) {
        return new StepEffects(decision, newState, deferredChange, openApproval, resolveApproval, Optional.of(failed), replayed);
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
