package io.retraintrigger.ingest;

import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.store.DeadLetterStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Keeps what could not be taken in, with the reason, and answers with a JSON error. What a viewer of
 * GET /api/dead-letters reads: the source, status and reason, the payload as received (its first
 * retrain.store.dead-letters.max-payload-bytes), and the message's headers and query parameters except
 * Camel's own, credential-like ones shown as {@value #REDACTED}. Letters are kept for
 * retrain.store.dead-letters.retention, at most max-count of them ({@link #purge}, on the purge timer).
 */
@ApplicationScoped
@Named("deadLetters")
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    static final String REDACTED = "[redacted]";
    /** Header (and query parameter) names whose values are credentials: never kept, in any spelling. */
    private static final Pattern SECRET = Pattern.compile(
            "authorization|cookie|token|secret|passw|api[-_]?key|credential|signature|session|auth|private[-_]?key|sas|sig$|^x-amz-");
    /** Of a header value, this many characters are kept. */
    static final int MAX_HEADER_CHARS = 1024;
    /** Of the headers, this many are kept. */
    static final int MAX_HEADERS = 64;

    private final DeadLetterStore store;
    private final RetrainMetrics metrics;
    private final Clock clock;
    private final RetrainConfig.Store.DeadLetters limits;

    @Inject
    public DeadLetters(DeadLetterStore store, RetrainMetrics metrics, Clock clock, RetrainConfig config) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = config.store().deadLetters();
    }

    /** Records a rejected message; returns the error body for the sender. */
    public Map<String, Object> record(String source, int status, String reason, Object payload, Map<String, Object> headers) {
        String text = payload instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : payload == null ? null : payload.toString();
        Map<String, String> kept = kept(headers);
        if (text != null) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxPayloadBytes()) {
                text = cutToBytes(text, limits.maxPayloadBytes());
                kept.put("RetrainPayloadBytes", Integer.toString(bytes));
                kept.put("RetrainPayloadCut", "first " + limits.maxPayloadBytes() + " bytes kept");
            }
        }
        DeadLetter letter = new DeadLetter("dl-" + UUID.randomUUID(), clock.instant(), source, status, reason, text, kept);
        store.addDeadLetter(letter);
        metrics.deadLetter(source, status);
        LOG.warnf("dead letter %s from %s (%d): %s", letter.id(), source, status, reason);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", reason);
        error.put("deadLetterId", letter.id());
        return error;
    }

    /** Forgets dead letters older than the retention, and the oldest beyond max-count; how many went. */
    public int purge() {
        Duration retention = limits.retention();
        int gone = store.purgeDeadLetters(clock.instant().minus(retention), limits.maxCount());
        if (gone > 0) LOG.infof("dead letters: %d purged (retention %s, at most %d kept)", gone, retention, limits.maxCount());
        return gone;
    }

    /** The headers a letter keeps: not Camel's own, credentials redacted, each value and their number bounded. */
    static Map<String, String> kept(Map<String, Object> headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        if (headers == null) return kept;
        for (Map.Entry<String, Object> h : headers.entrySet()) {
            String name = h.getKey();
            if (h.getValue() == null || name == null || name.startsWith("Camel")) continue;
            if (kept.size() >= MAX_HEADERS) break;
            String value = secret(name) ? REDACTED : String.valueOf(h.getValue());
            kept.put(name, value.length() > MAX_HEADER_CHARS ? value.substring(0, MAX_HEADER_CHARS) + "..." : value);
        }
        return kept;
    }

    static boolean secret(String headerName) {
        return SECRET.matcher(headerName.toLowerCase(Locale.ROOT)).find();
    }

    private static String cutToBytes(String s, int maxBytes) {
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) break;
            b.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return b.toString();
    }
}
