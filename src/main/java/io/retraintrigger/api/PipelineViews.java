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
import java.util.List;

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

    public List<PipelineView> list() {
        return pipelines.all().stream().map(this::view).toList();
    }

    public PipelineView get(String name) {
        return view(pipelines.get(name));
    }

    private PipelineState today(String name) {
        return store.pipelineState(name).orElse(PipelineState.initial(name, PipelineState.utcDay(clock.instant())))
                .on(PipelineState.utcDay(clock.instant()));
    }

    private PipelineView view(PipelineSettings p) {
        PipelineView.Config config = new PipelineView.Config(p.target(), p.schedule().orElse(null), p.dataSources(), p.monitors(),
                p.batchSize(), p.batchWindow().toString(), p.coordinator().minInterval().toString(), p.coordinator().maxDailyTrainings(),
                p.coordinator().dailyBudget(), p.coordinator().baseCost(), p.autoRetrain());
        PipelineState s = today(p.name());
        PipelineView.State state = new PipelineView.State(s.lastTrainingAt(), s.trainingsToday(), s.spendToday(), s.sequence(),
                s.pendingApprovals(), s.lastTrainingAt() == null ? null : s.lastTrainingAt().plus(p.coordinator().minInterval()),
                store.deferred(p.name()).map(d -> new PipelineView.Deferred(d.dueAt(), d.decisionId(), d.request().priority(),
                        d.request().reason())).orElse(null),
                batches.open(p.name()).map(b -> new PipelineView.OpenBatch(b.id(), b.count(), b.totalBytes(), b.openedAt(), b.closesAt()))
                        .orElse(null));
        return new PipelineView(p.name(), config, state);
    }
}
