package io.retraintrigger.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One normalized signal from any source. {@code id} is the source's own stable id (CloudEvents id,
 * SQS/Pub/Sub/Service Bus message or event id): it is the dedup key.
 */
public record TriggerEvent(
        String id,
        EventKind kind,
        Cloud cloud,
        String source,
        String pipeline,
        Instant occurredAt,
        String dataUri,
        long sizeBytes,
        List<FeatureScore> features,
        String monitor) {

    public TriggerEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cloud, "cloud");
        features = features == null ? List.of() : List.copyOf(features);
    }

    public static TriggerEvent dataArrival(String id, Cloud cloud, String source, String pipeline, Instant at, String uri, long sizeBytes) {
        return new TriggerEvent(id, EventKind.DATA_ARRIVAL, cloud, source, pipeline, at, uri, sizeBytes, List.of(), null);
    }

    public static TriggerEvent driftAlert(String id, Cloud cloud, String source, String pipeline, Instant at, List<FeatureScore> features, String monitor) {
        return new TriggerEvent(id, EventKind.DRIFT_ALERT, cloud, source, pipeline, at, null, 0, features, monitor);
    }

    public static TriggerEvent scheduleTick(String id, Cloud cloud, String source, String pipeline, Instant at) {
        return new TriggerEvent(id, EventKind.SCHEDULE_TICK, cloud, source, pipeline, at, null, 0, List.of(), null);
    }

    public TriggerEvent withPipeline(String name) {
        return new TriggerEvent(id, kind, cloud, source, name, occurredAt, dataUri, sizeBytes, features, monitor);
    }
}
