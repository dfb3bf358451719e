package io.retraintrigger.ingest;

import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.store.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Keeps what could not be taken in, with the reason, and answers with a JSON error. */
@ApplicationScoped
@Named("deadLetters")
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** Headers never kept: credentials. */
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private final StateStore store;
    private final RetrainMetrics metrics;
    private final Clock clock;

    @Inject
    public DeadLetters(StateStore store, RetrainMetrics metrics, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Records a rejected message; returns the error body for the sender. */
    public Map<String, Object> record(String source, int status, String reason, Object payload, Map<String, Object> headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (v != null && !k.startsWith("Camel") && !SECRET_HEADERS.contains(k.toLowerCase())) kept.put(k, String.valueOf(v));
            });
        }
        String text = payload instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : payload == null ? null : payload.toString();
        DeadLetter letter = new DeadLetter("dl-" + UUID.randomUUID(), clock.instant(), source, status, reason, text, kept);
        store.addDeadLetter(letter);
        metrics.deadLetter(source, status);
        LOG.warnf("dead letter %s from %s (%d): %s", letter.id(), source, status, reason);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", reason);
        error.put("deadLetterId", letter.id());
        return error;
    }
}
