package io.retraintrigger.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trigger events as structured CloudEvents 1.0, one JSON object per line (JSON Lines): what
 * {@code GET /api/events/export} answers, and what {@link CloudEventParser} parses back to the same
 * kind, id, source, pipeline, time, URI, size, features, monitor (and attributes of a resolved alert).
 * The event's cloud goes in the extension attribute {@value #CLOUD}, which the parser ignores (it takes
 * every event as the local cloud's). Pure: no Camel, no CDI.
 *
 * <pre>
 * {"specversion":"1.0","id":"…","source":"…","type":"io.retraintrigger.data.arrived","time":"2026-03-10T12:00:00Z",
 *  "datacontenttype":"application/json","retraincloud":"aws","data":{"pipeline":"fraud","uri":"s3://…","sizeBytes":123}}
 * </pre>
 */
public final class CloudEventLines {
    /** The extension attribute of the event's cloud (CloudEvents names: lower-case letters and digits). */
    public static final String CLOUD = "retraincloud";
    /** The source of an event that has none (a CloudEvent needs one). */
    static final String NO_SOURCE = "retrain-trigger";
    /** Bytes of lines produced at once by {@link #stream}. */
    private static final int CHUNK = 16 * 1024;

    /** Leaves the stream it writes to open: a line is one of many. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    /** The CloudEvents type of an event kind; LAUNCH_STATUS and IGNORED have none (they are not exported). */
    public static String type(EventKind kind) {
        return switch (kind) {
            case DATA_ARRIVAL -> CloudEventParser.DATA_ARRIVED;
            case DRIFT_ALERT -> CloudEventParser.DRIFT_DETECTED;
            case SCHEDULE_TICK -> CloudEventParser.SCHEDULE_TICK;
            case ALERT_RESOLVED -> CloudEventParser.ALERT_RESOLVED;
            case LAUNCH_STATUS, IGNORED -> throw new IllegalArgumentException("an event of kind " + kind + " has no CloudEvents type");
        };
    }

    /** One event as one line of JSON, without its newline (strings escaped: a line holds no line break). */
    public String line(TriggerEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(e, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes one event as one line of JSON (UTF-8), without its newline. */
    public void write(TriggerEvent e, OutputStream out) {
        String type = type(e.kind());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("specversion", "1.0");
            g.writeStringField("id", e.id());
            g.writeStringField("source", e.source() == null || e.source().isBlank() ? NO_SOURCE : e.source());
            g.writeStringField("type", type);
            if (e.occurredAt() != null) g.writeStringField("time", e.occurredAt().toString()); // RFC 3339, UTC, as precise as it was
            g.writeStringField("datacontenttype", "application/json");
            g.writeStringField(CLOUD, e.cloud().name().toLowerCase(Locale.ROOT));
            g.writeObjectFieldStart("data");
            if (e.pipeline() != null) g.writeStringField("pipeline", e.pipeline());
            switch (e.kind()) {
                case DATA_ARRIVAL -> {
                    if (e.dataUri() != null) g.writeStringField("uri", e.dataUri());
                    g.writeNumberField("sizeBytes", e.sizeBytes());
                }
                case DRIFT_ALERT -> {
                    g.writeArrayFieldStart("features");
                    for (FeatureScore f : e.features()) {
                        g.writeStartObject();
                        g.writeStringField("name", f.name());
                        g.writeNumberField("score", f.score());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    if (e.monitor() != null) g.writeStringField("monitor", e.monitor());
                }
                case ALERT_RESOLVED -> {
                    if (e.monitor() != null) g.writeStringField("monitor", e.monitor());
                    g.writeObjectFieldStart("attributes");
                    for (Map.Entry<String, String> a : new TreeMap<>(e.attributes()).entrySet()) g.writeStringField(a.getKey(), a.getValue());
                    g.writeEndObject();
                }
                default -> {
                    // a schedule tick: its pipeline only
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The events as JSON Lines (each line ended by a newline), written as the stream is read: the iterator
     * is advanced only as far as the next {@value #CHUNK} bytes need, so that an export of millions holds
     * a chunk of lines (and the iterator's page) in memory, never the whole. A failure of the iterator
     * (the store) ends the stream with an IOException.
     */
    public InputStream stream(Iterator<TriggerEvent> events) {
        return new Lines(events);
    }

    private final class Lines extends InputStream {
        private final Iterator<TriggerEvent> events;
        private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK + 1024);
        private byte[] bytes = new byte[0];
        private int pos;

        Lines(Iterator<TriggerEvent> events) {
            this.events = events;
        }

        /** The next lines; false at the end. */
        private boolean fill() throws IOException {
            chunk.reset();
            try {
                while (chunk.size() < CHUNK && events.hasNext()) {
                    write(events.next(), chunk);
                    chunk.write('\n');
                }
            } catch (RuntimeException e) {
                throw new IOException("export ended early: " + e.getMessage(), e);
            }
            bytes = chunk.toByteArray();
            pos = 0;
            return bytes.length > 0;
        }

        @Override
        public int read() throws IOException {
            if (pos == bytes.length && !fill()) return -1;
            return bytes[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (pos == bytes.length && !fill()) return -1;
            int n = Math.min(len, bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return bytes.length - pos;
        }
    }
}
