package io.retraintrigger.store;

import java.time.Instant;

/**
 * Who sends a PENDING launch, for how long: one sender at a time, across replicas.
 */
public interface LaunchLeases {

    /**
     * Claims the sending of a PENDING launch for {@code holder} until {@code until}: true for exactly one of
     * concurrent callers, and again only after that lease has ended at {@code now}; false when the launch
     * is not pending.
     */
    boolean claimLaunch(String decisionId, String holder, Instant now, Instant until);

    /** Extends the lease {@code holder} holds on a PENDING launch; false when it no longer holds it or the launch is not pending. */
    boolean renewLaunch(String decisionId, String holder, Instant until);
}
