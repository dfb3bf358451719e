package io.retraintrigger.it;

import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What the service decided about one pipeline, read over its REST API: the object URIs of every
 * decision, each decision's data paged in full. Tells which acknowledged objects were lost (in no
 * decision) and which were doubled (in two).
 */
final class Ledger {
    final Map<String, List<String>> decisionsOfUri = new HashMap<>();
    final List<Map<String, Object>> decisions;

    private Ledger(List<Map<String, Object>> decisions) {
        this.decisions = decisions;
    }

    static Ledger read(Supplier<RequestSpecification> api, String pipeline) {
        List<Map<String, Object>> decisions = api.get().queryParam("pipeline", pipeline).queryParam("limit", 1000).get("/api/decisions")
                .then().statusCode(200).extract().jsonPath().getList("$");
        if (decisions.size() >= 1000) throw new IllegalStateException("more than 1000 decisions: raise the batch size of the test");
        Ledger l = new Ledger(decisions);
        for (Map<String, Object> d : decisions) {
            String id = (String) d.get("id");
            int offset = 0;
            while (true) {
                Map<String, Object> page = api.get().queryParam("offset", offset).queryParam("limit", 1000).get("/api/decisions/" + id + "/data")
                        .then().statusCode(200).extract().path("$");
                @SuppressWarnings("unchecked")
                List<String> uris = (List<String>) page.get("uris");
                for (String u : uris) l.decisionsOfUri.computeIfAbsent(u, k -> new ArrayList<>()).add(id + ":" + d.get("outcome"));
                offset += uris.size();
                if (uris.isEmpty() || offset >= ((Number) page.get("total")).intValue()) break;
            }
        }
        return l;
    }

    /** Acknowledged objects in no decision. */
    Set<String> lost(Set<String> acknowledged) {
        Set<String> out = new TreeSet<>();
        for (String u : acknowledged) if (!decisionsOfUri.containsKey(u)) out.add(u);
        return out;
    }

    /** Objects in more than one decision, with those decisions. */
    Map<String, List<String>> doubled() {
        Map<String, List<String>> out = new HashMap<>();
        decisionsOfUri.forEach((u, ds) -> {
            if (ds.size() > 1) out.put(u, ds);
        });
        return out;
    }

    long count(String outcome) {
        return decisions.stream().filter(d -> outcome.equals(d.get("outcome"))).count();
    }
}
