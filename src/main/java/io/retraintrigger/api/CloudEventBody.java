package io.retraintrigger.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The request of POST /api/events in structured mode (application/cloudevents+json); in binary mode the
 * attributes are ce-* headers and the body is the data.
 */
@Schema(description = "A CloudEvent 1.0, structured mode", requiredProperties = {"specversion", "id", "source", "type"})
public record CloudEventBody(@Schema(allowableValues = "1.0") String specversion, String id, String source,
                             @Schema(description = "e.g. io.retraintrigger.data.arrived, io.retraintrigger.drift.detected") String type,
                             String subject, @Schema(description = "RFC 3339") String time, String datacontenttype,
                             @Schema(description = "the event's data, by type") Object data) {
}
