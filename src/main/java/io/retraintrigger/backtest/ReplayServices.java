package io.retraintrigger.backtest;

import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.coordinator.Coordinator;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.ApprovalLog;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.PipelineSteps;

import java.time.Clock;
import java.util.Map;

/**
 * The production services one replay drives, made anew for each replay on a store of its own (the wiring makes
 * them: this package chooses no adapter).
 */
public interface ReplayServices {

    /** The services of {@code config}, on {@code clock}, with a fresh empty store. */
    Stack open(RetrainConfig config, Clock clock);

    /**
     * One recorded event (a line of the export: a structured CloudEvent) as the intake's parser reads it, for the
     * replay to know its time and kind before the intake takes it.
     *
     * @throws io.retraintrigger.model.BadInputException the line is not a CloudEvent the service takes
     */
    TriggerEvent read(String line);

    /** The line of an event, as the export writes it ({@link #read} reads it back). */
    String write(TriggerEvent event);

    /**
     * @param beans     the beans the routes call, by the names they call them
     * @param resources closed when the replay ends (the store)
     */
    record Stack(Map<String, Object> beans, DecisionLog decisions, ApprovalLog approvals, PipelineSteps steps, BatchStore batches,
                 Coordinator coordinator, AutoCloseable resources) {
    }
}
