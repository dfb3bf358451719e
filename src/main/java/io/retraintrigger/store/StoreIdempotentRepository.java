package io.retraintrigger.store;

import io.retraintrigger.config.RetrainConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Clock;
import java.time.Duration;

/** Camel's idempotent repository on the state store: event ids survive restarts and are shared by replicas. */
@ApplicationScoped
@Named("eventIdRepository")
public class StoreIdempotentRepository extends ServiceSupport implements IdempotentRepository {
    private final StateStore store;
    private final Clock clock;
    private final Duration retention;

    @Inject
    public StoreIdempotentRepository(StateStore store, Clock clock, RetrainConfig config) {
        this.retention = config.store().dedupRetention();
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean add(String key) {
        return store.addProcessedKey(key, clock.instant());
    }

    @Override
    public boolean contains(String key) {
        return store.containsProcessedKey(key);
    }

    @Override
    public boolean remove(String key) {
        return store.removeProcessedKey(key);
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    /** Forgets ids older than retrain.store.dedup-retention (a redelivery older than that is unlikely). */
    public int purgeExpired() {
        return store.purgeProcessedKeys(clock.instant().minus(retention));
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the event id ledger is not cleared wholesale; old ids expire after retrain.store.dedup-retention");
    }
}
