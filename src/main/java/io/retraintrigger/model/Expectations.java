package io.retraintrigger.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The signals a pipeline expects (proactive triggers): a data arrival within {@code dataWithin}, a word from its
 * drift monitor within {@code monitorWithin}; and what becomes of its schedule's fires missed while the service
 * was down ({@code catchUp}).
 */
public record Expectations(Optional<Duration> dataWithin, Optional<Duration> monitorWithin, CatchUp catchUp) {

    /** Missed schedule fires: none run, the last one run, or each run in turn; all through the coordinator. */
    public enum CatchUp { SKIP, ONCE, EACH }

    public static final Expectations NONE = new Expectations(Optional.empty(), Optional.empty(), CatchUp.ONCE);

    public Expectations {
        Objects.requireNonNull(dataWithin, "dataWithin");
        Objects.requireNonNull(monitorWithin, "monitorWithin");
        Objects.requireNonNull(catchUp, "catchUp");
    }
}
