package io.retraintrigger.api;

import jakarta.annotation.Nullable;

/**
 * The documented answer of POST /api/events (202), written by Intake.accepted (routes/ingest-http.yaml);
 * OpenApiContractTest checks the real answers against it.
 *
 * @param kind     the event's kind (EventKind)
 * @param pipeline null for an event that names no configured pipeline
 */
public record EventAccepted(String id, String kind, @Nullable String pipeline, boolean duplicate) {
}
