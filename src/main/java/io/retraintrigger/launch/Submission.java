package io.retraintrigger.launch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a target accepted: its execution id, and the parameters it was sent under the names it was sent
 * with (after renames and omissions; a data list as it went, inline or as a manifest URI), in request order.
 */
public record Submission(String executionId, Map<String, String> parameters) {
    public Submission {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
