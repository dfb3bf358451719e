package io.retraintrigger.ingest.gcp;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.testing.JsonFixtures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.retraintrigger.ingest.gcp.GcpFixtures.message;
import static io.retraintrigger.ingest.gcp.GcpFixtures.with;
import static io.retraintrigger.ingest.gcp.GcpFixtures.withData;
import static io.retraintrigger.ingest.gcp.GcpFixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageNotificationParserTest {
    private static final String FINALIZE = "gcs-object-finalize-json-api-v1.json";
    private static final String FINALIZE_NONE = "gcs-object-finalize-none.json";
    private final StorageNotificationParser parser = new StorageNotificationParser();

    @Test
    void finalizeWithJsonApiV1PayloadIsADataArrivalSizedByTheResource() {
        TriggerEvent e = parser.parse(message(FINALIZE));
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals(Cloud.GCP, e.cloud());
        assertEquals("storage.googleapis.com", e.source());
        assertNull(e.pipeline());
        assertEquals("gs://mlops-data-prod/labels/2026-03-10/part-0001.parquet", e.dataUri());
        assertEquals(734003200L, e.sizeBytes(), "size is a string in the object resource");
        assertEquals(Instant.parse("2026-03-10T08:00:01.395668Z"), e.occurredAt(), "eventTime, not the publish time");
        assertEquals("gs://mlops-data-prod/labels/2026-03-10/part-0001.parquet#1773129601395814", e.id());
    }

    @Test
    void anOverwriteIsNewDataIdentifiedByItsNewGeneration() {
        TriggerEvent e = parser.parse(message("gcs-object-finalize-overwrite.json"));
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals("gs://another-data-platform-raw-1/test_full_1.csv", e.dataUri());
        assertEquals(5, e.sizeBytes());
        assertEquals("gs://another-data-platform-raw-1/test_full_1.csv#1607428286395814", e.id());
    }

    @Test
    void payloadFormatNoneIsADataArrivalOfUnknownSizeZero() {
        TriggerEvent e = parser.parse(message(FINALIZE_NONE));
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals("gs://mlops-data-prod/labels/2026-03-10/part-0002.parquet", e.dataUri());
        assertEquals(0, e.sizeBytes(), "NONE carries no object resource, so no size");
        assertEquals("gs://mlops-data-prod/labels/2026-03-10/part-0002.parquet#1773129899812345", e.id());
        assertEquals(Instant.parse("2026-03-10T08:04:59.812345Z"), e.occurredAt());
    }

    @Test
    void theIdIsTheObjectGenerationNotTheMessage() {
        TriggerEvent first = parser.parse(message(FINALIZE));
        PubSubMessage republished = with(FINALIZE, "messageId", "1670753549419999");
        assertEquals(first.id(), parser.parse(republished).id(), "Cloud Storage publishing the same write again is one event");
        assertNotEquals(first.id(), parser.parse(with(FINALIZE, "attributes.objectGeneration", "1773129700000001")).id(),
                "a second upload of the same name is another event");
    }

    @Test
    void otherEventTypesAreIgnoredWithIdsThatCannotTakeTheFinalizesPlace() {
        TriggerEvent deleted = parser.parse(message("gcs-object-delete-json-api-v1.json"));
        assertEquals(EventKind.IGNORED, deleted.kind());
        assertEquals("gs://mlops-data-prod/labels/2026-03-10/part-0001.parquet#1773129601395814/OBJECT_DELETE@2026-03-11T09:00:00.123456Z", deleted.id());
        assertTrue(deleted.attributes().get("reason").contains("OBJECT_DELETE"), deleted.attributes().toString());
        assertNotEquals(parser.parse(message(FINALIZE)).id(), deleted.id());

        TriggerEvent archived = parser.parse(message("gcs-object-archive-none.json"));
        assertEquals(EventKind.IGNORED, archived.kind());
        assertTrue(archived.id().contains("/OBJECT_ARCHIVE@"), archived.id());

        TriggerEvent metadata = parser.parse(with(FINALIZE, "attributes.eventType", "OBJECT_METADATA_UPDATE"));
        assertEquals(EventKind.IGNORED, metadata.kind());
        assertEquals(Instant.parse("2026-03-10T08:00:01.395668Z"), metadata.occurredAt());
    }

    @Test
    void withoutPayloadFormatTheDataDecides() {
        assertEquals(734003200L, parser.parse(without(FINALIZE, "attributes.payloadFormat")).sizeBytes());
        assertEquals(0, parser.parse(without(FINALIZE_NONE, "attributes.payloadFormat")).sizeBytes());
    }

    @Test
    void withoutEventTimeThePublishTimeIsTheTime() {
        assertEquals(Instant.parse("2026-03-10T08:05:00.120Z"), parser.parse(without(FINALIZE_NONE, "attributes.eventTime")).occurredAt());
    }

    @Test
    void withoutTheGenerationAttributeTheResourcesGenerationServes() {
        assertEquals("gs://mlops-data-prod/labels/2026-03-10/part-0001.parquet#1773129601395814",
                parser.parse(without(FINALIZE, "attributes.objectGeneration")).id());
    }

    @Test
    void aVeryLongObjectNameIsHashedInTheId() {
        String longName = "labels/" + "x".repeat(1000) + ".parquet";
        PubSubMessage m = message(JsonFixtures.set(GcpFixtures.tree(FINALIZE_NONE), "attributes.objectId", longName));
        TriggerEvent e = parser.parse(m);
        assertEquals("gs://mlops-data-prod/" + longName, e.dataUri());
        assertTrue(e.id().matches("gs://mlops-data-prod/sha256:[0-9a-f]{64}#1773129899812345"), e.id());
        assertTrue(e.id().length() <= StorageNotificationParser.MAX_ID);
    }

    @Test
    void missingAndInvalidFieldsAreNamed() {
        refused(422, "missing field: attributes.bucketId", () -> parser.parse(without(FINALIZE, "attributes.bucketId")));
        refused(422, "missing field: attributes.objectId", () -> parser.parse(without(FINALIZE_NONE, "attributes.objectId")));
        refused(422, "missing field: attributes.eventType", () -> parser.parse(without(FINALIZE, "attributes.eventType")));
        refused(422, "missing field: attributes.objectGeneration", () -> parser.parse(without(FINALIZE_NONE, "attributes.objectGeneration")));
        refused(422, "missing field: data.size", () -> parser.parse(without(FINALIZE, "data.size")));
        refused(422, "invalid field data.size", () -> parser.parse(with(FINALIZE, "data.size", "big")));
        refused(422, "invalid field data.size", () -> parser.parse(with(FINALIZE, "data.size", "-3")));
        refused(422, "missing field: data (payloadFormat JSON_API_V1", () -> parser.parse(withData(FINALIZE, "")));
        refused(422, "invalid field attributes.payloadFormat: 'XML'", () -> parser.parse(with(FINALIZE, "attributes.payloadFormat", "XML")));
        refused(422, "invalid field attributes.eventType: 'OBJECT_EXPLODE'", () -> parser.parse(with(FINALIZE, "attributes.eventType", "OBJECT_EXPLODE")));
        refused(422, "invalid field attributes.objectGeneration", () -> parser.parse(with(FINALIZE, "attributes.objectGeneration", "latest")));
        refused(422, "invalid field attributes.eventTime", () -> parser.parse(with(FINALIZE, "attributes.eventTime", "yesterday")));
        refused(422, "invalid field data.name", () -> parser.parse(with(FINALIZE, "data.name", "another/object")));
        refused(422, "invalid field data.bucket", () -> parser.parse(with(FINALIZE, "data.bucket", "another-bucket")));
        refused(422, "invalid field data: must be the object's resource", () -> parser.parse(withData(FINALIZE, "[1,2]")));
    }

    @Test
    void malformedResourceJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse(withData(FINALIZE, "{\"name\": ")));
    }

    @Test
    void looksLikeNeedsTheStorageAttributes() {
        assertTrue(StorageNotificationParser.looksLike(message(FINALIZE).attributes()));
        assertTrue(!StorageNotificationParser.looksLike(Map.of("pipeline", "fraud")));
        assertTrue(!StorageNotificationParser.looksLike(Map.of("eventType", "something")));
    }
}
