package io.retraintrigger.ingest;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Finds the pipeline an event belongs to: named, by data-source prefix, or by monitor name. */
@ApplicationScoped
public class PipelineMatcher {
    /** Event attribute: further names the monitor is known by (e.g. sagemaker-endpoint:prod-endpoint), comma-separated. */
    public static final String MONITOR_ALIASES = TriggerEvent.MONITOR_ALIASES;
    /** Event attribute: names or ids of the schedule that fired (rule name, rule ARN), comma-separated. */
    public static final String SCHEDULE_SOURCES = "scheduleSources";

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
            case DRIFT_ALERT, ALERT_RESOLVED -> byAnyName(e.monitor(), e.attributes().get(MONITOR_ALIASES), pipelines::byMonitor);
            case SCHEDULE_TICK -> byAnyName(null, e.attributes().get(SCHEDULE_SOURCES), pipelines::byScheduleSource);
            default -> List.of();
        };
        if (found.isEmpty()) {
            throw new BadInputException(422, switch (e.kind()) {
                case DATA_ARRIVAL -> "no pipeline's data-sources match " + e.dataUri();
                case DRIFT_ALERT, ALERT_RESOLVED -> e.monitor() == null && !e.attributes().containsKey(MONITOR_ALIASES) ? "missing field: pipeline"
                        : "no pipeline lists monitor " + names(e.monitor(), e.attributes().get(MONITOR_ALIASES)) + " in retrain.pipelines.NAME.monitors";
                case SCHEDULE_TICK -> e.attributes().containsKey(SCHEDULE_SOURCES)
                        ? "no pipeline lists schedule " + names(null, e.attributes().get(SCHEDULE_SOURCES)) + " in retrain.pipelines.NAME.schedule-sources"
                        : "missing field: pipeline";
                default -> "missing field: pipeline";
            });
        }
        if (found.size() > 1) {
            throw new BadInputException(422, "ambiguous pipeline: " + found.stream().map(PipelineSettings::name).toList() + " all match; name one");
        }
        return e.withPipeline(found.get(0).name());
    }

    /** Pipelines matching the first of the names (then the comma-separated aliases) that any pipeline lists. */
    private static List<PipelineSettings> byAnyName(String name, String aliases, Function<String, List<PipelineSettings>> lookup) {
        for (String n : TriggerEvent.names(name, aliases)) {
            List<PipelineSettings> found = lookup.apply(n);
            if (!found.isEmpty()) return found;
        }
        return List.of();
    }

    private static String names(String name, String aliases) {
        return TriggerEvent.names(name, aliases).stream().map(n -> "'" + n + "'").collect(Collectors.joining(" / "));
    }
}
