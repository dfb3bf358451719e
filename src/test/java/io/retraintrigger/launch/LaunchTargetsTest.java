package io.retraintrigger.launch;

import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.launch.azureml.AzureMlLauncher;
import io.retraintrigger.launch.dryrun.DryRunLauncher;
import io.retraintrigger.launch.sagemaker.SageMakerLauncher;
import io.retraintrigger.testing.TestConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each pipeline's target is known and its launcher accepts its section, checked at startup, naming the key at fault. */
class LaunchTargetsTest {
    private static final List<PipelineLauncher> LAUNCHERS = List.of(new DryRunLauncher(), new SageMakerLauncher(null, null),
            new AzureMlLauncher(null, null, "https://management.azure.com", "2024-10-01", p -> Optional.empty()));

    private static Map<String, PipelineLauncher> byTarget(Map<String, String> properties) {
        List<PipelineSettings> pipelines = List.copyOf(PipelineRegistry.build(TestConfig.retrainConfig(properties)).values());
        return LaunchService.byTarget(LAUNCHERS, pipelines);
    }

    @Test
    void aPipelineOfEachTargetWithItsSettingsPasses() {
        Map<String, PipelineLauncher> launchers = byTarget(Map.of(
                "retrain.pipelines.a.target", "dry-run",
                "retrain.pipelines.b.target", "sagemaker",
                "retrain.pipelines.b.sagemaker.pipeline-name", "training"));
        assertEquals(Set.of("dry-run", "sagemaker", "azureml"), launchers.keySet());
        assertEquals(SageMakerLauncher.TARGET, launchers.get("sagemaker").target());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "retrain.pipelines.p.target|sagemakr|retrain.pipelines.p.target|unknown target 'sagemakr'; available: [azureml, dry-run, sagemaker]",
            "retrain.pipelines.p.target|sagemaker|retrain.pipelines.p.sagemaker.pipeline-name|required with target sagemaker",
            "retrain.pipelines.p.target|azureml|retrain.pipelines.p.azureml.subscription-id|required with target azureml",
            // a section's keys are checked whatever the pipeline's target
            "retrain.pipelines.p.sagemaker.manifest-s3-uri|gs://bucket|retrain.pipelines.p.sagemaker.manifest-s3-uri|not an s3://bucket",
            "retrain.pipelines.p.azureml.workspace|-bad-|retrain.pipelines.p.azureml.workspace|not an Azure ML workspace name"})
    void aTargetRefusesWhatItCannotUseNamingTheKey(String key, String value, String named, String message) {
        Map<String, String> properties = new HashMap<>(Map.of("retrain.pipelines.p.target", "dry-run"));
        properties.put(key, value);
        ConfigurationError e = assertThrows(ConfigurationError.class, () -> byTarget(properties));
        assertTrue(e.getMessage().startsWith("invalid configuration " + named), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
