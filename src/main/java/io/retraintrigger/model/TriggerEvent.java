package io.retraintrigger.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        String monitor,
        Map<String, String> attributes) {

    public TriggerEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cloud, "cloud");
        features = features == null ? List.of() : List.copyOf(features);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static TriggerEvent dataArrival(String id, Cloud cloud, String source, String pipeline, Instant at, String uri, long sizeBytes) {
        return new TriggerEvent(id, EventKind.DATA_ARRIVAL, cloud, source, pipeline, at, uri, sizeBytes, List.of(), null, Map.of());
    }

    public static TriggerEvent driftAlert(String id, Cloud cloud, String source, String pipeline, Instant at, List<FeatureScore> features, String monitor) {
        return new TriggerEvent(id, EventKind.DRIFT_ALERT, cloud, source, pipeline, at, null, 0, features, monitor, Map.of());
    }

    public static TriggerEvent scheduleTick(String id, Cloud cloud, String source, String pipeline, Instant at) {
        return new TriggerEvent(id, EventKind.SCHEDULE_TICK, cloud, source, pipeline, at, null, 0, List.of(), null, Map.of());
    }

    /** An alert that ended; {@code attributes} say which and how (e.g. alarm, state, reason). */
    public static TriggerEvent alertResolved(String id, Cloud cloud, String source, String pipeline, Instant at, String monitor, Map<String, String> attributes) {
        return new TriggerEvent(id, EventKind.ALERT_RESOLVED, cloud, source, pipeline, at, null, 0, List.of(), monitor, attributes);
    }

    /**
     * A training execution's new state. Attributes: {@link #EXECUTION_ID} (the id the launcher returned),
     * {@link #EXECUTION_STATUS}, and optionally {@link #EXECUTION_ENDED_AT} (ISO-8601).
     */
    public static TriggerEvent launchStatus(String id, Cloud cloud, String source, Instant at, Map<String, String> attributes) {
        return new TriggerEvent(id, EventKind.LAUNCH_STATUS, cloud, source, null, at, null, 0, List.of(), null, attributes);
    }

    /** A message that asks for nothing; {@code why} is logged and counted. */
    public static TriggerEvent ignored(String id, Cloud cloud, String source, Instant at, String why) {
        return new TriggerEvent(id, EventKind.IGNORED, cloud, source, null, at, null, 0, List.of(), null, Map.of("reason", why));
    }

    /** Attribute: where a drift alert's scores came from (a report, or why not), kept in the decision's reasons. */
    public static final String EVIDENCE = "evidence";
    /** Attribute: other names of a drift alert's monitor (comma-separated), e.g. {@code sagemaker-endpoint:<EndpointName>}. */
    public static final String MONITOR_ALIASES = "monitorAliases";
    public static final String EXECUTION_ID = "executionId";
    public static final String EXECUTION_STATUS = "status";
    public static final String EXECUTION_ENDED_AT = "endedAt";

    /** The monitor's name, then its other names ({@link #MONITOR_ALIASES}): a pipeline may list any of them. */
    public List<String> monitorNames() {
        return names(monitor, attributes.get(MONITOR_ALIASES));
    }

    /** {@code name} (when not null), then the comma-separated {@code others}, blanks left out. */
    public static List<String> names(String name, String others) {
        List<String> out = new ArrayList<>();
        if (name != null) out.add(name);
        if (others != null) {
            for (String a : others.split(",")) {
                if (!a.isBlank()) out.add(a.trim());
            }
        }
        return out;
    }

    public TriggerEvent withPipeline(String name) {
        return new TriggerEvent(id, kind, cloud, source, name, occurredAt, dataUri, sizeBytes, features, monitor, attributes);
    }

    public TriggerEvent withEvidence(String note) {
        Map<String, String> a = new HashMap<>(attributes);
        a.put(EVIDENCE, note);
        return new TriggerEvent(id, kind, cloud, source, pipeline, occurredAt, dataUri, sizeBytes, features, monitor, a);
    }

    public TriggerEvent at(Instant when) {
        return new TriggerEvent(id, kind, cloud, source, pipeline, when, dataUri, sizeBytes, features, monitor, attributes);
    }
}
