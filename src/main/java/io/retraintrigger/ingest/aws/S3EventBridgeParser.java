package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.TriggerEvent;

/**
 * Amazon S3's EventBridge event {@code Object Created} (source {@code aws.s3}) as a data arrival.
 * The id is the write's, {@code s3://bucket/key#sequencer}, as {@link S3NotificationParser} makes it, so
 * that an object reported by EventBridge and by a bucket notification counts once; the key is used as
 * sent: unlike the classic S3 event notifications, EventBridge does not URL-encode object keys. Pure:
 * no Camel, no CDI.
 */
public final class S3EventBridgeParser {
    public static final String SOURCE = "aws.s3";
    public static final String OBJECT_CREATED = "Object Created";

    /** One EventBridge {@code Object Created} event (an SQS message body). */
    public TriggerEvent parse(String body) {
        return parse(EventBridgeEvent.of(AwsJson.root(JsonAt.read(body, "message"), "")));
    }

    TriggerEvent parse(EventBridgeEvent e) {
        e.expect(SOURCE, OBJECT_CREATED);
        JsonAt bucket = e.detail().obj("bucket");
        JsonAt object = e.detail().obj("object");
        String name = bucket.text("name");
        String key = object.text("key");
        long size = object.wholeNumber("size");
        // by the write itself, as the classic notification names it: an object reported both ways counts once
        String sequencer = object.optText("sequencer");
        String requestId = e.detail().optText("request-id");
        String id = sequencer != null ? S3NotificationParser.objectId(name, key, sequencer)
                : requestId != null ? S3NotificationParser.objectId(name, key, "request:" + requestId) : e.id();
        return TriggerEvent.dataArrival(id, Cloud.AWS, SOURCE, null, e.time(), "s3://" + name + "/" + key, size);
    }
}
