package io.retraintrigger.api;

import io.retraintrigger.batch.DecisionData;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.store.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final StateStore store;
    private final DecisionData data;

    @Inject
    public DecisionsApi(StateStore store, DecisionData data) {
        this.store = store;
        this.data = data;
    }

    public List<Decision> decisions(String pipeline, String outcome, String limit) {
        return store.decisions(text("pipeline", pipeline), oneOf(Outcome.class, "outcome", outcome), limit(limit));
    }

    public Decision decision(String id) {
        String name = text("id", id);
        return (name == null ? Optional.<Decision>empty() : store.decision(name))
                .orElseThrow(() -> new NoSuchElementException("unknown decision '" + id + "'"));
    }

    /** GET /api/decisions/{id}/data?offset=&limit=: {"decisionId", "offset", "total", "uris"}. */
    public Map<String, Object> data(String id, String offset, String limit) {
        Decision d = decision(id);
        long from = wholeNumber("offset", offset, 0, Long.MAX_VALUE, 0);
        RequestMetadata m = d.request() == null ? RequestMetadata.EMPTY : d.request().metadata();
        DecisionData.Page page = data.page(m, from, limit(limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decisionId", d.id());
        out.put("offset", page.offset());
        out.put("total", page.total());
        out.put("uris", page.uris());
        return out;
    }

    public List<DeadLetter> deadLetters(String limit) {
        return store.deadLetters(limit(limit));
    }

    public List<Approval> approvals(String pipeline, String status, String limit) {
        return store.approvals(text("pipeline", pipeline), oneOf(ApprovalStatus.class, "status", status), limit(limit));
    }
}
