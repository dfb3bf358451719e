package io.retraintrigger.ingest.azure;

import io.retraintrigger.testing.JsonFixtures;

/**
 * The Azure payloads under src/test/resources/fixtures/azure, and edits of them at dotted paths (the editing
 * itself is {@link JsonFixtures}). Microsoft's documented samples (the event or payload as published,
 * placeholders included):
 * <ul>
 *   <li>storage-*: "Azure Blob Storage as an Event Grid source"
 *   (https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage): BlobCreated, BlobDeleted and
 *   BlobTierChanged in both schemas, the Data Lake Storage Gen2 BlobCreated (CreateFile, dfs URL) and the
 *   SFTP BlobCreated (SftpCommit); storage-blob-created-cloudevent-single.json is the sample of "CloudEvents
 *   v1.0 schema with Azure Event Grid" (https://learn.microsoft.com/azure/event-grid/cloud-event-schema).
 *   storage-gen2-blob-created-flushwithclose-eventgrid.json is the Gen2 sample with {@code api}
 *   FlushWithClose and a file length (the page says api is CreateFile or FlushWithClose);
 *   storage-events-batch-eventgrid.json is an edge case: three events in one array.</li>
 *   <li>monitor-alert-*: "Sample alert payloads" (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-payload-samples):
 *   the sample alert payload (Resolved), the test-action metric alert (Fired), the test-action log search
 *   alerts V2 and V1 - Numresults (portal links abridged); monitor-alert-non-common-metric.json is the
 *   metric alert of "Non-common alert schema definitions"
 *   (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-non-common-schema-definitions).
 *   monitor-alert-drift-online-endpoint-*.json are edge cases in the same schema: a per-feature drift metric
 *   on an Azure ML online endpoint deployment, fired and resolved; monitor-alert-eventgrid-wrapped.json
 *   holds the fired one as the data of an Event Grid custom-topic event.</li>
 *   <li>ml-*: "Azure Machine Learning as an Event Grid source"
 *   (https://learn.microsoft.com/azure/event-grid/event-schema-machine-learning): DatasetDriftDetected,
 *   RunStatusChanged, RunCompleted in both schemas, ModelRegistered. ml-pipeline-job-completed-cloudevent.json
 *   is a RunCompleted of a pipeline job named as retrain-trigger's launcher names them;
 *   ml-model-monitor-threshold-breached-eventgrid.json is a RunStatusChanged of an Azure ML model monitor
 *   run, filtered as "Integrate Azure Machine Learning model monitoring with Azure Event Grid"
 *   (https://learn.microsoft.com/azure/machine-learning/how-to-monitor-model-performance) describes, its tag
 *   written in the format of Azure/azureml-assets
 *   assets/model_monitoring/components/src/model_monitor_evaluate_metrics_threshold/evaluate_metrics_threshold.py.</li>
 *   <li>schedule-tick*.json: retrain-trigger's own tick, as a Logic App recurrence sends it.</li>
 * </ul>
 */
final class Fixtures {

    private Fixtures() {
    }

    static String read(String name) {
        return JsonFixtures.read("/fixtures/azure/" + name);
    }

    /** A fixture's text, or the JSON given (so that edits can be chained). */
    private static String source(String nameOrJson) {
        String t = nameOrJson.stripLeading();
        return t.startsWith("{") || t.startsWith("[") ? nameOrJson : read(nameOrJson);
    }

    /** The fixture (or JSON) with the field at a dotted path removed, e.g. {@code 0.data.url} or {@code data.essentials.alertId}. */
    static String without(String name, String path) {
        return JsonFixtures.json(JsonFixtures.remove(JsonFixtures.tree(source(name)), path));
    }

    /** The fixture (or JSON) with the field at a dotted path set to a value (a String, Number, Boolean, null or JsonNode). */
    static String with(String name, String path, Object value) {
        return JsonFixtures.json(JsonFixtures.set(JsonFixtures.tree(source(name)), path, value));
    }
}
