package io.retraintrigger.store;

import io.retraintrigger.model.TrainingRequest;

import java.time.Instant;

/** A deferred training request of one pipeline (at most one: later ones merge into it). */
public record Deferred(TrainingRequest request, Instant dueAt, String decisionId) {
}
