package io.retraintrigger.ingest.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.ScheduleSource;
import io.retraintrigger.model.TriggerEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cloud Scheduler jobs with a Pub/Sub target. A run publishes one message made only of what the job
 * configures ({@code pubsubTarget.data}, {@code pubsubTarget.attributes}); Cloud Scheduler adds nothing
 * of its own, not even the job's name. So the job says which pipeline it ticks for, in one of two
 * ways, set when the job is created:
 * <ul>
 *   <li>the pipeline: data {@code {"pipeline": "fraud"}} or attribute {@code pipeline=fraud}
 *   ({@code gcloud scheduler jobs create pubsub ... --message-body='{"pipeline":"fraud"}'} or
 *   {@code --attributes=pipeline=fraud}); both may be given, but must agree;</li>
 *   <li>the job's name, for the pipelines' {@code schedule-sources}: data {@code {"jobName": "..."}} or
 *   attribute {@code jobName}, the short name or the resource name
 *   {@code projects/P/locations/L/jobs/NAME}; {@value #SCHEDULE_SOURCES} lists it and, for a resource
 *   name, its last segment.</li>
 * </ul>
 * A job whose message names neither (its own data, e.g. {@code {"trigger_type": "scheduled",
 * "data_window_days": 7}}) is claimed by a pipeline whose {@code schedule-sources} lists
 * {@code pubsub-subscription:<subscription>} (a subscription of its own: every message on it that has no
 * other known shape is its tick) or {@code pubsub-attribute:<key>=<value>} (an attribute its job sets):
 * {@link #claimed}.
 * With a pipeline attribute the data may be anything (free text is ignored). The id is
 * {@code cloud-scheduler:MESSAGE_ID}: a run publishes one message, and Pub/Sub keeps its messageId on
 * every redelivery (the prefix keeps these numeric ids apart from other sources' ids in the shared
 * idempotent repository). Time: the publish time. Pure: no Camel, no CDI.
 */
public final class CloudSchedulerParser {
    public static final String SOURCE = "cloudscheduler.googleapis.com";
    public static final String PIPELINE = "pipeline";
    public static final String JOB_NAME = "jobName";
    public static final String SCHEDULE_SOURCES = "scheduleSources";
    public static final String ID_PREFIX = "cloud-scheduler:";

    /** Attribute {@code pipeline} or {@code jobName}. */
    static boolean looksLike(Map<String, String> attributes) {
        return GcpJson.attribute(attributes, PIPELINE) != null || GcpJson.attribute(attributes, JOB_NAME) != null;
    }

    /** Data object with {@code pipeline} or {@code jobName}. */
    static boolean looksLike(JsonNode data) {
        return data != null && data.isObject() && (data.has(PIPELINE) || data.has(JOB_NAME));
    }

    public TriggerEvent parse(PubSubMessage m) {
        JsonNode data = null;
        if (m.hasData() && GcpJson.looksLikeJson(m.data())) {
            data = JsonAt.read(m.data(), "Cloud Scheduler message data");
        }
        return parse(m, data);
    }

    /** @param data the data as JSON, or null when it is absent or free text (which says nothing) */
    TriggerEvent parse(PubSubMessage m, JsonNode data) {
        JsonAt body = null;
        if (data != null) {
            if (!data.isObject()) {
                if (!looksLike(m.attributes())) {
                    throw JsonAt.invalid(GcpJson.DATA, "must be a JSON object with pipeline or jobName, was a JSON " + data.getNodeType().name().toLowerCase());
                }
            } else {
                body = GcpJson.data(data);
            }
        }
        String attrPipeline = m.attribute(PIPELINE);
        String dataPipeline = body == null ? null : body.optText(PIPELINE);
        if (attrPipeline != null && dataPipeline != null && !attrPipeline.equals(dataPipeline)) {
            throw new BadInputException(422, "invalid field " + body.where(PIPELINE) + ": '" + dataPipeline
                    + "' contradicts attributes.pipeline '" + attrPipeline + "'");
        }
        String pipeline = attrPipeline != null ? attrPipeline : dataPipeline;
        String jobName = m.attribute(JOB_NAME);
        if (jobName == null && body != null) jobName = body.optText(JOB_NAME);
        if (pipeline == null && jobName == null) {
            throw JsonAt.missing(PIPELINE + " (data.pipeline or attributes.pipeline; or jobName, matched against the pipelines' schedule-sources)"
                    + (body == null && m.hasData() ? "; the data is not JSON: '" + GcpJson.abbreviate(m.data()) + "'" : ""));
        }
        if (m.messageId() == null || m.messageId().isBlank()) throw JsonAt.missing("messageId");

        Map<String, String> attributes = new LinkedHashMap<>();
        if (jobName != null) attributes.put(SCHEDULE_SOURCES, String.join(",", sources(jobName)));
        return new TriggerEvent(ID_PREFIX + m.messageId(), EventKind.SCHEDULE_TICK, Cloud.GCP, SOURCE, pipeline, m.publishTime(),
                null, 0, List.of(), null, attributes);
    }

    /**
     * A message of no other known shape that a pipeline claims by its subscription or one of its attributes
     * ({@code claims}: the {@code pubsub-subscription:} and {@code pubsub-attribute:} schedule sources of all
     * pipelines): a tick whose {@value #SCHEDULE_SOURCES} are the claimed names, matched to the pipeline like
     * a job name. Empty when nothing claims it.
     */
    public Optional<TriggerEvent> claimed(PubSubMessage m, Set<String> claims) {
        if (claims.isEmpty()) return Optional.empty();
        List<String> sources = new ArrayList<>();
        if (m.subscription() != null) sources.add(ScheduleSource.PUBSUB_SUBSCRIPTION + m.subscription());
        m.attributes().forEach((k, v) -> sources.add(ScheduleSource.PUBSUB_ATTRIBUTE + k + "=" + v));
        List<String> matched = sources.stream().filter(claims::contains).toList();
        if (matched.isEmpty()) return Optional.empty();
        if (m.messageId() == null || m.messageId().isBlank()) throw JsonAt.missing("messageId");
        return Optional.of(new TriggerEvent(ID_PREFIX + m.messageId(), EventKind.SCHEDULE_TICK, Cloud.GCP, SOURCE, null, m.publishTime(),
                null, 0, List.of(), null, Map.of(SCHEDULE_SOURCES, String.join(",", matched))));
    }

    /** The job name as given and, for a resource name, its last segment. */
    static Set<String> sources(String jobName) {
        Set<String> out = new LinkedHashSet<>();
        out.add(jobName);
        String shortName = jobName.substring(jobName.lastIndexOf('/') + 1);
        if (!shortName.isBlank()) out.add(shortName);
        return out;
    }
}
