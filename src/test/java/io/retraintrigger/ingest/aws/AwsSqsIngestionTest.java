package io.retraintrigger.ingest.aws;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.retraintrigger.api.TestApi;
import io.retraintrigger.testing.ElasticMqResource;
import io.retraintrigger.testing.QuietLogs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.retraintrigger.api.TestApi.admin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages on the SQS queue, as EventBridge and SNS deliver them, through to decisions. */
@QuarkusTest
@TestProfile(AwsProfile.class)
class AwsSqsIngestionTest {

    private static void send(String body) {
        try (SqsClient sqs = ElasticMqResource.client()) {
            sqs.sendMessage(b -> b.queueUrl(ElasticMqResource.queueUrl()).messageBody(body));
        }
    }

    /** Messages visible plus in flight: 0 once every message is deleted. */
    private static int messagesInQueue() {
        try (SqsClient sqs = ElasticMqResource.client()) {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(ElasticMqResource.queueUrl())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }
    }

    static String s3ObjectCreated(String key, long size) {
        return """
                {"version":"0","id":"%s","detail-type":"Object Created","source":"aws.s3","account":"123456789012",
                 "time":"2026-11-27T10:00:00Z","region":"us-east-1","resources":["arn:aws:s3:::aws-it-bucket"],
                 "detail":{"version":"0","bucket":{"name":"aws-it-bucket"},"object":{"key":"%s","size":%d,"etag":"b1946ac92492d2347c6235b4d2611184","sequencer":"617f08299329d189"},
                 "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","source-ip-address":"1.2.3.4","reason":"PutObject"}}
                """.formatted(UUID.randomUUID(), key, size);
    }

    static String scheduledEvent(String rule) {
        return """
                {"version":"0","id":"%s","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012",
                 "time":"2026-11-27T02:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/%s"],"detail":{}}
                """.formatted(UUID.randomUUID(), rule);
    }

    static String snsAlarm(String alarm, String state, double value) {
        return snsAlarm(alarm, state, "Threshold Crossed: 1 out of the last 1 datapoints [" + value
                + " (27/11/26 10:00:00)] was greater than the threshold (0.1) (minimum 1 datapoint for OK -> ALARM transition).");
    }

    /** CloudWatch's state-change time format; each alarm sent here changes at its own time (its identity). */
    private static final DateTimeFormatter CHANGE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    static String snsAlarm(String alarm, String state, String reason) {
        return snsAlarm(alarm, state, reason, Instant.now());
    }

    static String snsAlarm(String alarm, String state, String reason, Instant changed) {
        return snsAlarm(alarm, state, reason, changed, "feature_baseline_drift_amount");
    }

    static String snsAlarm(String alarm, String state, String reason, Instant changed, String metric) {
        String message = ("{\"AlarmName\":\"%s\",\"AlarmDescription\":\"drift\",\"AWSAccountId\":\"123456789012\",\"NewStateValue\":\"%s\","
                + "\"NewStateReason\":\"%s\","
                + "\"StateChangeTime\":\"" + CHANGE_TIME.format(changed) + "\",\"Region\":\"US East (N. Virginia)\",\"AlarmArn\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:%s\","
                + "\"OldStateValue\":\"OK\",\"Trigger\":{\"MetricName\":\"" + metric + "\",\"Namespace\":\"aws/sagemaker/Endpoints/data-metrics\","
                + "\"StatisticType\":\"Statistic\",\"Statistic\":\"MAXIMUM\",\"Unit\":null,\"Dimensions\":[{\"value\":\"fraud-endpoint\",\"name\":\"Endpoint\"},"
                + "{\"value\":\"fraud-schedule\",\"name\":\"MonitoringSchedule\"}],\"Period\":3600,\"EvaluationPeriods\":1,"
                + "\"ComparisonOperator\":\"GreaterThanThreshold\",\"Threshold\":0.1}}").formatted(alarm, state, reason, alarm);
        return """
                {"Type":"Notification","MessageId":"%s","TopicArn":"arn:aws:sns:us-east-1:123456789012:retrain-alarms",
                 "Subject":"%s: \\"%s\\" in US East (N. Virginia)","Message":%s,"Timestamp":"2026-11-27T10:05:00.123Z",
                 "SignatureVersion":"1","Signature":"abc","SigningCertURL":"https://sns.us-east-1.amazonaws.com/x.pem","UnsubscribeURL":"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"}
                """.formatted(UUID.randomUUID(), state, alarm, quote(message));
    }

    static String pipelineStatus(String executionArn, String status) {
        return """
                {"version":"0","id":"%s","detail-type":"SageMaker Model Building Pipeline Execution Status Change","source":"aws.sagemaker",
                 "account":"123456789012","time":"2026-11-27T11:00:00Z","region":"us-east-1",
                 "resources":["arn:aws:sagemaker:us-east-1:123456789012:pipeline/training-pipeline","%s"],
                 "detail":{"pipelineExecutionDisplayName":"x","currentPipelineExecutionStatus":"%s","previousPipelineExecutionStatus":"Executing",
                 "executionStartTime":"2026-11-27T10:00:00Z","executionEndTime":"2026-11-27T11:00:00Z","pipelineArn":"arn:aws:sagemaker:us-east-1:123456789012:pipeline/training-pipeline",
                 "pipelineExecutionArn":"%s"}}
                """.formatted(UUID.randomUUID(), executionArn, status, executionArn);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<Map<String, Object>> decisions(String pipeline) {
        return TestApi.decisions(pipeline);
    }

    @Test
    @SuppressWarnings("unchecked")
    void objectCreatedEventsAreBatchedIntoOneRequest() {
        send(s3ObjectCreated("landing/2026/11/27/a.parquet", 1000));
        send(s3ObjectCreated("landing/2026/11/27/b.parquet", 2000));
        Map<String, Object> decision = await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-data").stream()
                .filter(x -> String.valueOf(x.get("request")).contains("landing/2026/11/27/a.parquet")).findFirst(), Optional::isPresent).orElseThrow();
        Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) decision.get("request")).get("metadata");
        assertEquals(2, metadata.get("eventCount"));
        assertTrue(((List<String>) metadata.get("dataUris")).containsAll(List.of(
                "s3://aws-it-bucket/landing/2026/11/27/a.parquet", "s3://aws-it-bucket/landing/2026/11/27/b.parquet")));
        assertEquals(3000, ((Number) metadata.get("totalBytes")).intValue());
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesInQueue() == 0);
        // events from a cloud are counted like those over REST, with their cloud
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("retrain_events_total{") && l.contains("cloud=\"AWS\"")
                && l.contains("kind=\"DATA_ARRIVAL\"") && l.contains("pipeline=\"aws-data\"")), "no retrain_events_total for AWS data");
    }

    @Test
    void aPoisonMessageIsDeadLetteredAndDoesNotBlockTheNext() {
        String poison = "{\"this is\": not json";
        send(poison);
        send(scheduledEvent("weekly-retrain"));
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-sched").stream().anyMatch(x -> "SCHEDULED".equals(x.get("triggerType"))));
        List<Map<String, Object>> letters = admin().get("/api/dead-letters?limit=1000").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> letter = letters.stream().filter(l -> poison.equals(l.get("payload"))).findFirst().orElseThrow();
        assertEquals("aws-sqs", letter.get("source"));
        assertEquals(400, letter.get("status"));
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesInQueue() == 0);
    }

    @Test
    void aMessageThatFailsIsRedeliveredUntilItSucceedsAndTheOthersOfItsReceiveAreDeleted() throws InterruptedException {
        int before = decisions("aws-sched").size();
        String key = "landing/2026/11/27/beside-" + UUID.randomUUID() + ".parquet";
        // the failures while the coordinator is stopped are this test's: not on the console
        try (var quiet = QuietLogs.off(QuietLogs.CAMEL_ERROR_HANDLER, QuietLogs.CAMEL_QUARTZ_JOB)) {
            admin().post("/api/routes/coordinator/stop").then().statusCode(200);
            try {
                // one SendMessageBatch: the two come in one receive
                try (SqsClient sqs = ElasticMqResource.client()) {
                    sqs.sendMessageBatch(b -> b.queueUrl(ElasticMqResource.queueUrl()).entries(
                            e -> e.id("schedule").messageBody(scheduledEvent("weekly-retrain")),
                            e -> e.id("data").messageBody(s3ObjectCreated(key, 10))));
                }
                // the schedule: received, failed (no coordinator), not deleted: it stays across visibility timeouts;
                // the data event beside it: recorded and deleted
                Thread.sleep((ElasticMqResource.VISIBILITY_TIMEOUT_SECONDS * 2 + 1) * 1000L);
                assertEquals(before, decisions("aws-sched").size());
                assertEquals(1, messagesInQueue());
            } finally {
                admin().post("/api/routes/coordinator/start").then().statusCode(200);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-sched").size() == before + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesInQueue() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-data").stream()
                .anyMatch(d -> String.valueOf(d.get("request")).contains(key)));
    }

    @Test
    void anAlarmRefusedBesideDataInOneReceiveIsDeadLetteredAndBothAreDeleted() {
        String key = "landing/2026/11/27/beside-refused-" + UUID.randomUUID() + ".parquet";
        // no datapoint in the reason: the alert carries no feature score, and triage refuses it
        String alarm = snsAlarm("fraud-drift-alarm", "ALARM",
                "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].");
        try (SqsClient sqs = ElasticMqResource.client()) {
            sqs.sendMessageBatch(b -> b.queueUrl(ElasticMqResource.queueUrl()).entries(
                    e -> e.id("alarm").messageBody(alarm),
                    e -> e.id("data").messageBody(s3ObjectCreated(key, 10))));
        }
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(20)).until(() -> admin().get("/api/dead-letters?limit=1000")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(l -> alarm.equals(l.get("payload"))).findFirst(), Optional::isPresent).orElseThrow();
        assertEquals(422, letter.get("status"));
        assertTrue(String.valueOf(letter.get("reason")).contains("carries no feature score"), String.valueOf(letter.get("reason")));
        assertTrue(String.valueOf(letter.get("headers")).contains("SqsMessageId"), String.valueOf(letter.get("headers")));
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesInQueue() == 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-data").stream()
                .anyMatch(d -> String.valueOf(d.get("request")).contains(key)));
    }

    /** An alarm on a count (1 = the check failed) takes the severity its pipeline configures for that monitor, not "score 1.0: critical". */
    @Test
    void anAlarmOnACountIsGradedByItsMonitorsConfiguredSeverity() {
        send(snsAlarm("model-monitor-check-fail", "ALARM", "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (27/11/26 10:00:00)]"
                + " was greater than or equal to the threshold (1.0).", Instant.now(), "feature_baseline_drift_check_fail"));
        Map<String, Object> d = await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-count").stream().findFirst(), Optional::isPresent)
                .orElseThrow();
        assertEquals("LAUNCHED", d.get("outcome"), String.valueOf(d));
        assertEquals(2, d.get("priority"), "high drift: priority 2");
        String reasons = String.valueOf(((Map<?, ?>) d.get("request")).get("reason"));
        assertTrue(reasons.contains("drift_high: max score 1.0 on [check_fail]"), reasons);
        assertTrue(reasons.contains("graded high by retrain.pipelines.aws-count.drift.monitors.model-monitor-check-fail.severity"), reasons);
        assertTrue(reasons.contains("not a drift distance"), reasons);
    }

    /** Model Monitor's statistics (completeness here) are no drift distance: without a configured grade, the alarm is refused, saying how to grade it. */
    @Test
    void anAlarmOnAModelMonitorStatisticIsNotGradedAsADistance() {
        String alarm = snsAlarm("fraud-completeness", "ALARM", "Threshold Crossed: 1 out of the last 1 datapoints [0.8 (27/11/26 10:00:00)]"
                + " was less than the threshold (0.95).", Instant.now(), "feature_non_null_amount");
        send(alarm);
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(20)).until(() -> admin().get("/api/dead-letters?limit=1000")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(l -> alarm.equals(l.get("payload"))).findFirst(), Optional::isPresent).orElseThrow();
        assertEquals(422, letter.get("status"));
        String reason = String.valueOf(letter.get("reason"));
        assertTrue(reason.contains("metric feature_non_null_amount = 0.8 is a Model Monitor statistic, not a drift distance"), reason);
        assertTrue(reason.contains("set retrain.pipelines.aws-stat.drift.monitors.fraud-completeness.severity"), reason);
        assertEquals(List.of(), decisions("aws-stat"));
    }

    @Test
    void oneAlarmChangeThroughSnsAndThroughEventBridgeIsDecidedOnce() {
        Instant changed = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        long before = decisions("aws-drift").size();
        String viaEventBridge = Fixtures.read("cloudwatch-alarm-eventbridge-drift.json")
                .replace("fraud-amount-drift", "fraud-drift-alarm")
                .replace("2026-03-10T11:05:12.402+0000", CHANGE_TIME.format(changed))
                .replaceFirst("\"id\"\\s*:\\s*\"[^\"]*\"", "\"id\": \"" + UUID.randomUUID() + "\"");
        String viaSns = snsAlarm("fraud-drift-alarm", "ALARM", "Threshold Crossed: 1 out of the last 1 datapoints [0.42 (27/11/26 10:00:00)]"
                + " was greater than the threshold (0.1) (minimum 1 datapoint for OK -> ALARM transition).", changed);
        send(viaEventBridge);
        send(viaSns);
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-drift").size() > before);
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesInQueue() == 0);
        assertEquals(before + 1, decisions("aws-drift").size(), "the same change, delivered twice, decided twice");
    }

    @Test
    void theS3TestEventIsAcknowledgedWithoutDeadLetter() {
        long lettersBefore = admin().get("/api/dead-letters?limit=1000").then().extract().jsonPath().getList("$").size();
        send("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-27T10:00:00.000Z\",\"Bucket\":\"aws-it-bucket\","
                + "\"RequestId\":\"5582815E1AEA5ADF\",\"HostId\":\"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> messagesInQueue() == 0);
        assertEquals(lettersBefore, admin().get("/api/dead-letters?limit=1000").then().extract().jsonPath().getList("$").size());
    }

    @Test
    void anAlarmThroughSnsIsADriftAlertAndItsOkIsRecorded() {
        send(snsAlarm("fraud-drift-alarm", "ALARM", 0.42));
        Map<String, Object> alert = await().atMost(Duration.ofSeconds(20)).until(
                () -> decisions("aws-drift").stream().filter(x -> "LAUNCHED".equals(x.get("outcome"))).findFirst().orElse(null), x -> x != null);
        assertEquals(2, alert.get("priority"), "0.42 is high drift: priority 2 with approval");
        send(snsAlarm("fraud-drift-alarm", "OK", 0.01));
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-drift").stream()
                .anyMatch(x -> "LOGGED".equals(x.get("outcome")) && x.get("reasons").toString().contains("alert_resolved")));
    }

    @Test
    void aPipelineExecutionStatusIsRecordedAgainstItsLaunch() {
        String executionId = admin().contentType("application/json").body("{\"priority\":1}").post("/api/pipelines/aws-sched/trigger")
                .then().statusCode(200).extract().path("launch.executionId");
        send(pipelineStatus(executionId, "Succeeded"));
        await().atMost(Duration.ofSeconds(20)).until(() -> decisions("aws-sched").stream()
                .anyMatch(x -> x.get("launch") instanceof Map<?, ?> l && executionId.equals(l.get("executionId")) && "Succeeded".equals(l.get("executionStatus"))));
    }
}
