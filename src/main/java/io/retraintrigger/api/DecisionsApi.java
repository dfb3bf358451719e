package io.retraintrigger.api;

import io.retraintrigger.model.ApprovalType;
import io.retraintrigger.batch.DecisionData;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.store.ApprovalLog;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.DecisionLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import static io.retraintrigger.api.QueryParameters.limit;
import static io.retraintrigger.api.QueryParameters.oneOf;
import static io.retraintrigger.api.QueryParameters.text;
import static io.retraintrigger.api.QueryParameters.wholeNumber;

/** GET /api/decisions, /api/decisions/{id}(/data), /api/approvals and /api/dead-letters. */
@ApplicationScoped
@Named("decisionsApi")
public class DecisionsApi {
    private final DecisionLog decisions;
    private final ApprovalLog approvals;
    private final DeadLetterStore deadLetters;
    private final DecisionData data;

    @Inject
    public DecisionsApi(DecisionLog decisions, ApprovalLog approvals, DeadLetterStore deadLetters, DecisionData data) {
        this.decisions = decisions;
        this.approvals = approvals;
        this.deadLetters = deadLetters;
        this.data = data;
    }

    public List<Decision> decisions(String pipeline, String outcome, String limit) {
        return decisions.decisions(text("pipeline", pipeline), oneOf(Outcome.class, "outcome", outcome), limit(limit));
    }

    public Decision decision(String id) {
        String name = text("id", id);
        return (name == null ? Optional.<Decision>empty() : decisions.decision(name))
                .orElseThrow(() -> new NoSuchElementException("unknown decision '" + id + "'"));
    }

    /** GET /api/decisions/{id}/data?offset=&limit=: {"decisionId", "offset", "total", "uris"}. */
    public DecisionDataPage data(String id, String offset, String limit) {
        Decision d = decision(id);
        long from = wholeNumber("offset", offset, 0, Long.MAX_VALUE, 0);
        RequestMetadata m = d.request() == null ? RequestMetadata.EMPTY : d.request().metadata();
        DecisionData.Page page = data.page(m, from, limit(limit));
        return new DecisionDataPage(d.id(), page.offset(), page.total(), page.uris());
    }

    public List<DeadLetter> deadLetters(String limit) {
        return deadLetters.deadLetters(limit(limit));
    }

    /** Newest first; a MODEL_APPROVAL of an evaluated model carries its evaluation (checks and figures) for the reviewer. */
    public List<ApprovalView> approvals(String pipeline, String status, String limit) {
        return approvals.approvals(text("pipeline", pipeline), oneOf(ApprovalStatus.class, "status", status), limit(limit)).stream()
                .map(this::withEvaluation).toList();
    }

    ApprovalView withEvaluation(Approval a) {
        if (a.type() != ApprovalType.MODEL_APPROVAL || a.decisionId() == null) return ApprovalView.of(a, null);
        return ApprovalView.of(a, decisions.decision(a.decisionId()).map(Decision::evaluation).orElse(null));
    }
}
