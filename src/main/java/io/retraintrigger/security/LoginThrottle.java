package io.retraintrigger.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins counted per key (a client address, a user name) in fixed windows: a key with
 * {@code maxFailures} failures in its current window is blocked until the window ends. Knows nothing of
 * HTTP ({@link LoginThrottleFilter} wires it in front of Quarkus's authentication).
 */
public class LoginThrottle {
    /** Beyond this many keys, those whose window has ended are forgotten (a spray of addresses cannot fill the heap). */
    static final int MAX_KEYS = 100_000;

    private record Window(Instant start, int failures) {
    }

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private volatile Instant nextPrune = Instant.MIN;

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** A failed login for the key; true when this failure blocks it. */
    public boolean failed(String key) {
        Instant now = clock.instant();
        // at most once a second: a spray of new addresses must not make every failure scan the map
        if (windows.size() > MAX_KEYS && !now.isBefore(nextPrune)) {
            nextPrune = now.plusSeconds(1);
            windows.values().removeIf(w -> ended(w, now));
        }
        Window w = windows.compute(key, (k, old) -> old == null || ended(old, now) ? new Window(now, 1) : new Window(old.start(), old.failures() + 1));
        return w.failures() == maxFailures;
    }

    /** How long the key stays blocked, if it is. */
    public Optional<Duration> blocked(String key) {
        Window w = windows.get(key);
        Instant now = clock.instant();
        if (w == null || w.failures() < maxFailures || ended(w, now)) return Optional.empty();
        return Optional.of(Duration.between(now, w.start().plus(window)));
    }

    private boolean ended(Window w, Instant now) {
        return !now.isBefore(w.start().plus(window));
    }
}
