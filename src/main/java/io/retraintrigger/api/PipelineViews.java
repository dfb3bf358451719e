package io.retraintrigger.api;

import io.retraintrigger.batch.Batches;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.store.PipelineSteps;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET /api/pipelines and /api/pipelines/{name}: configuration and live state. */
@ApplicationScoped
@Named("pipelineViews")
public class PipelineViews {
    private final PipelineRegistry pipelines;
    private final PipelineSteps store;
    private final Batches batches;
    private final Clock clock;
    private final RetrainMetrics metrics;

    @Inject
    public PipelineViews(PipelineRegistry pipelines, PipelineSteps store, Batches batches, Clock clock, RetrainMetrics metrics) {
        this.pipelines = pipelines;
        this.store = store;
        this.batches = batches;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Gauges read from the store and the aggregation repository on each scrape. */
    void registerGauges(@Observes StartupEvent ev) {
        for (PipelineSettings p : pipelines.all()) {
            metrics.gauge("retrain.batch.open.events", "Events in the pipeline's open batch", p.name(), p.name(),
                    n -> batches.open(n).map(b -> b.count()).orElse(0));
            metrics.gauge("retrain.spend.today", "Estimated spend of the current UTC day", p.name(), p.name(),
                    n -> today(n).spendToday());
        }
    }

    public List<Map<String, Object>> list() {
        return pipelines.all().stream().map(this::view).toList();
    }

    public Map<String, Object> get(String name) {
        return view(pipelines.get(name));
    }

    private PipelineState today(String name) {
        return store.pipelineState(name).orElse(PipelineState.initial(name, PipelineState.utcDay(clock.instant())))
                .on(PipelineState.utcDay(clock.instant()));
    }

    private Map<String, Object> view(PipelineSettings p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", p.name());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("target", p.target());
        config.put("schedule", p.schedule().orElse(null));
        config.put("dataSources", p.dataSources());
        config.put("monitors", p.monitors());
        config.put("batchSize", p.batchSize());
        config.put("batchWindow", p.batchWindow().toString());
        config.put("minInterval", p.coordinator().minInterval().toString());
        config.put("maxDailyTrainings", p.coordinator().maxDailyTrainings());
        config.put("dailyBudget", p.coordinator().dailyBudget());
        config.put("baseCost", p.coordinator().baseCost());
        config.put("autoRetrain", p.autoRetrain());
        v.put("config", config);

        PipelineState s = today(p.name());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("lastTrainingAt", s.lastTrainingAt());
        state.put("trainingsToday", s.trainingsToday());
        state.put("spendToday", s.spendToday());
        state.put("trainingSequence", s.sequence());
        state.put("pendingApprovals", s.pendingApprovals());
        state.put("cooldownUntil", s.lastTrainingAt() == null ? null : s.lastTrainingAt().plus(p.coordinator().minInterval()));
        state.put("deferred", store.deferred(p.name()).map(d -> Map.of("dueAt", d.dueAt(), "decisionId", d.decisionId(),
                "priority", d.request().priority(), "reason", d.request().reason())).orElse(null));
        state.put("openBatch", batches.open(p.name()).map(b -> {
            Map<String, Object> ob = new LinkedHashMap<>();
            ob.put("id", b.id());
            ob.put("events", b.count());
            ob.put("bytes", b.totalBytes());
            ob.put("firstEventAt", b.openedAt());
            ob.put("closesAt", b.closesAt());
            return ob;
        }).orElse(null));
        v.put("state", state);
        return v;
    }
}
