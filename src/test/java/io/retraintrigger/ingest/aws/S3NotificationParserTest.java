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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3NotificationParserTest {
    private static final String PUT = "s3-notification-put.json";
    private static final String MULTI = "s3-notification-multiple-records.json";
    private final S3NotificationParser parser = new S3NotificationParser();

    @Test
    void documentedPutIsADataArrival() {
        List<TriggerEvent> events = parser.parse(read(PUT));
        assertEquals(1, events.size());
        TriggerEvent e = events.get(0);
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals(Cloud.AWS, e.cloud());
        assertEquals("aws:s3", e.source());
        assertEquals("s3://mybucket/HappyFace.jpg", e.dataUri());
        assertEquals(1024, e.sizeBytes());
        assertEquals(Instant.EPOCH, e.occurredAt());
        assertEquals("s3://mybucket/HappyFace.jpg#0055AED6DCD90281E5", e.id());
    }

    @Test
    void oneEventPerRecordWithUrlEncodedKeysDecoded() {
        List<TriggerEvent> events = parser.parse(read(MULTI));
        assertEquals(3, events.size());

        TriggerEvent plus = events.get(0);
        assertEquals(EventKind.DATA_ARRIVAL, plus.kind());
        assertEquals("s3://mlops-data-prod/labels/2026-03-10/red flower.jpg", plus.dataUri(), "+ is a space");
        assertEquals(2048, plus.sizeBytes());
        assertEquals(Instant.parse("2026-03-10T08:00:01.120Z"), plus.occurredAt());

        TriggerEvent multipart = events.get(1);
        assertEquals(EventKind.DATA_ARRIVAL, multipart.kind());
        assertEquals("s3://mlops-data-prod/labels/2026-03-10/part+1.parquet", multipart.dataUri(), "%2F is a slash, %2B a plus");
        assertEquals(734003200L, multipart.sizeBytes());

        TriggerEvent removed = events.get(2);
        assertEquals(EventKind.IGNORED, removed.kind());
        assertTrue(removed.attributes().get("reason").contains("ObjectRemoved:Delete"), removed.attributes().toString());
        assertTrue(removed.attributes().get("reason").contains("s3://mlops-data-prod/labels/2026-03-09/stale.csv"));

        assertEquals(3, events.stream().map(TriggerEvent::id).distinct().count(), "every record has its own id");
    }

    @Test
    void theIdIsStableAcrossRedeliveryAndDiffersPerWrite() {
        String first = parser.parse(read(PUT)).get(0).id();
        assertEquals(first, parser.parse(read(PUT)).get(0).id());
        String rewritten = parser.parse(with(PUT, "Records.0.s3.object.sequencer", "0055AED6DCD90281F0")).get(0).id();
        assertNotEquals(first, rewritten);
    }

    @Test
    void withoutASequencerTheRequestIdMakesTheId() {
        TriggerEvent e = parser.parse(without(PUT, "Records.0.s3.object.sequencer")).get(0);
        assertEquals("s3://mybucket/HappyFace.jpg#request:C3D13FE58DE4C810", e.id());
    }

    @Test
    void aVeryLongKeyIsHashedInTheId() {
        String key = "k".repeat(900);
        TriggerEvent e = parser.parse(with(PUT, "Records.0.s3.object.key", key)).get(0);
        assertEquals("s3://mybucket/" + key, e.dataUri());
        assertTrue(e.id().length() < 200, e.id());
        assertTrue(e.id().startsWith("s3://mybucket/sha256:"), e.id());
    }

    @Test
    void theTestEventIsIgnoredNotRefused() {
        List<TriggerEvent> events = parser.parse(read("s3-test-event.json"));
        assertEquals(1, events.size());
        TriggerEvent e = events.get(0);
        assertEquals(EventKind.IGNORED, e.kind());
        assertEquals("s3-test-event:5582815E1AEA5ADF", e.id());
        assertEquals(Instant.parse("2014-10-13T15:57:02.089Z"), e.occurredAt());
        assertTrue(e.attributes().get("reason").contains("bucketname"), e.attributes().toString());
    }

    @Test
    void otherEventNamesAreIgnored() {
        TriggerEvent e = parser.parse(with(PUT, "Records.0.eventName", "ObjectRestore:Completed")).get(0);
        assertEquals(EventKind.IGNORED, e.kind());
    }

    @Test
    void theS3PrefixedEventNameIsAcceptedToo() {
        assertEquals(EventKind.DATA_ARRIVAL, parser.parse(with(PUT, "Records.0.eventName", "s3:ObjectCreated:Copy")).get(0).kind());
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: Records[0].s3.object.key", () -> parser.parse(without(PUT, "Records.0.s3.object.key")));
        refused(422, "missing field: Records[0].s3.bucket.name", () -> parser.parse(without(PUT, "Records.0.s3.bucket.name")));
        refused(422, "missing field: Records[0].s3.object.size", () -> parser.parse(without(PUT, "Records.0.s3.object.size")));
        refused(422, "missing field: Records[0].eventName", () -> parser.parse(without(PUT, "Records.0.eventName")));
        refused(422, "missing field: Records[0].eventTime", () -> parser.parse(without(PUT, "Records.0.eventTime")));
        refused(422, "missing field: Records[1].s3.object.size", () -> parser.parse(without(MULTI, "Records.1.s3.object.size")));
    }

    @Test
    void badRecordsAreRefused() {
        refused(422, "invalid field Records: no records", () -> parser.parse("{\"Records\": []}"));
        refused(422, "invalid field Records[0].s3.object.key", () -> parser.parse(with(PUT, "Records.0.s3.object.key", "bad%zzkey")));
        refused(422, "Records[0].eventSource is 'aws:sqs'", () -> parser.parse(with(PUT, "Records.0.eventSource", "aws:sqs")));
    }
}
