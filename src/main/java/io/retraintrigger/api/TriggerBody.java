package io.retraintrigger.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** The request of POST /api/pipelines/{name}/trigger (TrainingRequests.manual reads it; an empty body is fine too). */
@Schema(description = "A manual training request; both fields optional")
public record TriggerBody(@Schema(minimum = "1", maximum = "5", description = "1 (highest) to 5; default 3") Integer priority,
                          @Schema(description = "why, for the record") String reason) {
}
