package io.retraintrigger.ingest.aws;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.testing.JsonFixtures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.retraintrigger.ingest.aws.Fixtures.read;
import static io.retraintrigger.ingest.aws.Fixtures.snsWith;
import static io.retraintrigger.ingest.aws.Fixtures.with;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsMessageParserTest {
    private final AwsMessageParser parser = new AwsMessageParser();

    private TriggerEvent one(String fixture) {
        List<TriggerEvent> events = parser.parse(read(fixture));
        assertEquals(1, events.size(), () -> fixture + " gave " + events);
        return events.get(0);
    }

    @Test
    void detectsEachDirectFormat() {
        assertEquals(EventKind.DATA_ARRIVAL, one("s3-eventbridge-object-created.json").kind());
        assertEquals(EventKind.DATA_ARRIVAL, one("s3-notification-put.json").kind());
        assertEquals(EventKind.IGNORED, one("s3-test-event.json").kind());
        assertEquals(EventKind.DRIFT_ALERT, one("cloudwatch-alarm-eventbridge-single-metric.json").kind());
        assertEquals(EventKind.ALERT_RESOLVED, one("cloudwatch-alarm-eventbridge-ok.json").kind());
        assertEquals(EventKind.SCHEDULE_TICK, one("eventbridge-scheduled-event.json").kind());
        assertEquals(EventKind.LAUNCH_STATUS, one("sagemaker-pipeline-execution-succeeded.json").kind());
        assertEquals(3, parser.parse(read("s3-notification-multiple-records.json")).size());
    }

    @Test
    void everyEventIsFromAws() {
        for (String f : List.of("s3-eventbridge-object-created.json", "s3-notification-put.json", "sns-cloudwatch-alarm-drift.json",
                "eventbridge-scheduled-event.json", "sagemaker-pipeline-execution-succeeded.json", "sns-s3-test-event.json")) {
            assertEquals(Cloud.AWS, one(f).cloud(), f);
        }
    }

    @Test
    void snsWrappedS3NotificationKeepsThePerRecordId() {
        TriggerEvent e = one("sns-s3-notification.json");
        assertEquals(EventKind.DATA_ARRIVAL, e.kind());
        assertEquals("s3://mybucket/HappyFace.jpg", e.dataUri());
        assertEquals(1024, e.sizeBytes());
        assertEquals(one("s3-notification-put.json").id(), e.id(), "the same record directly or through SNS is one event");
    }

    @Test
    void snsWrappedTestEventIsIgnored() {
        TriggerEvent e = one("sns-s3-test-event.json");
        assertEquals(EventKind.IGNORED, e.kind());
        assertEquals("s3-test-event:5582815E1AEA5ADF", e.id());
    }

    @Test
    void snsCloudWatchAlarmIsIdentifiedByItsAlarmAndChangeTimeNotItsMessageId() {
        TriggerEvent e = one("sns-cloudwatch-alarm-drift.json");
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("cloudwatch-alarm:churn-tenure-drift@2026-11-27T10:05:31.572Z", e.id());
        assertEquals(List.of(new FeatureScore("tenure", 0.42)), e.features());
        assertEquals("sagemaker-endpoint:churn-endpoint", e.attributes().get("monitorAliases"));

        TriggerEvent ok = one("sns-cloudwatch-alarm-ok.json");
        assertEquals(EventKind.ALERT_RESOLVED, ok.kind());
        assertTrue(ok.id().startsWith("cloudwatch-alarm:churn-tenure-drift@"), ok.id());
        assertTrue(!ok.id().equals(e.id()), "the OK is another change");

        TriggerEvent sample = one("sns-cloudwatch-alarm-sample.json");
        assertEquals("cloudwatch-alarm:EXAMPLE@2015-06-03T17:43:27.123Z", sample.id());
    }

    @Test
    void snsWrappedEventBridgeEventIsIdentifiedByItsStateChange() {
        TriggerEvent e = one("sns-eventbridge-drift-alarm.json");
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("cloudwatch-alarm:fraud-amount-drift@2026-03-10T11:05:12.402Z", e.id());
        assertEquals(List.of(new FeatureScore("amount", 0.42)), e.features());
    }

    @Test
    void rawDeliveredAlarmMessageIsParsedToo() {
        String raw = JsonFixtures.tree(read("sns-cloudwatch-alarm-drift.json")).get("Message").asText();
        List<TriggerEvent> events = parser.parse(raw);
        assertEquals(EventKind.DRIFT_ALERT, events.get(0).kind());
        assertEquals(one("sns-cloudwatch-alarm-drift.json").id(), events.get(0).id(), "raw delivery and SNS envelope: one change");
    }

    @Test
    void subscriptionConfirmationIsIgnoredWithWhatToDo() {
        TriggerEvent e = one("sns-subscription-confirmation.json");
        assertEquals(EventKind.IGNORED, e.kind());
        assertEquals("165545c9-2a5c-472c-8df2-7ff2be2b3b1b", e.id());
        assertTrue(e.attributes().get("reason").contains("SubscribeURL"), e.attributes().toString());
        assertEquals(Instant.parse("2012-04-26T20:45:04.751Z"), e.occurredAt());
    }

    @Test
    void otherEventsOfKnownSourcesAreIgnored() {
        TriggerEvent deleted = one("s3-eventbridge-object-deleted.json");
        assertEquals(EventKind.IGNORED, deleted.kind());
        assertEquals("2ee9cc15-d022-99ea-1fb8-1b1bac4850f9", deleted.id());
        List<TriggerEvent> stepChange = parser.parse(with("sagemaker-pipeline-execution-succeeded.json", "detail-type",
                "SageMaker Model Building Pipeline Execution Step Status Change"));
        assertEquals(EventKind.IGNORED, stepChange.get(0).kind());
    }

    @Test
    void unknownShapesAre422NamingWhatWasSeen() {
        refused(422, "unrecognized AWS message: the message is an EventBridge event with source 'aws.ec2', detail-type 'EC2 Instance State-change Notification'",
                () -> parser.parse(with(JsonFixtures.tree(with("eventbridge-scheduled-event.json", "source", "aws.ec2")), "detail-type",
                        "EC2 Instance State-change Notification")));
        refused(422, "fields [hello, count]", () -> parser.parse("{\"hello\":\"world\",\"count\":3}"));
        refused(422, "is a JSON array", () -> parser.parse("[1,2]"));
        refused(422, "is a JSON string", () -> parser.parse("\"text\""));
        refused(422, "Message that is not JSON: 'Hello world!'", () -> parser.parse(read("sns-not-json.json")));
        refused(422, "Message is a JSON object with fields [foo]", () -> parser.parse(snsWith("sns-s3-notification.json", "{\"foo\":1}")));
        refused(422, "invalid field Type", () -> parser.parse(with("sns-s3-notification.json", "Type", "Telegram")));
    }

    @Test
    void malformedJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse("{\"Records\": [}"));
        refused(400, "malformed JSON", () -> parser.parse(""));
        refused(400, "malformed JSON", () -> parser.parse(snsWith("sns-s3-notification.json", "{\"Records\": [")));
    }

    @Test
    void missingFieldsInsideSnsAreNamedWithTheirPath() {
        String noKey = snsWith("sns-s3-notification.json", Fixtures.without("s3-notification-put.json", "Records.0.s3.object.key"));
        refused(422, "missing field: Message.Records[0].s3.object.key", () -> parser.parse(noKey));
        String noAlarmName = snsWith("sns-cloudwatch-alarm-drift.json", "{\"NewStateValue\":\"ALARM\",\"AlarmName\":null}");
        refused(422, "missing field: Message.AlarmName", () -> parser.parse(noAlarmName));
        String noMessage = Fixtures.without("sns-s3-notification.json", "Message");
        refused(422, "missing field: Message", () -> parser.parse(noMessage));
    }

    @Test
    void snsInsideSnsIsRefused() {
        String inner = read("sns-s3-notification.json");
        refused(422, "SNS envelope inside SNS notification", () -> parser.parse(snsWith("sns-s3-notification.json", inner)));
    }
}
