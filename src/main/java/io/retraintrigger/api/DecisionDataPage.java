package io.retraintrigger.api;

import java.util.List;

/** GET /api/decisions/{id}/data: one page of the objects of a decision's data. */
public record DecisionDataPage(String decisionId, long offset, long total, List<String> uris) {
}
