package io.retraintrigger.ingest;

import io.retraintrigger.model.ClosedBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A receive after the intake recorded it (routes/intake.yaml, intake-receive): the data arrivals of all
 * its messages were recorded in one store step; the messages with other signals are to be decided one by
 * one. A message whose signals fail stays unacknowledged; the others are acknowledged.
 */
public final class Receive {
    /** One message and what the intake made of it. */
    public record Part(Received message, Delivery delivery) {
    }

    private final List<Received> messages;
    private final List<Part> toDecide;
    private final List<ClosedBatch> closed;
    private final Set<Received> failed = ConcurrentHashMap.newKeySet();

    Receive(List<Received> messages, List<Part> toDecide, List<ClosedBatch> closed) {
        this.messages = List.copyOf(messages);
        this.toDecide = List.copyOf(toDecide);
        this.closed = List.copyOf(closed);
    }

    /** The messages that hold signals still to be decided. */
    public List<Part> toDecide() {
        return toDecide;
    }

    /** Batches that the receive's data arrivals filled up. */
    public List<ClosedBatch> closed() {
        return closed;
    }

    /** Marks a message whose signals could not be decided: it is not acknowledged, and comes back. */
    public void failed(Part part) {
        failed.add(part.message());
    }

    /** The handles of the messages to acknowledge: all but the failed ones, in receive order. */
    public List<Object> taken() {
        List<Object> out = new ArrayList<>(messages.size());
        for (Received m : messages) if (!failed.contains(m)) out.add(m.handle());
        return out;
    }
}
