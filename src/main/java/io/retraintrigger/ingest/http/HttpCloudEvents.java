package io.retraintrigger.ingest.http;

import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.ingest.DeliveryParser;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.TriggerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POST /api/events: a CloudEvent 1.0 in structured or binary mode; GET /api/events/export: the kept
 * events as CloudEvents, one per line ({@link CloudEventLines}).
 */
@ApplicationScoped
@Named("httpCloudEvents")
public class HttpCloudEvents implements DeliveryParser {
    public static final String SOURCE = "api";

    private final CloudEventParser parser = new CloudEventParser();
    private final CloudEventLines lines = new CloudEventLines();
    private final int maxBodyBytes;

    @Inject
    public HttpCloudEvents(RetrainConfig config) {
        this.maxBodyBytes = config.api().maxBodyBytes();
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public List<TriggerEvent> parse(byte[] body, Map<String, Object> headers) {
        if (body != null && body.length > maxBodyBytes) {
            throw new BadInputException(413, "body too large: " + body.length + " bytes, the limit is " + maxBodyBytes + " (retrain.api.max-body-bytes)");
        }
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (v != null) h.put(k, v.toString());
        });
        String text = body == null ? null : new String(body, StandardCharsets.UTF_8);
        Object contentType = headers.get("Content-Type"); // the consumer's headers are case-insensitive
        return List.of(parser.parse(contentType == null ? null : contentType.toString(), h, text));
    }

    /** The events as JSON Lines of structured CloudEvents, produced as the answer is written (routes/api.yaml). */
    public InputStream export(Iterator<TriggerEvent> events) {
        return lines.stream(events);
    }
}
