package io.retraintrigger.ingest.azure;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.ingest.azure.Fixtures.read;
import static io.retraintrigger.ingest.azure.Fixtures.with;
import static io.retraintrigger.ingest.azure.Fixtures.without;
import static io.retraintrigger.testing.JsonFixtures.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineLearningEventParserTest {
    private static final String DRIFT_EG = "ml-dataset-drift-detected-eventgrid.json";
    private static final String DRIFT_CE = "ml-dataset-drift-detected-cloudevents.json";
    private static final String STATUS_EG = "ml-run-status-changed-eventgrid.json";
    private static final String COMPLETED_EG = "ml-run-completed-eventgrid.json";
    private static final String MONITOR = "ml-model-monitor-threshold-breached-eventgrid.json";
    private static final Instant DOC_TIME = Instant.parse("2017-06-26T18:41:00.9584103Z");
    private final MachineLearningEventParser parser = new MachineLearningEventParser();

    private TriggerEvent one(String body) {
        List<TriggerEvent> events = parser.parse(body);
        assertEquals(1, events.size(), () -> "gave " + events);
        return events.get(0);
    }

    @Test
    void documentedDatasetDriftDetectedIsADriftAlertOnTheDriftCoefficient() {
        TriggerEvent e = one(read(DRIFT_EG));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("831e1650-001e-001b-66ab-eeb76e069631", e.id());
        assertEquals(Cloud.AZURE, e.cloud());
        assertEquals("Microsoft.MachineLearningServices", e.source());
        assertEquals("myDriftMonitor", e.monitor());
        assertEquals(List.of(new FeatureScore("drift_coefficient", 0.83503490684792081)), e.features());
        assertEquals(DOC_TIME, e.occurredAt());
        assertEquals("azureml-datadrift:myDriftMonitor,azureml-datadrift:01d29aa4-e6a4-470a-9ef3-66660d21f8ef", e.attributes().get("monitorAliases"));
        assertEquals("01d29aa4-e6a4-470a-9ef3-66660d21f8ef_1571590300380", e.attributes().get("runId"));
        assertEquals("3c56d136-0f64-4657-a0e8-5162089a88a3", e.attributes().get("baseDatasetId"));
        assertEquals("d7e74d2e-c972-4266-b5fb-6c9c182d2a74", e.attributes().get("targetDatasetId"));
        assertEquals("2019-07-04T00:00:00Z", e.attributes().get("windowStart"));
        assertEquals("2019-07-05T00:00:00Z", e.attributes().get("windowEnd"));
        assertEquals("Azure ML data drift monitor 'myDriftMonitor' run 01d29aa4-e6a4-470a-9ef3-66660d21f8ef_1571590300380: drift coefficient"
                + " 0.8350349068479208 for target data 2019-07-04T00:00:00Z .. 2019-07-05T00:00:00Z", e.attributes().get(TriggerEvent.EVIDENCE));
    }

    @Test
    void theCloudEventsSchemaGivesTheSameAlert() {
        assertEquals(one(read(DRIFT_EG)), one(read(DRIFT_CE)));
    }

    @Test
    void aDriftMonitorWithoutANameIsKnownByItsId() {
        TriggerEvent e = one(without(DRIFT_EG, "0.data.DataDriftName"));
        assertEquals("01d29aa4-e6a4-470a-9ef3-66660d21f8ef", e.monitor());
        assertEquals("azureml-datadrift:01d29aa4-e6a4-470a-9ef3-66660d21f8ef", e.attributes().get("monitorAliases"));
    }

    @Test
    void documentedRunStatusChangedIsALaunchStatusInAzureMlSpelling() {
        TriggerEvent e = one(read(STATUS_EG));
        assertEquals(EventKind.LAUNCH_STATUS, e.kind());
        assertEquals("831e1650-001e-001b-66ab-eeb76e069631", e.id());
        assertNull(e.pipeline());
        assertEquals(Map.of(TriggerEvent.EXECUTION_ID, "AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5", TriggerEvent.EXECUTION_STATUS, "Failed",
                TriggerEvent.EXECUTION_ENDED_AT, "2017-06-26T18:41:00.958410300Z",
                "experimentName", "automl-local-regression"), e.attributes());
        assertEquals(DOC_TIME, Instant.parse(e.attributes().get(TriggerEvent.EXECUTION_ENDED_AT)));
        assertEquals(e, one(read("ml-run-status-changed-cloudevents.json")));
    }

    @Test
    void documentedRunCompletedIsACompletedLaunchStatus() {
        TriggerEvent e = one(read(COMPLETED_EG));
        assertEquals(EventKind.LAUNCH_STATUS, e.kind());
        assertEquals("AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5", e.attributes().get(TriggerEvent.EXECUTION_ID));
        assertEquals("Completed", e.attributes().get(TriggerEvent.EXECUTION_STATUS));
        assertEquals(DOC_TIME, Instant.parse(e.attributes().get(TriggerEvent.EXECUTION_ENDED_AT)));
        assertEquals(e, one(read("ml-run-completed-cloudevents.json")));
    }

    @Test
    void aPipelineJobOfTheLauncherIsRecognizedByItsRunIdWhichIsTheJobName() {
        TriggerEvent e = one(read("ml-pipeline-job-completed-cloudevent.json"));
        assertEquals("rt-7f3e2a9c-1b4d-4e6f-8a0b-2c4d6e8f0a1b", e.attributes().get(TriggerEvent.EXECUTION_ID));
        assertEquals("Completed", e.attributes().get(TriggerEvent.EXECUTION_STATUS));
        assertEquals("2026-03-10T13:02:44.517Z", e.attributes().get(TriggerEvent.EXECUTION_ENDED_AT));
        assertEquals("azureml.PipelineRun", e.attributes().get("runType"));
        assertEquals("fraud-training", e.attributes().get("experimentName"));
    }

    @Test
    void onlyFinalStatusesHaveAnEndAndStatusesAreSpelledAsAzureMlDoes() {
        TriggerEvent running = one(with(STATUS_EG, "0.data.runStatus", "running"));
        assertEquals("Running", running.attributes().get(TriggerEvent.EXECUTION_STATUS));
        assertFalse(running.attributes().containsKey(TriggerEvent.EXECUTION_ENDED_AT));
        TriggerEvent cancelled = one(with(STATUS_EG, "0.data.runStatus", "Cancelled"));
        assertEquals("Canceled", cancelled.attributes().get(TriggerEvent.EXECUTION_STATUS));
        assertTrue(cancelled.attributes().containsKey(TriggerEvent.EXECUTION_ENDED_AT));
        assertEquals("SomethingNew", one(with(STATUS_EG, "0.data.runStatus", "SomethingNew")).attributes().get(TriggerEvent.EXECUTION_STATUS));
        TriggerEvent pascal = one(read(STATUS_EG).replace("\"runId\"", "\"RunId\"").replace("\"runStatus\"", "\"RunStatus\""));
        assertEquals("AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5", pascal.attributes().get(TriggerEvent.EXECUTION_ID), "field names in any case");
    }

    @Test
    void aModelMonitorBreachIsADriftAlertScoredPerFeature() {
        TriggerEvent e = one(read(MONITOR));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e", e.id());
        assertEquals("fraud_monitor_data_drift", e.monitor());
        assertEquals(List.of(new FeatureScore("amount", 0.42), new FeatureScore("merchant_category", 0.21)), e.features(),
                "the Kolmogorov-Smirnov p-value of tenure is no drift score");
        assertEquals("azureml-monitor:fraud_monitor_data_drift", e.attributes().get("monitorAliases"));
        assertEquals("fraud_monitor_run_20260310", e.attributes().get("runId"));
        assertEquals("Failed", e.attributes().get("runStatus"));
        assertEquals("fraud_monitor_data_drift", e.attributes().get("signal"));
        assertEquals(Instant.parse("2026-03-10T06:12:30.25Z"), e.occurredAt());
        String evidence = e.attributes().get(TriggerEvent.EVIDENCE);
        assertTrue(evidence.startsWith("Azure ML model monitor signal 'fraud_monitor_data_drift' run fraud_monitor_run_20260310: amount JensenShannonDistance 0.42"
                + " (threshold 0.1); merchant_category PopulationStabilityIndex 0.21 (threshold 0.2)"), evidence);
        assertTrue(evidence.contains("not drift scores (lower is worse): tenure TwoSampleKolmogorovSmirnovTest 0.003 (threshold 0.05)"), evidence);
    }

    @Test
    void aBreachTagWithoutRowsGivesAnAlertWithoutFeatures() {
        TriggerEvent e = one(with(MONITOR, "data.runTags.azureml_modelmonitor_threshold_breached",
                "The signal 'fraud_monitor_prediction_drift' has failed due to one or more features violating metric thresholds."));
        assertEquals(EventKind.DRIFT_ALERT, e.kind());
        assertEquals("fraud_monitor_prediction_drift", e.monitor());
        assertTrue(e.features().isEmpty());
        assertTrue(e.attributes().get(TriggerEvent.EVIDENCE).endsWith("data.runTags.azureml_modelmonitor_threshold_breached lists no feature with a metric value"));
        TriggerEvent unnamed = one(with(MONITOR, "data.runTags.azureml_modelmonitor_threshold_breached", "breached"));
        assertEquals("fraud_monitor", unnamed.monitor(), "no signal in the tag: the experiment");
    }

    @Test
    void otherWorkspaceEventsAreIgnored() {
        TriggerEvent e = one(read("ml-model-registered-eventgrid.json"));
        assertEquals(EventKind.IGNORED, e.kind());
        assertEquals("Azure Machine Learning event Microsoft.MachineLearningServices.ModelRegistered (models/sklearn_regression_model:20) asks for no training",
                e.attributes().get("reason"));
    }

    @Test
    void missingFieldsAreNamed() {
        refused(422, "missing field: [0].data.DataDriftName (or DataDriftId)",
                () -> parser.parse(without(without(DRIFT_EG, "0.data.DataDriftName"), "0.data.DataDriftId")));
        refused(422, "missing field: [0].data.DriftCoefficient", () -> parser.parse(without(DRIFT_EG, "0.data.DriftCoefficient")));
        refused(422, "missing field: [0].data.runStatus", () -> parser.parse(without(STATUS_EG, "0.data.runStatus")));
        refused(422, "missing field: [0].data.runId", () -> parser.parse(without(STATUS_EG, "0.data.runId")));
        refused(422, "missing field: [0].data.runId", () -> parser.parse(without(COMPLETED_EG, "0.data.runId")));
        refused(422, "missing field: [0].data", () -> parser.parse(without(COMPLETED_EG, "0.data")));
        refused(422, "missing field: [0].eventType", () -> parser.parse(without(COMPLETED_EG, "0.eventType")));
    }

    @Test
    void invalidFieldsAreNamed() {
        refused(422, "invalid field [0].data.DriftCoefficient", () -> parser.parse(with(DRIFT_EG, "0.data.DriftCoefficient", -0.5)));
        refused(422, "invalid field [0].data.DriftCoefficient", () -> parser.parse(with(DRIFT_EG, "0.data.DriftCoefficient", "drifty")));
        refused(422, "invalid field [0].data.StartTime", () -> parser.parse(with(DRIFT_EG, "0.data.StartTime", "July")));
        refused(422, "invalid field [0].data.runTags", () -> parser.parse(with(STATUS_EG, "0.data.runTags", "tags")));
    }

    @Test
    void anEventOfAnotherServiceIsRefused() {
        refused(422, "unrecognized Azure message: expected an event of type Microsoft.MachineLearningServices.DatasetDriftDetected or",
                () -> parser.parse(read("storage-blob-created-cloudevents.json")));
    }

    @Test
    void malformedJsonIs400() {
        refused(400, "malformed JSON", () -> parser.parse("{"));
    }
}
