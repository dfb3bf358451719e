package io.retraintrigger.config;

import io.retraintrigger.testing.TestConfig;
import io.retraintrigger.model.TriggerType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad pipeline configuration stops the service at startup, naming the key; defaults apply per pipeline. */
class PipelineRegistryTest {

    private static Map<String, PipelineSettings> build(Map<String, String> pipelineProperties) {
        RetrainConfig config = TestConfig.retrainConfig(pipelineProperties);
        return PipelineRegistry.build(config);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "retrain.pipelines.p.schedule|every sunday|retrain.pipelines.p.schedule",
            "retrain.pipelines.p.data-sources|ftp://host/x|retrain.pipelines.p.data-sources",
            "retrain.pipelines.p.batch.size|0|retrain.pipelines.p.batch.size",
            "retrain.pipelines.p.batch.window|0s|retrain.pipelines.p.batch.window",
            "retrain.pipelines.p.coordinator.daily-budget|-1|retrain.pipelines.p.coordinator",
            "retrain.pipelines.p.drift.thresholds.high|0.6|retrain.pipelines.p.drift.thresholds",
            "retrain.pipelines.p.drift.features.amount.medium|0.4|retrain.pipelines.p.drift.features.amount",
            "retrain.pipelines.p.drift.monitors.check-fail.severity|severe|retrain.pipelines.p.drift.monitors.check-fail.severity",
            "retrain.pipelines.p.schedule-sources|pubsub-attribute:job|retrain.pipelines.p.schedule-sources",
            "retrain.pipelines.p.schedule-sources|pubsub-subscription:|retrain.pipelines.p.schedule-sources",
            "retrain.pipelines.p.parameters.weekly.DataWindowDays|7|retrain.pipelines.p.parameters.weekly.DataWindowDays",
            "retrain.pipelines.p.parameters.Data Window|7|retrain.pipelines.p.parameters.Data Window",
            "retrain.pipelines.p.guardrails.min-golden-set|1.5|retrain.pipelines.p.guardrails",
            "retrain.pipelines.p.guardrails.report-uri|ftp://host/r.json|retrain.pipelines.p.guardrails.report-uri",
            "retrain.pipelines.p.guardrails.report-uri|s3://b/{run}/r.json|retrain.pipelines.p.guardrails.report-uri",
            "retrain.pipelines.P.target|dry-run|retrain.pipelines.P"})
    void aBadValueIsRefusedNamingItsKey(String key, String value, String named) {
        Map<String, String> props = new HashMap<>(Map.of("retrain.pipelines.p.target", "dry-run"));
        props.put(key, value);
        ConfigurationError e = assertThrows(ConfigurationError.class, () -> build(props));
        assertTrue(e.getMessage().startsWith("invalid configuration " + named), e.getMessage());
    }

    @Test
    void defaultsApplyAndAPipelineOverridesThem() {
        Map<String, PipelineSettings> p = build(Map.of(
                "retrain.pipelines.a.target", "dry-run",
                "retrain.pipelines.b.coordinator.min-interval", "30m",
                "retrain.pipelines.b.batch.size", "10",
                "retrain.coordinator.max-daily-trainings", "7"));
        assertEquals(Duration.ofHours(6), p.get("a").coordinator().minInterval());
        assertEquals(1000, p.get("a").batchSize());
        assertEquals(7, p.get("a").coordinator().maxDailyTrainings());
        assertEquals(Duration.ofMinutes(30), p.get("b").coordinator().minInterval());
        assertEquals(10, p.get("b").batchSize());
        assertEquals(7, p.get("b").coordinator().maxDailyTrainings());
    }

    /** A monitor's severity, by its name (quoted when it holds dots) or alias; other monitors have none. */
    @Test
    void aMonitorsSeverityIsReadCaseInsensitively() {
        Map<String, PipelineSettings> p = build(Map.of(
                "retrain.pipelines.a.drift.monitors.check-fail.severity", "High",
                "retrain.pipelines.a.drift.monitors.\"sagemaker-endpoint:fraud.v2\".severity", "critical"));
        var policy = p.get("a").severityPolicy();
        assertEquals(java.util.Optional.of(Map.entry("check-fail", io.retraintrigger.model.Severity.HIGH)),
                policy.monitorSeverity(java.util.List.of("check-fail")));
        assertEquals(io.retraintrigger.model.Severity.CRITICAL,
                policy.monitorSeverity(java.util.List.of("an-alarm", "sagemaker-endpoint:fraud.v2")).orElseThrow().getValue());
        assertTrue(policy.monitorSeverity(java.util.List.of("other")).isEmpty());
    }

    @Test
    void staticParametersOfEveryLaunchAndOfOneTriggerType() {
        PipelineSettings p = build(Map.of(
                "retrain.pipelines.a.parameters.TrainingMode", "retrain",
                "retrain.pipelines.a.parameters.scheduled.TrainingMode", "scheduled",
                "retrain.pipelines.a.parameters.scheduled.DataWindowDays", "7",
                "retrain.pipelines.a.parameters.data-arrival.DataWindowDays", "1")).get("a");
        assertEquals(Map.of("TrainingMode", "scheduled", "DataWindowDays", "7"), p.parameters().forTrigger(TriggerType.SCHEDULED));
        assertEquals(Map.of("TrainingMode", "retrain", "DataWindowDays", "1"), p.parameters().forTrigger(TriggerType.DATA_ARRIVAL));
        assertEquals(Map.of("TrainingMode", "retrain"), p.parameters().forTrigger(TriggerType.DRIFT));
    }
}
