package io.retraintrigger.ingest.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retraintrigger.ingest.BadInputException;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Azure payloads under src/test/resources/fixtures/azure, and edits of them. Microsoft's documented
 * samples (the event or payload as published, placeholders included):
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
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/azure/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture's text, or the JSON given (so that edits can be chained). */
    private static String source(String nameOrJson) {
        String t = nameOrJson.stripLeading();
        return t.startsWith("{") || t.startsWith("[") ? nameOrJson : read(nameOrJson);
    }

    /** The fixture (or JSON) with the field at a dotted path removed, e.g. {@code 0.data.url} or {@code data.essentials.alertId}. */
    static String without(String name, String path) {
        JsonNode root = tree(source(name));
        String[] parts = path.split("\\.");
        JsonNode parent = navigate(root, parts, parts.length - 1);
        String last = parts[parts.length - 1];
        if (parent instanceof ObjectNode o) o.remove(last);
        else ((ArrayNode) parent).remove(Integer.parseInt(last));
        return json(root);
    }

    /** The fixture (or JSON) with the field at a dotted path set to a value (a String, Number, Boolean, null or JsonNode). */
    static String with(String name, String path, Object value) {
        return with(tree(source(name)), path, value);
    }

    static String with(JsonNode root, String path, Object value) {
        String[] parts = path.split("\\.");
        ObjectNode parent = (ObjectNode) navigate(root, parts, parts.length - 1);
        parent.set(parts[parts.length - 1], MAPPER.valueToTree(value));
        return json(root);
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String json(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode navigate(JsonNode root, String[] parts, int count) {
        JsonNode n = root;
        for (int i = 0; i < count; i++) {
            n = n.isArray() ? n.get(Integer.parseInt(parts[i])) : n.get(parts[i]);
            if (n == null) throw new IllegalArgumentException("no " + String.join(".", java.util.Arrays.copyOf(parts, i + 1)));
        }
        return n;
    }

    /** Asserts a refusal with its status and a message that names what it is about. */
    static BadInputException refused(int status, String messagePart, Executable call) {
        BadInputException e = assertThrows(BadInputException.class, call);
        assertEquals(status, e.status(), () -> "status of '" + e.getMessage() + "'");
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' should contain '" + messagePart + "'");
        return e;
    }
}
