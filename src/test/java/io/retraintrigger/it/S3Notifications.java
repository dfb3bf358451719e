package io.retraintrigger.it;

/** S3 event notifications (the classic format of S3 to SQS, as in fixtures/aws/s3-notification-put.json). */
final class S3Notifications {
    private S3Notifications() {
    }

    static String put(String bucket, String key, long size, String sequencer) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2025-03-10T12:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
                + "\"responseElements\":{\"x-amz-request-id\":\"" + sequencer + "\"},"
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"" + bucket + "\",\"arn\":\"arn:aws:s3:::" + bucket + "\"},"
                + "\"object\":{\"key\":\"" + key + "\",\"size\":" + size + ",\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\","
                + "\"sequencer\":\"" + sequencer + "\"}}}]}";
    }
}
