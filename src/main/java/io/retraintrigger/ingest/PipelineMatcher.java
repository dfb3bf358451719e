package io.retraintrigger.ingest;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** Finds the pipeline an event belongs to: named, by data-source prefix, or by monitor name. */
@ApplicationScoped
public class PipelineMatcher {
    private final PipelineRegistry pipelines;

    @Inject
    public PipelineMatcher(PipelineRegistry pipelines) {
        this.pipelines = pipelines;
    }

    public TriggerEvent resolve(TriggerEvent e) {
        if (e.kind() == EventKind.LAUNCH_STATUS || e.kind() == EventKind.IGNORED) {
            return e; // belong to a launch, or to nothing
        }
        if (e.pipeline() != null) {
            if (pipelines.find(e.pipeline()).isEmpty()) {
                throw new BadInputException(404, "unknown pipeline '" + e.pipeline() + "'");
            }
            return e;
        }
        List<PipelineSettings> found = switch (e.kind()) {
            case DATA_ARRIVAL -> pipelines.matchingDataSource(e.dataUri());
            case DRIFT_ALERT -> e.monitor() == null ? List.of() : pipelines.byMonitor(e.monitor());
            case ALERT_RESOLVED -> e.monitor() == null ? List.of() : pipelines.byMonitor(e.monitor());
            default -> List.of();
        };
        if (found.isEmpty()) {
            throw new BadInputException(422, switch (e.kind()) {
                case DATA_ARRIVAL -> "no pipeline's data-sources match " + e.dataUri();
                case DRIFT_ALERT -> e.monitor() == null ? "missing field: pipeline" : "no pipeline lists monitor '" + e.monitor() + "'";
                case ALERT_RESOLVED -> "no pipeline lists monitor '" + e.monitor() + "'";
                default -> "missing field: pipeline";
            });
        }
        if (found.size() > 1) {
            throw new BadInputException(422, "ambiguous pipeline: " + found.stream().map(PipelineSettings::name).toList() + " all match; name one");
        }
        return e.withPipeline(found.get(0).name());
    }
}
