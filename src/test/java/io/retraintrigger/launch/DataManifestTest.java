package io.retraintrigger.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchParameters;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.testing.LaunchFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The data manifest the launchers write when DataPaths is too long to pass inline. */
class DataManifestTest {
    final ObjectMapper json = new ObjectMapper();

    @Test
    void takesUrisAndBytesFromTheRequestAndWritesTheContract() throws Exception {
        List<String> uris = LaunchFixtures.uris("s3://b/p-", 3);
        Decision d = LaunchFixtures.batch("sagemaker", "fraud", uris, 123_456_789L);
        DataManifest m = DataManifest.of(d, "ignored");
        assertEquals(uris, m.uris());
        assertEquals(123_456_789L, m.totalBytes());
        JsonNode n = json.readTree(m.json(d, "other"));
        assertEquals(List.of("decisionId", "pipeline", "uris", "count", "totalBytes"), names(n));
        assertEquals(d.id(), n.get("decisionId").asText());
        assertEquals("fraud", n.get("pipeline").asText(), "the decision's pipeline first");
        assertEquals(3, n.get("count").asInt());
        assertEquals(uris.get(2), n.get("uris").get(2).asText());
        assertEquals(123_456_789L, n.get("totalBytes").asLong());
    }

    @Test
    void withoutRequestUrisTakesDataPathsAndDataSizeBytes() throws Exception {
        Decision d = decision(Map.of(LaunchParameters.DATA_SIZE_BYTES, "42"));
        DataManifest m = DataManifest.of(d, "a,b");
        assertEquals(List.of("a", "b"), m.uris());
        assertEquals(42, m.totalBytes());
        assertEquals("given", json.readTree(m.json(d, "given")).get("pipeline").asText(), "the pipeline given when the decision names none");
        assertEquals(0, DataManifest.of(decision(Map.of(LaunchParameters.DATA_SIZE_BYTES, "x")), "a").totalBytes());
        assertEquals(0, DataManifest.of(decision(Map.of()), "a").totalBytes());
    }

    @Test
    void objectName() {
        assertEquals("manifests/dec-1.json", DataManifest.objectName(null, "dec-1"));
        assertEquals("manifests/dec-1.json", DataManifest.objectName("", "dec-1"));
        assertEquals("a/b/manifests/dec-1.json", DataManifest.objectName("/a/b//", "dec-1"));
    }

    private static Decision decision(Map<String, String> parameters) {
        return new Decision("dec-1", null, null, 1, Outcome.LAUNCHED, List.of(), LaunchFixtures.AT, null, 0, null, Launch.pending("t", 1, parameters));
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
