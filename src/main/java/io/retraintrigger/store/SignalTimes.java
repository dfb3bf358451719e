package io.retraintrigger.store;

import java.time.Instant;
import java.util.Optional;

/**
 * When each pipeline last had each signal it expects ({@code data}, {@code monitor}, {@code schedule}), shared
 * by every replica.
 */
public interface SignalTimes {

    /** Keeps the later of the recorded time and {@code at} (records {@code at} when none): of racing writers, the latest wins. */
    void advance(String pipeline, String signal, Instant at);

    /** Records {@code at} only when no time is recorded (the start of watching); an existing time stays. */
    void begin(String pipeline, String signal, Instant at);

    Optional<Instant> last(String pipeline, String signal);
}
