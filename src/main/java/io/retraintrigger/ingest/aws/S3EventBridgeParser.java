package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.TriggerEvent;

/**
 * Amazon S3's EventBridge event {@code Object Created} (source {@code aws.s3}) as a data arrival.
 * The id is the EventBridge event id; the key is used as sent: unlike the classic S3 event
 * notifications, EventBridge does not URL-encode object keys. Pure: no Camel, no CDI.
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
        return TriggerEvent.dataArrival(e.id(), Cloud.AWS, SOURCE, null, e.time(), "s3://" + name + "/" + key, size);
    }
}
