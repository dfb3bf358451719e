package io.retraintrigger.config;

import io.retraintrigger.model.CoordinatorSettings;
import io.retraintrigger.model.Expectations;
import io.retraintrigger.model.GuardrailSettings;
import io.retraintrigger.model.StaticParameters;
import io.retraintrigger.model.SeverityPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One pipeline's configuration with every default applied and checked, and the sections of its
 * targets (each launcher checks and reads its own).
 */
public record PipelineSettings(
        String name,
        String target,
        Optional<String> schedule,
        List<String> dataSources,
        List<String> monitors,
        List<String> scheduleSources,
        int batchSize,
        Duration batchWindow,
        CoordinatorSettings coordinator,
        SeverityPolicy severityPolicy,
        boolean autoRetrain,
        GuardrailSettings guardrails,
        StaticParameters parameters,
        Expectations expect,
        RetrainConfig.Pipeline.SageMaker sagemaker,
        RetrainConfig.Pipeline.Vertex vertex,
        RetrainConfig.Pipeline.AzureMl azureMl) {

    public PipelineSettings {
        dataSources = List.copyOf(dataSources);
        monitors = List.copyOf(monitors);
        scheduleSources = List.copyOf(scheduleSources);
    }

    /** retrain.pipelines.NAME, the prefix of this pipeline's keys. */
    public String key() {
        return "retrain.pipelines." + name;
    }
}
