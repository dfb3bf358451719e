package io.retraintrigger.ingest.aws;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.retraintrigger.ingest.aws.Fixtures.read;
import static io.retraintrigger.ingest.aws.Fixtures.with;
import static io.retraintrigger.ingest.aws.Fixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class S3EventBridgeParserTest {
    private static final String CREATED = "s3-eventbridge-object-created.json";
    private final S3EventBridgeParser parser = new S3EventBridgeParser();

    @Test
    void documentedObjectCreatedIsADataArrival() {
        TriggerEvent e = parser.parse(read(CREATED));
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals("s3://amzn-s3-demo-bucket1/example-key#617f08299329d189", e.id(), "the write, not the EventBridge event");
        assertEquals(Cloud.AWS, e.cloud());
        assertEquals("aws.s3", e.source());
        assertNull(e.pipeline());
        assertEquals("s3://amzn-s3-demo-bucket1/example-key", e.dataUri());
        assertEquals(5, e.sizeBytes());
        assertEquals(Instant.parse("2021-11-12T00:00:00Z"), e.occurredAt());
    }

    @Test
    void keysAreTakenAsSentBecauseEventBridgeDoesNotUrlEncodeThem() {
        TriggerEvent e = parser.parse(read("s3-eventbridge-object-created-special-key.json"));
        assertEquals("s3://mlops-data-prod/labels/2026-03-10/red flower+v2 10:15.parquet", e.dataUri());
        assertEquals(198524144L, e.sizeBytes());
        assertEquals("s3://mlops-data-prod/labels/2026-03-10/red flower+v2 10:15.parquet#617f08299329d189", e.id());
    }

    @Test
    void anObjectReportedByEventBridgeAndByABucketNotificationIsOneEvent() {
        // the classic notification of the same write: the key URL-encoded, the same sequencer
        String classic = """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2021-11-12T00:00:00.000Z",
                 "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","bucket":{"name":"mlops-data-prod","arn":"arn:aws:s3:::mlops-data-prod"},
                 "object":{"key":"labels/2026-03-10/red+flower%2Bv2+10%3A15.parquet","size":198524144,"sequencer":"617f08299329d189"}}}]}
                """;
        TriggerEvent viaBucket = new S3NotificationParser().parse(classic).get(0);
        TriggerEvent viaEventBridge = parser.parse(read("s3-eventbridge-object-created-special-key.json"));
        assertEquals(viaEventBridge.dataUri(), viaBucket.dataUri());
        assertEquals(viaEventBridge.id(), viaBucket.id());
    }

    @Test
    void aPercentSignInAKeyStaysAsItIs() {
        TriggerEvent e = parser.parse(with(CREATED, "detail.object.key", "a%2Fb+c"));
        assertEquals("s3://amzn-s3-demo-bucket1/a%2Fb+c", e.dataUri());
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: detail.object.key", () -> parser.parse(without(CREATED, "detail.object.key")));
        refused(422, "missing field: detail.bucket", () -> parser.parse(without(CREATED, "detail.bucket")));
        refused(422, "missing field: detail.bucket.name", () -> parser.parse(without(CREATED, "detail.bucket.name")));
        refused(422, "missing field: detail.object.size", () -> parser.parse(without(CREATED, "detail.object.size")));
        refused(422, "missing field: id", () -> parser.parse(without(CREATED, "id")));
        refused(422, "missing field: time", () -> parser.parse(without(CREATED, "time")));
        refused(422, "missing field: detail", () -> parser.parse(without(CREATED, "detail")));
    }

    @Test
    void invalidFieldsAreNamed() {
        refused(422, "invalid field detail.object.size", () -> parser.parse(with(CREATED, "detail.object.size", -1)));
        refused(422, "invalid field detail.object.size", () -> parser.parse(with(CREATED, "detail.object.size", "five")));
        refused(422, "invalid field time", () -> parser.parse(with(CREATED, "time", "yesterday")));
    }

    @Test
    void anotherEventIsRefused() {
        refused(422, "unrecognized AWS message", () -> parser.parse(read("s3-eventbridge-object-deleted.json")));
    }

    @Test
    void malformedJsonIsA400() {
        refused(400, "malformed JSON", () -> parser.parse("{\"id\": "));
    }
}
