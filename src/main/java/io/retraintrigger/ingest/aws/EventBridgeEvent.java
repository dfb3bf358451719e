package io.retraintrigger.ingest.aws;

import io.retraintrigger.ingest.JsonAt;
import io.retraintrigger.model.BadInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The EventBridge envelope every AWS service event shares: {@code version, id, detail-type, source,
 * account, time, region, resources, detail}. {@code id} is a UUID generated for every event.
 */
record EventBridgeEvent(String id, String source, String detailType, Instant time, List<String> resources, JsonAt detail, JsonAt root) {

    /** An EventBridge event is a JSON object with both {@code source} and {@code detail-type}. */
    static boolean looksLike(JsonAt n) {
        return n.node().isObject() && n.node().has("detail-type") && n.node().has("source");
    }

    static EventBridgeEvent of(JsonAt n) {
        String id = n.text("id");
        String source = n.text("source");
        String detailType = n.text("detail-type");
        Instant time = n.time("time");
        List<String> resources = new ArrayList<>();
        for (JsonAt r : n.optArray("resources")) {
            if (!r.node().isTextual() || r.node().asText().isBlank()) throw JsonAt.invalid(r.path(), "must be an ARN string");
            resources.add(r.node().asText());
        }
        JsonAt detail = n.obj("detail");
        return new EventBridgeEvent(id, source, detailType, time, List.copyOf(resources), detail, n);
    }

    /** Refuses an event of another kind (a parser called directly with the wrong message). */
    EventBridgeEvent expect(String expectedSource, String expectedDetailType) {
        if (!expectedSource.equals(source) || !expectedDetailType.equals(detailType)) {
            throw new BadInputException(422, "unrecognized AWS message: expected an EventBridge event source '" + expectedSource
                    + "', detail-type '" + expectedDetailType + "', got source '" + source + "', detail-type '" + detailType + "'");
        }
        return this;
    }
}
