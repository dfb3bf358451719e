package io.retraintrigger.api;

import io.retraintrigger.ingest.BadInputException;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.store.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/** GET /api/decisions and GET /api/approvals. */
@ApplicationScoped
@Named("decisionsApi")
public class DecisionsApi {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final StateStore store;

    @Inject
    public DecisionsApi(StateStore store) {
        this.store = store;
    }

    public List<Decision> decisions(String pipeline, String outcome, String limit) {
        return store.decisions(blankToNull(pipeline), parse(Outcome.class, "outcome", outcome), limit(limit));
    }

    public Decision decision(String id) {
        return store.decision(id).orElseThrow(() -> new NoSuchElementException("unknown decision '" + id + "'"));
    }

    public List<Approval> approvals(String pipeline, String status, String limit) {
        return store.approvals(blankToNull(pipeline), parse(ApprovalStatus.class, "status", status), limit(limit));
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(limit.trim());
            if (n < 1 || n > MAX_LIMIT) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new BadInputException(400, "invalid parameter limit: must be a whole number from 1 to " + MAX_LIMIT + ", was '" + limit + "'");
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
