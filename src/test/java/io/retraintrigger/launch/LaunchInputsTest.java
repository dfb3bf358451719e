package io.retraintrigger.launch;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchParameters;
import io.retraintrigger.testing.LaunchFixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The selection, renaming, cutting and ids the launchers share: plain Java, no cloud, no Camel. */
class LaunchInputsTest {

    @Test
    void selectsTheSentParametersInCanonicalOrderAndDropsTheRest() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put(LaunchParameters.EVENT_COUNT, "3");
        given.put(LaunchParameters.TRIGGER_TIMESTAMP, "2025-06-01T02:00:00Z");
        given.put(LaunchParameters.TRIGGER_TYPE, "DRIFT");
        given.put(LaunchInputs.DATA_MANIFEST, "true");
        Map<String, String> values = LaunchInputs.select(LaunchInputs.SENT, given, 10, p -> {
            throw new AssertionError("no manifest");
        }, (n, l) -> {
            throw new AssertionError("no cut");
        });
        assertEquals(List.of(LaunchParameters.TRIGGER_TYPE, LaunchParameters.EVENT_COUNT), List.copyOf(values.keySet()));
    }

    @Test
    void dataPathsWithinTheLimitGoInlineBeyondItByManifest() {
        List<String> written = new ArrayList<>();
        Map<String, String> inline = LaunchInputs.select(LaunchInputs.SENT, Map.of(LaunchParameters.DATA_PATHS, "a,b"), 3,
                p -> "manifest", (n, l) -> { });
        assertEquals(Map.of(LaunchParameters.DATA_PATHS, "a,b", LaunchInputs.DATA_MANIFEST, "false"), inline);

        Map<String, String> byManifest = LaunchInputs.select(LaunchInputs.SENT, Map.of(LaunchParameters.DATA_PATHS, "a,b,c"), 3,
                p -> {
                    written.add(p);
                    return "s3://b/manifests/d.json";
                }, (n, l) -> { });
        assertEquals(Map.of(LaunchParameters.DATA_PATHS, "s3://b/manifests/d.json", LaunchInputs.DATA_MANIFEST, "true"), byManifest);
        assertEquals(List.of("a,b,c"), written, "DataPaths is not cut: it goes whole to the manifest");
        assertTrue(LaunchInputs.needsManifest("a,b,c", 3));
        assertFalse(LaunchInputs.needsManifest("abc", 3));
    }

    @Test
    void aValueOverTheLimitIsCutNotBetweenASurrogatePairAndTheCutReported() {
        List<String> cuts = new ArrayList<>();
        LaunchInputs.CutListener onCut = (name, length) -> cuts.add(name + ":" + length);
        assertEquals("abc", LaunchInputs.fit("X", "abc", 3, onCut));
        assertEquals(List.of(), cuts);
        assertEquals("abc", LaunchInputs.fit("X", "abcd", 3, onCut));
        String emoji = "ab\uD83D\uDE00d";
        assertEquals("ab", LaunchInputs.fit("Y", emoji, 3, onCut));
        assertEquals(List.of("X:4", "Y:5"), cuts);

        Map<String, String> values = LaunchInputs.select(LaunchInputs.SENT, Map.of(LaunchParameters.TRIGGER_REASON, "x".repeat(12)), 10,
                p -> "m", onCut);
        assertEquals("x".repeat(10), values.get(LaunchParameters.TRIGGER_REASON));
        assertEquals("TriggerReason:12", cuts.get(2));
    }

    @Test
    void renamesByParameterNamesAndOmitsDash() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(LaunchParameters.PRIORITY, "2");
        values.put(LaunchParameters.TRIGGER_TYPE, "DRIFT");
        values.put(LaunchParameters.EVENT_COUNT, "1");
        Map<String, String> names = Map.of(LaunchParameters.TRIGGER_TYPE, "trigger_type", LaunchParameters.EVENT_COUNT, LaunchInputs.OMIT);
        List<String> converted = new ArrayList<>();
        List<Map.Entry<String, Integer>> out = LaunchInputs.rename(LaunchInputs.SENT, values, names, (name, value) -> {
            converted.add(name);
            return value.length();
        });
        assertEquals(List.of(Map.entry("trigger_type", 5), Map.entry(LaunchParameters.PRIORITY, 1)), out, "canonical order, not the values' order");
        assertEquals(List.of(LaunchParameters.TRIGGER_TYPE, LaunchParameters.PRIORITY), converted, "an omitted value is not converted");
        assertEquals(List.of("trigger_type", LaunchParameters.PRIORITY), List.copyOf(LaunchInputs.renamed(LaunchInputs.SENT, values, names).keySet()));
        assertFalse(LaunchInputs.isSent(names, LaunchParameters.EVENT_COUNT));
        assertTrue(LaunchInputs.isSent(names, LaunchParameters.TRIGGER_TYPE));
        assertTrue(LaunchInputs.isSent(names, LaunchParameters.DATA_PATHS));
    }

    @Test
    void sha256IsStableLowerCaseHex() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", LaunchInputs.sha256Hex(""));
        assertEquals(LaunchInputs.sha256Hex("dec-1"), LaunchInputs.sha256Hex("dec-1"));
        assertTrue(LaunchInputs.sha256Hex("dec-1").matches("[0-9a-f]{64}"));
    }

    @Test
    void triggerSlugAndDescription() {
        Decision batch = LaunchFixtures.batch("t", "fraud", LaunchFixtures.uris("s3://b/p-", 1), 1);
        assertEquals("data-arrival", LaunchInputs.triggerSlug(batch));
        Decision untyped = new Decision("dec-x", "fraud", null, 1, batch.outcome(), List.of(), LaunchFixtures.AT, null, 0, null,
                Launch.pending("t", 3, Map.of()));
        assertEquals("training", LaunchInputs.triggerSlug(untyped));
        String d = "retrain-trigger decision " + batch.id() + " (DATA_ARRIVAL, priority 3, training 7)";
        assertEquals(d, LaunchInputs.description(batch, 5000));
        assertEquals(d.substring(0, 20), LaunchInputs.description(batch, 20));
    }

    @Test
    void aLaunchersListIsFollowedByTheLaunchsStaticParameters() {
        Map<String, String> launch = new java.util.LinkedHashMap<>();
        launch.put("TriggerType", "SCHEDULED");
        launch.put("TriggerTimestamp", "2026-03-10T12:00:00Z");
        launch.put("DataWindowDays", "7");
        launch.put("TrainingMode", "scheduled");
        assertEquals(List.of("TriggerType", "DataPaths", "DataWindowDays", "TrainingMode"),
                LaunchInputs.withStatic(List.of("TriggerType", "DataPaths"), launch), "computed ones not in the list stay out");
    }
}
