package io.retraintrigger.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events written as CloudEvent lines parse back with {@link CloudEventParser} to what they were (the cloud aside: the parser's is LOCAL). */
class CloudEventLinesTest {
    private static final Instant T = Instant.parse("2026-03-10T12:00:00.123456789Z");

    private final CloudEventLines lines = new CloudEventLines();
    private final CloudEventParser parser = new CloudEventParser();
    private final ObjectMapper json = new ObjectMapper();

    /** Writes, parses back, and checks the line is one structured CloudEvent 1.0 with the cloud in its extension. */
    private TriggerEvent roundTrip(TriggerEvent e) throws IOException {
        String line = lines.line(e);
        assertFalse(line.contains("\n") || line.contains("\r"), "one line: " + line);
        JsonNode ce = json.readTree(line);
        assertEquals("1.0", ce.path("specversion").asText());
        assertEquals(e.cloud().name().toLowerCase(), ce.path(CloudEventLines.CLOUD).asText());
        assertEquals(e.occurredAt().toString(), ce.path("time").asText());
        return parser.parse("application/cloudevents+json", Map.of(), line);
    }

    /** What the parser gives back: the event as it was, in the local cloud. */
    private static TriggerEvent local(TriggerEvent e) {
        return new TriggerEvent(e.id(), e.kind(), Cloud.LOCAL, e.source(), e.pipeline(), e.occurredAt(), e.dataUri(), e.sizeBytes(),
                e.features(), e.monitor(), e.attributes());
    }

    @Test
    void aDataArrivalRoundTrips() throws IOException {
        TriggerEvent e = TriggerEvent.dataArrival("s3:bucket/in/part-1.parquet:3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", Cloud.AWS, "aws:s3:bucket",
                "fraud", T, "s3://bucket/in/part-1.parquet", 5_000_000_000L);
        assertEquals(local(e), roundTrip(e));
        assertTrue(lines.line(e).contains("\"type\":\"io.retraintrigger.data.arrived\""), lines.line(e));
    }

    @Test
    void aDriftAlertRoundTrips() throws IOException {
        TriggerEvent e = TriggerEvent.driftAlert("alarm-1", Cloud.GCP, "//monitoring.googleapis.com/projects/p", "churn", T,
                List.of(new FeatureScore("amount", 0.42), new FeatureScore("age", 1.0E-7), new FeatureScore("zero", 0), new FeatureScore("big", 12345.678)),
                "vertex-endpoint:42");
        assertEquals(local(e), roundTrip(e));
        TriggerEvent noMonitor = TriggerEvent.driftAlert("alarm-2", Cloud.LOCAL, "/m", "churn", T, List.of(new FeatureScore("a", 0.1)), null);
        assertEquals(noMonitor, roundTrip(noMonitor));
    }

    @Test
    void aScheduleTickRoundTrips() throws IOException {
        TriggerEvent e = TriggerEvent.scheduleTick("quartz:fraud:2026-03-10T02:00:00Z", Cloud.LOCAL, "quartz", "fraud", T.plusSeconds(1));
        assertEquals(e, roundTrip(e));
    }

    @Test
    void aResolvedAlertRoundTripsWithItsAttributes() throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("alarm", "fraud-amount-drift");
        attributes.put("state", "OK");
        attributes.put("reason", "back under 0.3");
        TriggerEvent e = TriggerEvent.alertResolved("alarm-ok-1", Cloud.AZURE, "/subscriptions/s/alerts", "fraud", T, "fraud-monitor", attributes);
        TriggerEvent back = roundTrip(e);
        assertEquals(local(e), back);
        assertTrue(lines.line(e).contains("\"type\":\"io.retraintrigger.alert.resolved\""), lines.line(e));
        TriggerEvent byMonitor = TriggerEvent.alertResolved("alarm-ok-2", Cloud.LOCAL, "/m", null, T, "fraud-monitor", Map.of());
        assertEquals(byMonitor, roundTrip(byMonitor));
    }

    @Test
    void quotesNewlinesAndUnicodeAreEscapedIntoOneLine() throws IOException {
        String id = "id with \"quotes\", a \\ backslash,\na newline,\r\ta tab, \u0000 NUL, Grüße 東京 😀 and \u2028";
        TriggerEvent e = TriggerEvent.dataArrival(id, Cloud.AWS, "source \"q\"\n東京", "fraud", T, "s3://bucket/Grüße/東京/😀.parquet", 1);
        String line = lines.line(e);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.contains("\\\"quotes\\\"") && line.contains("\\n") && line.contains("\\u0000"), line);
        assertEquals(local(e), roundTrip(e));
        TriggerEvent drift = TriggerEvent.driftAlert("d\"1\n", Cloud.LOCAL, "/m", "p\"ipe", T, List.of(new FeatureScore("fé\"ature\n", 0.2)), "mon\"itor");
        assertEquals(drift, roundTrip(drift));
    }

    @Test
    void aStreamIsTheLinesEachEndedByANewlineAndReadsTheEventsOnlyAsFarAsNeeded() throws IOException {
        List<TriggerEvent> events = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            events.add(TriggerEvent.dataArrival("e-" + i, Cloud.AWS, "aws:s3", "fraud", T.plusSeconds(i), "s3://bucket/in/" + i + ".parquet", i));
        }
        int[] taken = {0};
        Iterator<TriggerEvent> counted = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return taken[0] < events.size();
            }

            @Override
            public TriggerEvent next() {
                if (!hasNext()) throw new NoSuchElementException();
                return events.get(taken[0]++);
            }
        };
        try (InputStream in = lines.stream(counted)) {
            byte[] first = new byte[100];
            assertEquals(100, in.readNBytes(first, 0, 100));
            assertTrue(taken[0] > 0 && taken[0] < 500, "a chunk of lines is made at a time, not the whole: " + taken[0] + " events read");
            String rest = new String(first, StandardCharsets.UTF_8) + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(5_000, taken[0]);
            assertTrue(rest.endsWith("\n"));
            String[] split = rest.split("\n");
            assertEquals(5_000, split.length);
            for (int i = 0; i < split.length; i += 499) {
                assertEquals(local(events.get(i)), parser.parse("application/cloudevents+json", Map.of(), split[i]));
            }
            assertEquals(-1, in.read());
        }
    }

    @Test
    void aStoreFailingInTheMiddleEndsTheStreamWithAnIOException() throws IOException {
        Iterator<TriggerEvent> failing = new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                if (n >= 1000) throw new IllegalStateException("the store went away");
                return true;
            }

            @Override
            public TriggerEvent next() {
                return TriggerEvent.scheduleTick("t-" + n++, Cloud.LOCAL, "quartz", "fraud", T);
            }
        };
        try (InputStream in = lines.stream(failing)) {
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains("the store went away"), e.getMessage());
        }
    }

    @Test
    void launchStatusesAndIgnoredEventsHaveNoLine() {
        assertThrows(IllegalArgumentException.class, () -> lines.line(TriggerEvent.ignored("i", Cloud.AWS, "s3", T, "test event")));
        assertThrows(IllegalArgumentException.class, () -> lines.line(TriggerEvent.launchStatus("s", Cloud.AWS, "sm", T, Map.of())));
    }
}
