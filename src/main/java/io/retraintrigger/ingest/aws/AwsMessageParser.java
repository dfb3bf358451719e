package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.TriggerEvent;

import java.util.List;
import java.util.Set;

/**
 * Everything that arrives on retrain-trigger's AWS queue, one SQS message body at a time: detects the
 * wire format and hands it to its parser.
 * <ul>
 *   <li>EventBridge events: S3 {@code Object Created} ({@link S3EventBridgeParser}), {@code CloudWatch
 *   Alarm State Change} ({@link CloudWatchAlarmParser}), {@code Scheduled Event}
 *   ({@link ScheduledEventParser}), {@code SageMaker Model Building Pipeline Execution Status Change}
 *   ({@link SageMakerPipelineStatusParser}); other events of those four sources are ignored;</li>
 *   <li>classic S3 event notifications and the S3 test event ({@link S3NotificationParser});</li>
 *   <li>an SNS envelope: its {@code Message} is parsed as any of the above, or as the CloudWatch alarm
 *   message CloudWatch publishes to SNS. Ids come from the inner message where it has a stable one (the
 *   EventBridge event id, the S3 record's key and sequencer), else the SNS MessageId. Subscription and
 *   unsubscribe confirmations are ignored (their reason says what to do).</li>
 * </ul>
 * Malformed JSON is refused with 400; JSON of no known shape with 422, naming what was seen; a known
 * message missing a field it needs with 422, naming the field. Pure: no Camel, no CDI.
 */
public final class AwsMessageParser {
    /** EventBridge sources whose other detail types are acknowledged as ignored rather than refused. */
    static final Set<String> KNOWN_SOURCES = Set.of(S3EventBridgeParser.SOURCE, CloudWatchAlarmParser.SOURCE,
            ScheduledEventParser.SOURCE, SageMakerPipelineStatusParser.SOURCE);

    private final S3EventBridgeParser s3EventBridge = new S3EventBridgeParser();
    private final S3NotificationParser s3Notifications = new S3NotificationParser();
    private final CloudWatchAlarmParser alarms = new CloudWatchAlarmParser();
    private final ScheduledEventParser schedules = new ScheduledEventParser();
    private final SageMakerPipelineStatusParser pipelineStatus = new SageMakerPipelineStatusParser();

    /** One SQS message body: the events it stands for (classic S3 notifications may hold several records). */
    public List<TriggerEvent> parse(String body) {
        return parse(AwsJson.root(JsonAt.read(body, "message"), ""), null);
    }

    private List<TriggerEvent> parse(JsonAt n, SnsEnvelope outer) {
        if (!n.node().isObject()) {
            throw new BadInputException(422, "unrecognized AWS message: " + where(n) + "is a JSON " + n.node().getNodeType().name().toLowerCase()
                    + ", expected an object (EventBridge event, SNS notification, S3 event notification)");
        }
        if (SnsEnvelope.looksLike(n)) {
            if (outer != null) {
                throw new BadInputException(422, "unrecognized AWS message: an SNS envelope inside SNS notification " + outer.messageId());
            }
            return sns(SnsEnvelope.of(n));
        }
        if (EventBridgeEvent.looksLike(n)) return List.of(eventBridge(EventBridgeEvent.of(n)));
        if (S3NotificationParser.looksLike(n)) return s3Notifications.parse(n, outer == null ? null : outer.messageId());
        if (CloudWatchAlarmParser.looksLikeSnsAlarm(n)) {
            return List.of(alarms.fromSns(n, outer == null ? null : outer.messageId(), outer == null ? null : outer.timestamp()));
        }
        List<String> fields = n.fieldNames();
        throw new BadInputException(422, "unrecognized AWS message: " + where(n) + "is a JSON object with fields "
                + (fields.size() > 12 ? fields.subList(0, 12) + " (and " + (fields.size() - 12) + " more)" : fields)
                + "; expected an EventBridge event (source, detail-type), an SNS notification (Type, MessageId),"
                + " S3 event notification Records, an s3:TestEvent or a CloudWatch alarm message (AlarmName, NewStateValue)");
    }

    private TriggerEvent eventBridge(EventBridgeEvent e) {
        String key = e.source() + "|" + e.detailType();
        if (key.equals(S3EventBridgeParser.SOURCE + "|" + S3EventBridgeParser.OBJECT_CREATED)) return s3EventBridge.parse(e);
        if (key.equals(CloudWatchAlarmParser.SOURCE + "|" + CloudWatchAlarmParser.STATE_CHANGE)) return alarms.fromEventBridge(e);
        if (key.equals(ScheduledEventParser.SOURCE + "|" + ScheduledEventParser.SCHEDULED_EVENT)) return schedules.parse(e);
        if (key.equals(SageMakerPipelineStatusParser.SOURCE + "|" + SageMakerPipelineStatusParser.PIPELINE_EXECUTION_STATUS_CHANGE)) {
            return pipelineStatus.parse(e);
        }
        if (KNOWN_SOURCES.contains(e.source())) {
            return TriggerEvent.ignored(e.id(), Cloud.AWS, e.source(), e.time(),
                    "EventBridge event '" + e.detailType() + "' from " + e.source() + " asks for no training");
        }
        throw new BadInputException(422, "unrecognized AWS message: " + where(e.root()) + "is an EventBridge event with source '" + e.source()
                + "', detail-type '" + e.detailType() + "'; known: S3 Object Created, CloudWatch Alarm State Change, Scheduled Event,"
                + " SageMaker Model Building Pipeline Execution Status Change");
    }

    private List<TriggerEvent> sns(SnsEnvelope env) {
        String topic = env.topicArn() == null ? "" : " from " + env.topicArn();
        switch (env.type()) {
            case SnsEnvelope.NOTIFICATION -> {
                String message = env.message().strip();
                if (!message.startsWith("{")) {
                    throw new BadInputException(422, "unrecognized AWS message: SNS notification " + env.messageId() + topic
                            + " carries a Message that is not JSON: '" + abbreviate(message) + "'");
                }
                JsonAt inner = AwsJson.root(JsonAt.read(message, "SNS notification " + env.messageId() + " Message"), env.root().where("Message"));
                return parse(inner, env);
            }
            case "SubscriptionConfirmation" -> {
                return List.of(TriggerEvent.ignored(env.messageId(), Cloud.AWS, "aws:sns", env.timestamp(),
                        "SNS subscription confirmation" + topic + ": confirm it (visit its SubscribeURL or call ConfirmSubscription with its Token)"
                                + " for the topic's notifications to arrive"));
            }
            case "UnsubscribeConfirmation" -> {
                return List.of(TriggerEvent.ignored(env.messageId(), Cloud.AWS, "aws:sns", env.timestamp(),
                        "SNS unsubscribe confirmation" + topic + ": this queue no longer receives the topic's notifications"));
            }
            default -> throw JsonAt.invalid(env.root().where("Type"), "'" + env.type() + "' is not an SNS message type (Notification,"
                    + " SubscriptionConfirmation, UnsubscribeConfirmation)");
        }
    }

    private static String where(JsonAt n) {
        return n.path().isEmpty() ? "the message " : n.path() + " ";
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
