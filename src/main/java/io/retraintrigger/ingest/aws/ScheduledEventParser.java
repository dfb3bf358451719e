package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An EventBridge scheduled rule's event ({@code detail-type "Scheduled Event"}, source {@code aws.events},
 * {@code resources} = the rule's ARN) as a schedule tick without a pipeline: attribute
 * {@value #SCHEDULE_SOURCES} lists the rule ARN(s) and the rule name(s) (the ARN's last path element,
 * {@code arn:aws:events:us-east-2:123456789012:rule/my-schedule} → {@code my-schedule}; a rule on a custom
 * bus, {@code rule/bus/name}, gives {@code name}), comma-separated, for the pipeline matcher to look up.
 * The id is the event id. Pure: no Camel, no CDI.
 */
public final class ScheduledEventParser {
    public static final String SOURCE = "aws.events";
    public static final String SCHEDULED_EVENT = "Scheduled Event";
    public static final String SCHEDULE_SOURCES = "scheduleSources";

    public TriggerEvent parse(String body) {
        return parse(EventBridgeEvent.of(AwsJson.root(JsonAt.read(body, "message"), "")));
    }

    TriggerEvent parse(EventBridgeEvent e) {
        e.expect(SOURCE, SCHEDULED_EVENT);
        List<String> rules = e.resources();
        if (rules.isEmpty()) throw JsonAt.missing(e.root().where("resources") + " (the scheduled rule's ARN)");
        Set<String> sources = new LinkedHashSet<>(rules);
        for (String arn : rules) {
            String resource = arn.substring(arn.lastIndexOf(':') + 1);
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            if (!name.isBlank()) sources.add(name);
        }
        return new TriggerEvent(e.id(), EventKind.SCHEDULE_TICK, Cloud.AWS, SOURCE, null, e.time(), null, 0, List.of(), null,
                Map.of(SCHEDULE_SOURCES, String.join(",", sources)));
    }
}
