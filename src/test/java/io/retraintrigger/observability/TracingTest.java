package io.retraintrigger.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.retraintrigger.api.TestApi;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traces from intake to launch, as the in-memory exporter of the test sources ({@link TestSpans}) receives them:
 * one trace per event, holding Camel's REST span, the intake, the decision and the launch (pipelines
 * {@code traced} and {@code traced-window} of application.properties, dry-run targets).
 */
@QuarkusTest
class TracingTest {
    private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");

    @Inject
    TestSpans spans;
    @Inject
    io.opentelemetry.api.trace.Tracer tracer;

    @BeforeEach
    void record() {
        spans.start();
    }

    @AfterEach
    void done() {
        spans.stop();
    }

    @Test
    void aDriftAlertIsOneTraceFromItsRequestToItsLaunch() {
        String eventId = TestApi.newId();
        TestApi.postEvent(TestApi.event(eventId, "io.retraintrigger.drift.detected",
                "{\"pipeline\":\"traced\",\"features\":[{\"name\":\"amount\",\"score\":0.2}]}")).then().statusCode(202);

        SpanData intake = await(() -> spans.finished().stream().filter(s -> s.getName().equals("retrain.intake")
                && s.getAttributes().get(Traces.EVENT_IDS) != null && s.getAttributes().get(Traces.EVENT_IDS).contains(eventId)).findFirst());
        assertEquals("traced", intake.getAttributes().get(Traces.PIPELINE));
        assertEquals(List.of("DRIFT_ALERT"), intake.getAttributes().get(Traces.EVENT_KINDS));
        String trace = intake.getTraceId();
        SpanData launch = await(() -> inTrace(trace, "retrain.launch"));
        SpanData decide = inTrace(trace, "retrain.decide").orElseThrow(() -> new AssertionError("no decision span in the event's trace: " + names(trace)));

        String decisionId = decide.getAttributes().get(Traces.DECISION_ID);
        assertNotNull(decisionId, "decision span without the decision id: " + decide.getAttributes());
        assertEquals("traced", decide.getAttributes().get(Traces.PIPELINE));
        assertEquals("LAUNCHED", decide.getAttributes().get(Traces.OUTCOME));
        assertEquals("DRIFT", decide.getAttributes().get(Traces.TRIGGER));
        assertEquals(decisionId, launch.getAttributes().get(Traces.DECISION_ID));
        assertEquals("traced", launch.getAttributes().get(Traces.PIPELINE));
        assertEquals("dry-run", launch.getAttributes().get(Traces.TARGET));
        assertEquals("SUBMITTED", launch.getAttributes().get(Traces.LAUNCH_STATUS));
        // what the spans say is what was recorded
        Map<String, Object> recorded = TestApi.admin().get("/api/decisions/" + decisionId).then().statusCode(200).extract().jsonPath().getMap("$");
        assertEquals("LAUNCHED", recorded.get("outcome"));
        assertEquals(launch.getAttributes().get(Traces.EXECUTION_ID), ((Map<?, ?>) recorded.get("launch")).get("executionId"));

        // the trace begins at the request: Camel's span of the REST route, the one root of the trace
        SpanData root = root(trace);
        assertTrue(root.getAttributes().get(HTTP_URL).endsWith("/api/events"), "root of the trace: " + root.getName() + " " + root.getAttributes());
        // the decision within the intake's trace, the launch within the decision's (ancestors, not just the same id)
        assertTrue(ancestors(launch).contains(decide.getSpanId()) || ancestors(launch).contains(parentOf(decide)),
                "launch span not under the decision's route: " + names(trace));
        assertTrue(ancestors(decide).contains(parentOf(intake)), "decision not under the intake route: " + names(trace));
    }

    @Test
    void aManualTriggerIsOneTraceAndEachRequestItsOwn() {
        TestApi.trigger("traced", 3).then().statusCode(200);
        TestApi.trigger("traced", 3).then().statusCode(200);

        List<SpanData> launches = await(() -> {
            List<SpanData> l = spans.finished().stream().filter(s -> s.getName().equals("retrain.launch")
                    && "traced".equals(s.getAttributes().get(Traces.PIPELINE))).toList();
            return l.size() >= 2 ? Optional.of(l) : Optional.empty();
        });
        assertEquals(2, launches.size(), "launches: " + launches);
        assertNotEquals(launches.get(0).getTraceId(), launches.get(1).getTraceId(), "two requests, one trace");
        for (SpanData launch : launches) {
            String trace = launch.getTraceId();
            SpanData decide = inTrace(trace, "retrain.decide").orElseThrow(() -> new AssertionError("no decision span: " + names(trace)));
            assertEquals("MANUAL", decide.getAttributes().get(Traces.TRIGGER));
            assertEquals(decide.getAttributes().get(Traces.DECISION_ID), launch.getAttributes().get(Traces.DECISION_ID));
            assertTrue(root(trace).getAttributes().get(HTTP_URL).endsWith("/api/pipelines/traced/trigger"), names(trace));
        }
    }

    @Test
    void aCallersTraceparentIsContinued() {
        String traceId = String.format("%016x%016x", ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
        String eventId = TestApi.newId();
        TestApi.admin().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").contentType("application/cloudevents+json")
                .body(TestApi.event(eventId, "io.retraintrigger.drift.detected", "{\"pipeline\":\"traced\",\"features\":[{\"name\":\"amount\",\"score\":0.2}]}"))
                .post("/api/events").then().statusCode(202);
        SpanData launch = await(() -> inTrace(traceId, "retrain.launch"));
        assertEquals("traced", launch.getAttributes().get(Traces.PIPELINE));
        assertEquals("00f067aa0ba902b7", root(traceId).getParentSpanId(), "the caller's span is the parent of the request's");
    }

    /**
     * A batch closed by its window is decided after its events' requests have ended: its decision and launch
     * are a trace of their own, begun where the decision begins (direct:batch-decide); the timer that found the
     * batch makes no span.
     */
    @Test
    void aBatchClosedByItsWindowIsATraceOfItsOwn() {
        String eventId = TestApi.newId();
        TestApi.dataArrived(eventId, "s3://test-bucket/traced-window/" + eventId + ".parquet", 1000).then().statusCode(202);
        SpanData intake = await(() -> spans.finished().stream().filter(s -> s.getName().equals("retrain.intake")
                && s.getAttributes().get(Traces.EVENT_IDS) != null && s.getAttributes().get(Traces.EVENT_IDS).contains(eventId)).findFirst());
        SpanData decide = await(() -> spans.finished().stream().filter(s -> s.getName().equals("retrain.decide")
                && "traced-window".equals(s.getAttributes().get(Traces.PIPELINE))).findFirst());
        assertNotEquals(intake.getTraceId(), decide.getTraceId());
        assertEquals("DATA_ARRIVAL", decide.getAttributes().get(Traces.TRIGGER));
        SpanData launch = await(() -> inTrace(decide.getTraceId(), "retrain.launch"));
        assertEquals(decide.getAttributes().get(Traces.DECISION_ID), launch.getAttributes().get(Traces.DECISION_ID));
        SpanData root = root(decide.getTraceId());
        assertEquals("direct://batch-decide", root.getAttributes().get(AttributeKey.stringKey("camel.uri")), names(decide.getTraceId()));
    }

    /** The backtest's replay runs Coordinator and LaunchService without CDI inside its request's span: they leave it alone. */
    @Test
    void aDecisionOutsideItsOwnSpanWritesOnNoOtherSpan() {
        io.opentelemetry.api.trace.Span outer = tracer.spanBuilder("backtest-like").startSpan();
        try (var ignored = outer.makeCurrent()) {
            Traces.decision(new io.retraintrigger.model.Decision("dec-replayed", "traced", io.retraintrigger.model.TriggerType.MANUAL, 3,
                    io.retraintrigger.model.Outcome.LAUNCHED, List.of("allowed: replay"), java.time.Instant.now(), null, 150, null, null));
        } finally {
            outer.end();
        }
        SpanData exported = await(() -> spans.finished().stream().filter(s -> s.getName().equals("backtest-like")).findFirst());
        assertEquals(null, exported.getAttributes().get(Traces.DECISION_ID), exported.getAttributes().toString());
    }

    private <T> T await(java.util.concurrent.Callable<Optional<T>> find) {
        Object[] found = new Object[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Optional<T> f = find.call();
            f.ifPresent(v -> found[0] = v);
            return f.isPresent();
        });
        @SuppressWarnings("unchecked") T t = (T) found[0];
        return t;
    }

    private List<SpanData> trace(String traceId) {
        return spans.finished().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private Optional<SpanData> inTrace(String traceId, String name) {
        return trace(traceId).stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    /** The span of the trace whose parent is not in it (none, or a caller's); waits for the trace's spans to end. */
    private SpanData root(String traceId) {
        try {
            return await(() -> roots(traceId).size() == 1 ? Optional.of(roots(traceId).get(0)) : Optional.empty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not one root in trace " + traceId + ": " + roots(traceId).stream().map(SpanData::getName).toList() + " of " + names(traceId));
        }
    }

    private List<SpanData> roots(String traceId) {
        List<SpanData> all = trace(traceId);
        var ids = all.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        return all.stream().filter(s -> !ids.contains(s.getParentSpanId())).toList();
    }

    private String parentOf(SpanData s) {
        return s.getParentSpanId();
    }

    /** Span ids from the span's parent up to the root. */
    private List<String> ancestors(SpanData span) {
        Map<String, SpanData> byId = trace(span.getTraceId()).stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
        List<String> out = new java.util.ArrayList<>();
        String p = span.getParentSpanId();
        while (SpanId.isValid(p) && byId.containsKey(p)) {
            out.add(p);
            p = byId.get(p).getParentSpanId();
        }
        return out;
    }

    private String names(String traceId) {
        return trace(traceId).stream().map(s -> s.getName() + "(" + s.getSpanId().substring(0, 6) + "<-" + s.getParentSpanId().substring(0, 6) + ")").toList().toString();
    }
}
