package io.retraintrigger.ingest.gcp;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.retraintrigger.ingest.gcp.GcpFixtures.message;
import static io.retraintrigger.ingest.gcp.GcpFixtures.with;
import static io.retraintrigger.ingest.gcp.GcpFixtures.withData;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudSchedulerParserTest {
    private static final String DATA_PIPELINE = "cloud-scheduler-data-pipeline.json";
    private static final String ATTRIBUTE_PIPELINE = "cloud-scheduler-attribute-pipeline.json";
    private static final String JOB_NAME = "cloud-scheduler-job-name.json";
    private final CloudSchedulerParser parser = new CloudSchedulerParser();

    @Test
    void pipelineInTheDataIsATickForIt() {
        TriggerEvent e = parser.parse(message(DATA_PIPELINE));
        assertEquals(EventKind.SCHEDULE_TICK, e.kind());
        assertEquals(Cloud.GCP, e.cloud());
        assertEquals("cloudscheduler.googleapis.com", e.source());
        assertEquals("fraud", e.pipeline());
        assertEquals("cloud-scheduler:2345678901234567", e.id());
        assertEquals(Instant.parse("2026-03-08T02:00:00.415Z"), e.occurredAt());
        assertFalse(e.attributes().containsKey("scheduleSources"));
    }

    /** A job's own data and no pipeline: a tick when a pipeline claims its subscription or one of its attributes. */
    @Test
    void aMessageOfItsOwnShapeIsATickWhenItsSubscriptionOrAnAttributeIsClaimed() {
        GcpMessageParser claiming = new GcpMessageParser(java.util.Set.of("pubsub-subscription:weekly-sub", "pubsub-attribute:job=nightly"));
        String data = "{\"trigger_type\": \"scheduled\", \"data_window_days\": 7}";
        TriggerEvent bySub = claiming.parse(new PubSubMessage(data, Map.of(), "41", Instant.parse("2026-03-08T02:00:00Z"), "weekly-sub")).get(0);
        assertEquals(EventKind.SCHEDULE_TICK, bySub.kind());
        assertNull(bySub.pipeline());
        assertEquals("pubsub-subscription:weekly-sub", bySub.attributes().get("scheduleSources"));
        assertEquals("cloud-scheduler:41", bySub.id());
        assertEquals(Instant.parse("2026-03-08T02:00:00Z"), bySub.occurredAt());
        TriggerEvent byAttr = claiming.parse(new PubSubMessage(data, Map.of("job", "nightly"), "42", null, "shared-sub")).get(0);
        assertEquals("pubsub-attribute:job=nightly", byAttr.attributes().get("scheduleSources"));
        TriggerEvent freeText = claiming.parse(new PubSubMessage("run now", Map.of("job", "nightly"), "43", null, "shared-sub")).get(0);
        assertEquals(EventKind.SCHEDULE_TICK, freeText.kind());
        TriggerEvent noData = claiming.parse(new PubSubMessage("", Map.of(), "44", null, "weekly-sub")).get(0);
        assertEquals(EventKind.SCHEDULE_TICK, noData.kind());

        refused(422, "no pipeline claims it by subscription or attribute",
                () -> claiming.parse(new PubSubMessage(data, Map.of("job", "other"), "45", null, "shared-sub")));
        refused(422, "unrecognized GCP message", () -> new GcpMessageParser().parse(new PubSubMessage(data, Map.of(), "46", null, "weekly-sub")));
        // a known shape on a claimed subscription stays what it is
        TriggerEvent named = claiming.parse(new PubSubMessage("{\"pipeline\": \"fraud\"}", Map.of(), "47", null, "weekly-sub")).get(0);
        assertEquals("fraud", named.pipeline());
    }

    @Test
    void pipelineAttributeWithFreeTextDataIsATickForIt() {
        TriggerEvent e = parser.parse(message(ATTRIBUTE_PIPELINE));
        assertEquals(EventKind.SCHEDULE_TICK, e.kind());
        assertEquals("churn", e.pipeline());
        assertEquals("cloud-scheduler:2345678901239999", e.id());
    }

    @Test
    void aJobNameIsAScheduleSourceWithItsShortName() {
        TriggerEvent e = parser.parse(message(JOB_NAME));
        assertEquals(EventKind.SCHEDULE_TICK, e.kind());
        assertNull(e.pipeline());
        assertEquals("projects/mlops-prod/locations/us-central1/jobs/nightly-retrain,nightly-retrain", e.attributes().get("scheduleSources"));
        TriggerEvent inData = parser.parse(new PubSubMessage("{\"jobName\": \"weekly\"}", Map.of(), "7", null));
        assertEquals("weekly", inData.attributes().get("scheduleSources"));
    }

    @Test
    void pipelineAndJobNameMayComeTogether() {
        TriggerEvent e = parser.parse(new PubSubMessage("{\"pipeline\": \"fraud\"}", Map.of("jobName", "fraud-weekly"), "8", null));
        assertEquals("fraud", e.pipeline());
        assertEquals("fraud-weekly", e.attributes().get("scheduleSources"));
    }

    @Test
    void theSameMessageRedeliveredIsTheSameTick() {
        assertEquals(parser.parse(message(DATA_PIPELINE)).id(),
                parser.parse(with(DATA_PIPELINE, "publishTime", "2026-03-08T02:00:00.415Z")).id());
    }

    @Test
    void agreeingPipelinesAreOneAndDisagreeingOnesAreRefused() {
        assertEquals("fraud", parser.parse(new PubSubMessage("{\"pipeline\":\"fraud\"}", Map.of("pipeline", "fraud"), "1", null)).pipeline());
        refused(422, "invalid field data.pipeline: 'fraud' contradicts attributes.pipeline 'churn'",
                () -> parser.parse(new PubSubMessage("{\"pipeline\":\"fraud\"}", Map.of("pipeline", "churn"), "1", null)));
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: pipeline (data.pipeline or attributes.pipeline; or jobName",
                () -> parser.parse(withData(DATA_PIPELINE, "{\"team\": \"fraud\"}")));
        refused(422, "the data is not JSON: 'Hello world!'", () -> parser.parse(withData(DATA_PIPELINE, "Hello world!")));
        refused(422, "missing field: messageId", () -> parser.parse(new PubSubMessage("{\"pipeline\":\"fraud\"}", Map.of(), null, null)));
        refused(422, "invalid field data: must be a JSON object", () -> parser.parse(withData(DATA_PIPELINE, "[\"fraud\"]")));
        refused(422, "invalid field data.pipeline: must be a string", () -> parser.parse(withData(DATA_PIPELINE, "{\"pipeline\": [\"fraud\"]}")));
    }

    @Test
    void nonObjectJsonBesideAPipelineAttributeIsIgnored() {
        assertEquals("churn", parser.parse(withData(ATTRIBUTE_PIPELINE, "[1, 2]")).pipeline());
    }

    @Test
    void malformedJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse(withData(DATA_PIPELINE, "{\"pipeline\": ")));
    }

    @Test
    void sourcesOfAJobName() {
        assertEquals(java.util.List.of("nightly"), java.util.List.copyOf(CloudSchedulerParser.sources("nightly")));
        assertTrue(CloudSchedulerParser.sources("projects/p/locations/l/jobs/x").contains("x"));
    }
}
