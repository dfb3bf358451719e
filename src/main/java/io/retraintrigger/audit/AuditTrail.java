package io.retraintrigger.audit;

import io.retraintrigger.model.Decision;
import io.retraintrigger.store.AuditMarks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * One audit event per decision state. A decision is found again by a redelivered signal, by another
 * replica, by the resend sweep after retries that changed nothing: each of them reaches the audit route,
 * and only the first to find a state (outcome and launch status) not yet sent sends it. The mark is
 * taken before the sink is called, so a sink that fails after all its retries loses that event (sinks are
 * best effort on top of the store, which holds every decision).
 */
@ApplicationScoped
@Named("auditTrail")
public class AuditTrail {
    private final AuditMarks store;

    @Inject
    public AuditTrail(AuditMarks store) {
        this.store = store;
    }

    /** True when this state of the decision has not been audited yet (and is now marked audited). */
    public boolean first(Decision d) {
        return store.markAudited(d.id(), state(d));
    }

    /**
     * The state an audit event reports: LAUNCHED/SUBMITTED, FAILED/FAILED, DEFERRED, ...; for an evaluated
     * training also its evaluation and promotion: LAUNCHED/SUBMITTED/PROMOTE/PROMOTED, LAUNCHED/SUBMITTED/REJECT.
     */
    public static String state(Decision d) {
        String s = d.launch() == null ? d.outcome().name() : d.outcome().name() + "/" + d.launch().status().name();
        if (d.evaluation() != null) {
            s += "/" + d.evaluation().outcome().name() + (d.evaluation().promotion() == null ? "" : "/" + d.evaluation().promotion().status().name());
        }
        return s;
    }
}
