package io.retraintrigger.backtest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Recorded events as the export writes them (structured CloudEvents, one per line), for the replay tests. */
final class Events {
    private final List<String> lines = new ArrayList<>();
    private int n;

    Events data(Instant at, String pipeline, String uri, long size) {
        lines.add("{\"specversion\":\"1.0\",\"id\":\"d-" + (n++) + "\",\"source\":\"/test\",\"type\":\"io.retraintrigger.data.arrived\",\"time\":\""
                + at + "\",\"data\":{\"pipeline\":\"" + pipeline + "\",\"uri\":\"" + uri + "\",\"sizeBytes\":" + size + "}}");
        return this;
    }

    Events drift(Instant at, String pipeline, double score) {
        lines.add("{\"specversion\":\"1.0\",\"id\":\"a-" + (n++) + "\",\"source\":\"/monitor\",\"type\":\"io.retraintrigger.drift.detected\",\"time\":\""
                + at + "\",\"data\":{\"pipeline\":\"" + pipeline + "\",\"features\":[{\"name\":\"amount\",\"score\":" + score + "}]}}");
        return this;
    }

    Events tick(Instant at, String pipeline, String source) {
        lines.add("{\"specversion\":\"1.0\",\"id\":\"" + source + ":" + pipeline + ":" + at + "\",\"source\":\"" + source
                + "\",\"type\":\"io.retraintrigger.schedule.tick\",\"time\":\"" + at + "\",\"data\":{\"pipeline\":\"" + pipeline + "\"}}");
        return this;
    }

    Events line(String raw) {
        lines.add(raw);
        return this;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
