package io.retraintrigger.config;

import io.retraintrigger.coordinator.CoordinatorSettings;
import io.retraintrigger.drift.SeverityPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One pipeline's configuration with every default applied and checked. */
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
        boolean autoRetrain) {

    public PipelineSettings {
        dataSources = List.copyOf(dataSources);
        monitors = List.copyOf(monitors);
        scheduleSources = List.copyOf(scheduleSources);
    }
}
