package io.retraintrigger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.model.TriggerType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Makes training requests from schedule ticks, closed batches and manual triggers. */
@ApplicationScoped
@Named("trainingRequests")
public class TrainingRequests {
    public static final int SCHEDULE_PRIORITY = 4;
    public static final int BATCH_PRIORITY = 3;
    public static final int MANUAL_DEFAULT_PRIORITY = 3;

    private final ObjectMapper mapper = new ObjectMapper();
    private final PipelineRegistry pipelines;
    private final Clock clock;

    @Inject
    public TrainingRequests(PipelineRegistry pipelines, Clock clock) {
        this.pipelines = pipelines;
        this.clock = clock;
    }

    public TrainingRequest fromScheduleTick(TriggerEvent tick) {
        return new TrainingRequest(tick.pipeline(), TriggerType.SCHEDULED, SCHEDULE_PRIORITY,
                "schedule: tick " + tick.id(), clock.instant(), RequestMetadata.EMPTY);
    }

    /** A closed batch: its count, size and why it closed; its objects stay in the store (a preview inline). */
    public TrainingRequest fromBatch(ClosedBatch b) {
        return new TrainingRequest(b.pipeline(), TriggerType.DATA_ARRIVAL, BATCH_PRIORITY,
                "data: " + b.count() + " new objects in batch " + b.id() + " (" + b.reason() + ")", clock.instant(), RequestMetadata.of(b));
    }

    /** POST /api/pipelines/{name}/trigger with {"priority": 1-5, "reason": "..."} (both optional). */
    public TrainingRequest manual(String pipeline, byte[] body, String user) {
        if (pipelines.find(pipeline).isEmpty()) throw new BadInputException(404, "unknown pipeline '" + pipeline + "'");
        int priority = MANUAL_DEFAULT_PRIORITY;
        String reason = null;
        if (body != null && body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
            JsonNode n;
            try {
                n = mapper.readTree(body);
            } catch (Exception e) {
                throw new BadInputException(400, "malformed JSON: " + e.getMessage());
            }
            if (!n.isObject()) throw new BadInputException(400, "malformed request: must be a JSON object");
            JsonNode p = n.get("priority");
            if (p != null && !p.isNull()) {
                if (!p.isInt() || p.asInt() < 1 || p.asInt() > 5) {
                    throw new BadInputException(422, "invalid field priority: must be a whole number from 1 to 5, was " + p);
                }
                priority = p.asInt();
            }
            JsonNode r = n.get("reason");
            if (r != null && !r.isNull()) {
                if (!r.isTextual()) throw new BadInputException(422, "invalid field reason: must be a string");
                reason = r.asText();
            }
        }
        String text = "manual: by " + (user == null ? "unknown" : user) + (reason == null || reason.isBlank() ? "" : ": " + reason);
        return new TrainingRequest(pipeline, TriggerType.MANUAL, priority, text, clock.instant(), RequestMetadata.EMPTY);
    }
}
