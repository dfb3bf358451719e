package io.retraintrigger.ingest;

import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.ingest.http.CloudEventParser;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns what arrives (HTTP CloudEvents, schedule fires) into resolved {@link TriggerEvent}s. */
@ApplicationScoped
@Named("intake")
public class Intake {
    private final CloudEventParser cloudEvents = new CloudEventParser();
    private final PipelineMatcher matcher;
    private final RetrainMetrics metrics;
    private final Clock clock;
    private final int maxBodyBytes;

    @Inject
    public Intake(PipelineMatcher matcher, RetrainMetrics metrics, Clock clock, RetrainConfig config) {
        this.matcher = matcher;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodyBytes = config.api().maxBodyBytes();
    }

    /** POST /api/events: a CloudEvent, checked and matched to its pipeline. */
    public TriggerEvent cloudEvent(String contentType, Map<String, Object> headers, byte[] body) {
        if (body != null && body.length > maxBodyBytes) {
            throw new BadInputException(413, "body too large: " + body.length + " bytes, the limit is " + maxBodyBytes + " (retrain.api.max-body-bytes)");
        }
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (v != null) h.put(k, v.toString());
        });
        String text = body == null ? null : new String(body, StandardCharsets.UTF_8);
        return resolve(cloudEvents.parse(contentType, h, text));
    }

    /** A Quartz fire: the scheduled fire time makes the id, so replicas firing together count once. */
    public TriggerEvent scheduleTick(String pipeline, Date scheduledFireTime) {
        Instant at = scheduledFireTime == null ? clock.instant() : scheduledFireTime.toInstant();
        return resolve(TriggerEvent.scheduleTick("quartz:" + pipeline + ":" + at, Cloud.LOCAL, "quartz", pipeline, at));
    }

    public TriggerEvent resolve(TriggerEvent e) {
        TriggerEvent resolved = matcher.resolve(e);
        return resolved.occurredAt() != null ? resolved : resolved.at(clock.instant());
    }

    /** The idempotent repository's key: the source's own id, within its cloud. */
    public String dedupKey(TriggerEvent e) {
        return e.cloud().name().toLowerCase() + ":" + e.id();
    }

    /** Counts the event and answers the sender (202 body). */
    public Map<String, Object> accepted(TriggerEvent e, Boolean duplicate) {
        boolean dup = Boolean.TRUE.equals(duplicate);
        metrics.event(e, dup);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("kind", e.kind().name());
        out.put("pipeline", e.pipeline());
        out.put("duplicate", dup);
        return out;
    }
}
