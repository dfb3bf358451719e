package io.retraintrigger.api;

import io.retraintrigger.batch.DecisionData;
import io.retraintrigger.ingest.BadInputException;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.store.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/** GET /api/decisions and GET /api/approvals. */
@ApplicationScoped
@Named("decisionsApi")
public class DecisionsApi {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final StateStore store;
    private final DecisionData data;

    @Inject
    public DecisionsApi(StateStore store, DecisionData data) {
        this.store = store;
        this.data = data;
    }

    public List<Decision> decisions(String pipeline, String outcome, String limit) {
        return store.decisions(blankToNull(pipeline), parse(Outcome.class, "outcome", outcome), limit(limit));
    }

    public Decision decision(String id) {
        return store.decision(id).orElseThrow(() -> new NoSuchElementException("unknown decision '" + id + "'"));
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

    public List<Approval> approvals(String pipeline, String status, String limit) {
        return store.approvals(blankToNull(pipeline), parse(ApprovalStatus.class, "status", status), limit(limit));
    }

    private static int limit(String limit) {
        return (int) wholeNumber("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
    }

    /** A query parameter that is a whole number from {@code min} to {@code max}; {@code absent} when empty. */
    private static long wholeNumber(String name, String value, long min, long max, long absent) {
        if (value == null || value.isBlank()) return absent;
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new BadInputException(400, "invalid parameter " + name + ": must be a whole number from " + min
                    + (max == Long.MAX_VALUE ? "" : " to " + max) + ", was '" + value + "'");
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(400, "invalid parameter " + name + ": '" + value + "'; one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
