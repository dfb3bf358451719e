package io.retraintrigger.ingest.aws;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.retraintrigger.ingest.aws.Fixtures.read;
import static io.retraintrigger.ingest.aws.Fixtures.with;
import static io.retraintrigger.ingest.aws.Fixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ScheduledEventParserTest {
    private static final String SCHEDULED = "eventbridge-scheduled-event.json";
    private final ScheduledEventParser parser = new ScheduledEventParser();

    @Test
    void documentedScheduledEventIsATickWithoutPipeline() {
        TriggerEvent e = parser.parse(read(SCHEDULED));
        assertEquals(EventKind.SCHEDULE_TICK, e.kind());
        assertEquals("cdc73f9d-aea9-11e3-9d5a-835b769c0d9c", e.id());
        assertEquals(Cloud.AWS, e.cloud());
        assertEquals("aws.events", e.source());
        assertNull(e.pipeline());
        assertEquals(Instant.parse("2019-03-01T01:23:45Z"), e.occurredAt());
        assertEquals("arn:aws:events:us-east-2:123456789012:rule/my-schedule,my-schedule", e.attributes().get("scheduleSources"));
    }

    @Test
    void aRuleOnACustomBusIsNamedByItsLastPathElement() {
        TriggerEvent e = parser.parse(with(SCHEDULED, "resources", List.of("arn:aws:events:us-east-2:123456789012:rule/ml-bus/weekly-retrain")));
        assertEquals("arn:aws:events:us-east-2:123456789012:rule/ml-bus/weekly-retrain,weekly-retrain", e.attributes().get("scheduleSources"));
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: resources", () -> parser.parse(without(SCHEDULED, "resources")));
        refused(422, "missing field: resources", () -> parser.parse(with(SCHEDULED, "resources", List.of())));
        refused(422, "missing field: id", () -> parser.parse(without(SCHEDULED, "id")));
        refused(422, "invalid field resources[0]", () -> parser.parse(with(SCHEDULED, "resources", List.of(7))));
    }

    @Test
    void anotherEventIsRefused() {
        refused(422, "unrecognized AWS message", () -> parser.parse(read("s3-eventbridge-object-created.json")));
    }
}
