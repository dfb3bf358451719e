package io.retraintrigger.coordinator;

import java.time.Instant;
import java.util.List;

/** What the coordinator rules say of one request, before anything is recorded. */
public record Verdict(Kind kind, List<String> reasons, Instant deferredUntil, double estimatedCost) {
    public enum Kind { LAUNCH, DEFER, REJECT }

    public Verdict {
        reasons = List.copyOf(reasons);
    }
}
