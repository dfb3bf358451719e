package io.retraintrigger.ingest;

import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.TriggerEvent;

import java.util.List;
import java.util.Set;

/**
 * One delivery after the intake recorded it.
 *
 * @param events     every event of the delivery that matched a pipeline (or asks for nothing)
 * @param signals    those still to be decided: not data arrivals (recorded already), not decided before
 * @param closed     batches that its data arrivals filled up (closed in the same store step)
 * @param duplicates ids of its events that were recorded or decided before (they changed nothing)
 */
public record Delivery(List<TriggerEvent> events, List<TriggerEvent> signals, List<ClosedBatch> closed, Set<String> duplicates) {
    public Delivery {
        events = List.copyOf(events);
        signals = List.copyOf(signals);
        closed = List.copyOf(closed);
        duplicates = Set.copyOf(duplicates);
    }
}
