package io.retraintrigger.batch;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.DecisionIds;
import io.retraintrigger.model.EventKeys;
import io.retraintrigger.model.OpenBatch;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.AppendResult;
import io.retraintrigger.store.Arrival;
import io.retraintrigger.store.BatchStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Event-driven triggering: data arrivals are batched per pipeline in the store. A batch closes when it
 * holds {@code batch.size} events (inside the append that reaches it) or when {@code batch.window} has
 * passed since its first event ({@link #closeExpired}). Each closed batch is decided once, under the
 * decision id derived from its identity; a batch whose closer did not record its decision (a crash, a
 * failing store) is claimed again after {@code retrain.batch.decide-lease} ({@link #claimUndecided}).
 */
@ApplicationScoped
@Named("batches")
public class Batches {
    private static final Logger LOG = Logger.getLogger(Batches.class);
    private static final int SWEEP = 100;

    private final BatchStore store;
    private final PipelineRegistry pipelines;
    private final Clock clock;
    private final Duration lease;
    private final int maxAttempts;
    private final Duration retention;

    @Inject
    public Batches(BatchStore store, PipelineRegistry pipelines, Clock clock, RetrainConfig config) {
        this.store = store;
        this.pipelines = pipelines;
        this.clock = clock;
        this.lease = config.batch().decideLease();
        this.maxAttempts = config.batch().maxRedeliveries();
        this.retention = config.store().dedupRetention();
    }

    /** Records the data arrivals of one delivery in one atomic store step; returns what closed by size. */
    public AppendResult append(List<TriggerEvent> arrivals) {
        List<Arrival> in = new ArrayList<>(arrivals.size());
        for (TriggerEvent e : arrivals) {
            PipelineSettings p = pipelines.get(e.pipeline());
            in.add(new Arrival(dedupKey(e), p.name(), e.dataUri(), e.sizeBytes(), p.batchSize(), p.batchWindow()));
        }
        return store.append(in, clock.instant());
    }

    /** The store's key of an event: the source's own id, within its cloud (see {@link EventKeys}). */
    public static String dedupKey(TriggerEvent e) {
        return EventKeys.of(e);
    }


    /** Closes every batch whose window has ended (each by one atomic claim: of replicas racing, one closes it). */
    public List<ClosedBatch> closeExpired() {
        Instant now = clock.instant();
        List<ClosedBatch> closed = new ArrayList<>();
        for (OpenBatch b : store.expired(now, SWEEP)) {
            store.close(b.pipeline(), b.seq(), ClosedBatch.WINDOW, now).ifPresent(closed::add);
        }
        return closed;
    }

    /** Closed batches whose decision was not recorded in time (their closer died, or deciding failed), claimed by this replica. */
    public List<BatchStore.Claimed> claimUndecided() {
        List<BatchStore.Claimed> claimed = store.claimUndecided(clock.instant(), lease, SWEEP);
        for (BatchStore.Claimed c : claimed) {
            LOG.infof("batch %s closed at %s without a recorded decision: attempt %d", c.batch().id(), c.batch().closedAt(), c.attempts());
        }
        return claimed;
    }

    /** A batch claimed more than retrain.batch.max-redeliveries times: it goes to the dead letters. */
    public boolean givenUp(BatchStore.Claimed c) {
        return c.attempts() > maxAttempts;
    }

    /** The id of the decision of a closed batch: the same on every attempt and every replica. */
    public String decisionId(ClosedBatch b) {
        return DecisionIds.forBatch(b.id());
    }

    /** Its decision is recorded: no replica decides it again. */
    public void decided(ClosedBatch b) {
        store.markDecided(b.id());
    }

    public Optional<OpenBatch> open(String pipeline) {
        return store.open(pipeline);
    }

    /** Forgets decided batches (and the keys of their events) after retrain.store.dedup-retention. */
    public int purge() {
        return store.purgeDecided(clock.instant().minus(retention));
    }
}
