package io.retraintrigger.ingest.azure;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.retraintrigger.ingest.azure.Fixtures.read;
import static io.retraintrigger.ingest.azure.Fixtures.with;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ScheduleTickParserTest {
    private static final String MESSAGE_ID = "7b1c0e4f2a9d4c3e8b5f6a7d8c9e0f1a";
    private final ScheduleTickParser parser = new ScheduleTickParser();

    @Test
    void aPipelineBodyIsATickIdentifiedByItsMessageId() {
        TriggerEvent e = parser.parse(read("schedule-tick.json"), Map.of(), MESSAGE_ID);
        assertEquals(EventKind.SCHEDULE_TICK, e.kind());
        assertEquals(MESSAGE_ID, e.id());
        assertEquals(Cloud.AZURE, e.cloud());
        assertEquals("azure-servicebus", e.source());
        assertEquals("fraud", e.pipeline());
        assertNull(e.occurredAt(), "no time given: the intake stamps it");
        assertEquals(Map.of(), e.attributes());
    }

    @Test
    void aRedeliveredMessageIsTheSameTickAndAnotherMessageAnotherOne() {
        String body = read("schedule-tick.json");
        assertEquals(parser.parse(body, null, MESSAGE_ID), parser.parse(body, null, MESSAGE_ID));
        assertNotEquals(parser.parse(body, null, MESSAGE_ID).id(), parser.parse(body, null, "another-message").id());
    }

    @Test
    void aTypedTickCarriesItsTimeAndSchedule() {
        TriggerEvent e = parser.parse(read("schedule-tick-typed.json"), null, MESSAGE_ID);
        assertEquals("fraud", e.pipeline());
        assertEquals(Instant.parse("2026-03-08T02:00:00Z"), e.occurredAt());
        assertEquals(Map.of("schedule", "la-fraud-weekly"), e.attributes());
    }

    @Test
    void applicationPropertiesMayNameThePipelineOfAnEmptyMessage() {
        TriggerEvent e = parser.parse("", Map.of("pipeline", "fraud", "type", ScheduleTickParser.TYPE), MESSAGE_ID);
        assertEquals("fraud", e.pipeline());
        assertEquals(MESSAGE_ID, e.id());
        assertEquals("churn", parser.parse("{}", Map.of("Pipeline", "churn"), MESSAGE_ID).pipeline(), "property names in any case");
        assertEquals("fraud", parser.parse(read("schedule-tick.json"), Map.of("pipeline", "fraud"), MESSAGE_ID).pipeline(), "agreeing is fine");
    }

    @Test
    void aTickWithOnlyAScheduleNameIsMatchedBySchedule() {
        TriggerEvent e = parser.parse("{\"schedule\": \"la-fraud-weekly\"}", null, MESSAGE_ID);
        assertNull(e.pipeline());
        assertEquals(Map.of("scheduleSources", "la-fraud-weekly"), e.attributes());
        TriggerEvent byProperty = parser.parse(null, Map.of("schedule", "la-fraud-weekly", "type", ScheduleTickParser.TYPE), MESSAGE_ID);
        assertEquals(Map.of("scheduleSources", "la-fraud-weekly"), byProperty.attributes());
    }

    @Test
    void aCloudEventTickKeepsItsEventId() {
        TriggerEvent e = parser.parse(read("schedule-tick-cloudevent.json"), null, MESSAGE_ID);
        assertEquals("08585224133437181235914186100CU00", e.id());
        assertEquals("fraud", e.pipeline());
        assertEquals(Instant.parse("2026-03-08T02:00:00Z"), e.occurredAt());
    }

    @Test
    void refusalsNameTheProblem() {
        refused(422, "missing field: pipeline", () -> parser.parse("{}", null, MESSAGE_ID));
        refused(422, "missing field: pipeline", () -> parser.parse("{\"pipeline\": \" \"}", null, MESSAGE_ID));
        refused(422, "missing field: data.pipeline", () -> parser.parse(with("schedule-tick-cloudevent.json", "data", Map.of()), null, MESSAGE_ID));
        refused(422, "missing field: messageId", () -> parser.parse(read("schedule-tick.json"), null, null));
        refused(422, "missing field: messageId", () -> parser.parse(read("schedule-tick.json"), null, " "));
        refused(422, "invalid field pipeline: the body says 'fraud' and the application property 'churn'",
                () -> parser.parse(read("schedule-tick.json"), Map.of("pipeline", "churn"), MESSAGE_ID));
        refused(422, "invalid field pipeline: must be a string", () -> parser.parse("{\"pipeline\": [\"fraud\"]}", null, MESSAGE_ID));
        refused(422, "invalid field time", () -> parser.parse(with("schedule-tick-typed.json", "time", "Sunday"), null, MESSAGE_ID));
        refused(422, "unrecognized Azure message: type 'io.retraintrigger.drift.detected' is not a schedule tick",
                () -> parser.parse(with("schedule-tick-typed.json", "type", "io.retraintrigger.drift.detected"), null, MESSAGE_ID));
        refused(422, "unrecognized Azure message: application property type 'other' is not a schedule tick",
                () -> parser.parse(read("schedule-tick.json"), Map.of("type", "other"), MESSAGE_ID));
        refused(422, "a schedule tick's body must be a JSON object", () -> parser.parse("[\"fraud\"]", null, MESSAGE_ID));
        refused(400, "malformed JSON", () -> parser.parse("{\"pipeline\": ", null, MESSAGE_ID));
    }
}
