package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;

import java.time.Instant;

/**
 * The JSON document Amazon SNS delivers to a subscribed SQS queue (without raw message delivery):
 * {@code Type} (Notification, SubscriptionConfirmation, UnsubscribeConfirmation), {@code MessageId}
 * (a UUID per published message; a retried notification keeps it), {@code TopicArn}, {@code Subject},
 * {@code Message} (the published message, here itself JSON), {@code Timestamp}, signature fields.
 */
record SnsEnvelope(String type, String messageId, String topicArn, String message, Instant timestamp, JsonAt root) {
    static final String NOTIFICATION = "Notification";

    /** An SNS envelope: an object with a {@code Type} and a {@code MessageId}. */
    static boolean looksLike(JsonAt n) {
        return n.node().isObject() && n.node().path("Type").isTextual() && n.node().path("MessageId").isTextual();
    }

    static SnsEnvelope of(JsonAt n) {
        String type = n.text("Type");
        String id = n.text("MessageId");
        String message = NOTIFICATION.equals(type) ? n.text("Message") : n.optText("Message");
        return new SnsEnvelope(type, id, n.optText("TopicArn"), message, n.optTime("Timestamp"), n);
    }
}
