package io.retraintrigger.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.retraintrigger.config.ConfigFiles;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.ingest.PipelineMatcher;
import io.retraintrigger.ingest.Received;
import io.retraintrigger.ingest.http.CloudEventParser;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.TriggerEvent;
import io.smallrye.config.SmallRyeConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.quartz.CronExpression;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.function.Consumer;

/**
 * Replays recorded events (CloudEvents, one JSON object per line, as {@code GET /api/events/export} writes them)
 * through the service's own routes and beans: the route files built into the jar are loaded into a Camel context
 * of the replay's own, on a {@link SimulatedClock}, an in-memory store and dry-run launches. The timer routes
 * are not started; each only fires a direct route, which the replay fires instead at the simulated times:
 * batch windows, deferred re-evaluation, store purge, and each pipeline's schedule (its cron, from the
 * configuration replayed: the recorded Quartz ticks are left out). Pending approvals are answered after
 * {@link Options#approveAfter()} (as a reviewer would), or left pending.
 * <p>
 * Events are taken in file order: one older than the one before it is replayed at the time reached, as a late
 * delivery would be. Data arrivals between two due timers are recorded together (one receive of up to
 * {@value #RECEIVE} messages), as a queue consumer takes them.
 */
public final class Replay {
    /** The route files a replay loads: the whole path from intake to launch. */
    static final List<String> ROUTE_FILES = List.of("route-configurations", "intake", "triage", "drift", "coordinator", "batching",
            "launch", "sinks", "ingest-schedule");
    static final int RECEIVE = 500;
    private static final String CONTENT_TYPE = "application/cloudevents+json";

    /**
     * @param resolution   the longest simulated time between two firings of a timer (the configured interval when longer)
     * @param approveAfter how long an approval waits for its (simulated) reviewer; null leaves approvals pending
     * @param approve      whether the reviewer approves (else rejects)
     * @param progressEvery report progress every this many events (0: never)
     */
    public record Options(Duration resolution, Duration approveAfter, boolean approve, long progressEvery) {
        public static final Options DEFAULT = new Options(Duration.ofMinutes(1), Duration.ofHours(1), true, 0);
    }

    /** Where a replay stands: events read, simulated time reached, wall time spent. */
    public record Progress(long events, Instant at, Duration elapsed) {
    }

    /** What a replay did: every decision (newest first, as the decision log lists them) and what it read. */
    public record Result(List<Decision> decisions, Inputs inputs, long events, long skippedTicks, long unreadable, Instant from, Instant to,
                         Duration elapsed) {
    }

    private final ReplayServices services;
    private final Map<String, String> properties;
    private final Options options;
    private final Consumer<Progress> progress;

    /**
     * @param properties the configuration replayed (keys as in application.properties; %prod. keys apply), over the
     *                   built-in defaults; the replay sets its own store, launch target and sinks
     */
    public Replay(ReplayServices services, Map<String, String> properties, Options options, Consumer<Progress> progress) {
        this.services = services;
        this.properties = properties;
        this.options = options;
        this.progress = progress;
    }

    /** The configuration as the replay runs it: the given keys, every pipeline launched dry-run, sinks silent. */
    static Map<String, String> replayed(Map<String, String> given) {
        Map<String, String> out = new HashMap<>(given);
        for (String key : given.keySet()) {
            String k = key.startsWith("%prod.") ? key.substring("%prod.".length()) : key;
            if (k.startsWith("retrain.pipelines.")) {
                String name = k.substring("retrain.pipelines.".length()).split("\\.", 2)[0];
                out.put("retrain.pipelines." + name + ".target", "dry-run");
                out.remove("%prod.retrain.pipelines." + name + ".target");
            }
        }
        out.put("retrain.audit.uri", "log:backtest-audit?level=OFF");
        out.put("retrain.notify.uri", "log:backtest-notify?level=OFF");
        out.keySet().removeIf(k -> k.startsWith("%prod.retrain.audit.") || k.startsWith("%prod.retrain.notify.") || k.startsWith("%prod.retrain.store."));
        return out;
    }

    public Result run(Iterator<String> lines) throws Exception {
        Map<String, String> given = replayed(properties);
        SmallRyeConfig smallRye = ConfigFiles.load(given, "prod");
        RetrainConfig config = smallRye.getConfigMapping(RetrainConfig.class);
        PipelineRegistry pipelines = new PipelineRegistry(config);
        SimulatedClock clock = new SimulatedClock(Instant.EPOCH);
        ReplayServices.Stack stack = services.open(config, clock);
        long started = System.nanoTime();
        try (CamelContext camel = camel(stack, ConfigFiles.resolved(smallRye))) {
            Run run = new Run(camel, stack, config, pipelines, clock, started);
            while (lines.hasNext()) run.line(lines.next());
            run.end();
            List<Decision> decisions = stack.decisions().decisions(null, null, Integer.MAX_VALUE);
            return new Result(decisions, run.inputs, run.events, run.skippedTicks, run.unreadable, run.first, run.last,
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            stack.resources().close();
        }
    }

    private static CamelContext camel(ReplayServices.Stack stack, Map<String, String> resolved) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        stack.beans().forEach(camel.getRegistry()::bind);
        // the sinks' JSON (routes say autoDiscoverObjectMapper): java.time as ISO-8601, like the service's
        camel.getRegistry().bind("backtestObjectMapper", new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));
        Properties p = new Properties();
        p.putAll(resolved);
        camel.getPropertiesComponent().setInitialProperties(p);
        var loader = PluginHelper.getResourceLoader(camel);
        Resource[] files = ROUTE_FILES.stream().map(f -> loader.resolveResource("classpath:routes/" + f + ".yaml")).toArray(Resource[]::new);
        PluginHelper.getRoutesLoader(camel).loadRoutes(files);
        // The timers stay still: the replay fires the direct routes they fire, at simulated times.
        for (RouteDefinition r : camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
            String from = r.getInput().getEndpointUri();
            if (from.startsWith("timer:") || from.startsWith("quartz:")) r.setAutoStartup("false");
        }
        camel.getShutdownStrategy().setTimeout(5);
        camel.start();
        return camel;
    }

    /** One replay's state: the clock, the timers' next firings, the receive being gathered. */
    private final class Run {
        private final ProducerTemplate send;
        private final ReplayServices.Stack stack;
        private final SimulatedClock clock;
        private final CloudEventParser parser = new CloudEventParser();
        private final PipelineRegistry pipelines;
        private final Inputs inputs;
        private final List<Timer> timers = new ArrayList<>();
        private final List<Received> receive = new ArrayList<>();
        private final long started;
        private Instant receiveAt;
        private Instant first;
        private Instant last;
        private long events;
        private long skippedTicks;
        private long unreadable;

        Run(CamelContext camel, ReplayServices.Stack stack, RetrainConfig config, PipelineRegistry pipelines, SimulatedClock clock, long started) {
            this.send = camel.createProducerTemplate();
            this.stack = stack;
            this.clock = clock;
            this.started = started;
            this.pipelines = pipelines;
            this.inputs = new Inputs(new PipelineMatcher(pipelines));
            Duration resolution = options.resolution();
            timers.add(new Timer("direct:close-expired-batches", longest(Duration.ofMillis(config.batch().timeoutCheckerInterval()), resolution)));
            timers.add(new Timer("direct:reevaluate-deferred", longest(config.coordinator().deferredCheckInterval(), resolution)));
            timers.add(new Timer("direct:purge-store", longest(config.store().dedupPurgeInterval(), resolution)));
            if (options.approveAfter() != null) timers.add(new Timer(null, resolution));
            for (PipelineSettings p : pipelines.all()) {
                p.schedule().ifPresent(cron -> timers.add(new Schedule(p.name(), cron)));
            }
        }

        void line(String line) {
            if (line.isBlank()) return;
            TriggerEvent e;
            try {
                e = parser.parse(CONTENT_TYPE, Map.of(), line);
            } catch (BadInputException refused) {
                unreadable++;
                return;
            }
            if (e.kind() == EventKind.SCHEDULE_TICK && "quartz".equals(e.source())) {
                skippedTicks++; // the schedules replayed are those of the configuration replayed
                return;
            }
            Instant at = e.occurredAt() == null || (last != null && e.occurredAt().isBefore(last)) ? (last == null ? Instant.EPOCH : last) : e.occurredAt();
            if (first == null) start(at);
            advance(at);
            last = at;
            events++;
            inputs.add(e, at);
            byte[] body = line.getBytes(StandardCharsets.UTF_8);
            if (e.kind() == EventKind.DATA_ARRIVAL) {
                receive.add(new Received(events, body, Map.of("Content-Type", CONTENT_TYPE)));
                receiveAt = at;
                if (receive.size() >= RECEIVE) flush();
            } else {
                flush();
                clock.set(at);
                Exchange done = send.request("direct:intake", x -> {
                    x.getMessage().setHeader("RetrainSource", "api");
                    x.getMessage().setHeader("Content-Type", CONTENT_TYPE);
                    x.getMessage().setBody(body);
                });
                if (done.getException() != null) throw new IllegalStateException("replay failed at " + at + ": " + done.getException().getMessage(), done.getException());
            }
            if (options.progressEvery() > 0 && events % options.progressEvery() == 0) {
                progress.accept(new Progress(events, at, Duration.ofNanos(System.nanoTime() - started)));
            }
        }

        private void start(Instant at) {
            first = at;
            clock.set(at);
            timers.forEach(t -> t.start(at));
        }

        /** Fires every timer due up to {@code until}, in time order, each at its own simulated time. */
        private void advance(Instant until) {
            while (true) {
                Timer next = null;
                for (Timer t : timers) if (t.next != null && (next == null || t.next.isBefore(next.next))) next = t;
                if (next == null || next.next.isAfter(until)) return;
                flush();
                clock.set(next.next);
                next.fire();
            }
        }

        /** The data arrivals gathered, recorded as one receive at the time of the last. */
        private void flush() {
            if (receive.isEmpty()) return;
            clock.set(receiveAt);
            List<Received> messages = List.copyOf(receive);
            receive.clear();
            send.sendBodyAndHeader("direct:intake-receive", messages, "RetrainSource", "api");
        }

        /** After the last event: the windows, deferred requests and approvals it left open, until nothing is pending. */
        void end() {
            flush();
            if (first == null) return;
            Duration drain = Duration.ZERO;
            for (PipelineSettings p : pipelines.all()) {
                drain = longest(drain, longest(p.batchWindow(), p.coordinator().minInterval()));
            }
            if (options.approveAfter() != null) drain = drain.plus(options.approveAfter());
            timers.removeIf(t -> t instanceof Schedule);
            advance(last.plus(drain).plus(options.resolution()));
        }

        /** A timer route's direct route, fired every {@code period} of simulated time (null uri: the reviewer). */
        private class Timer {
            final String uri;
            final Duration period;
            Instant next;

            Timer(String uri, Duration period) {
                this.uri = uri;
                this.period = period;
            }

            void start(Instant at) {
                next = at;
            }

            void fire() {
                if (uri == null) review();
                else send.sendBody(uri, null);
                next = next.plus(period);
            }
        }

        /** A pipeline's schedule: its fires as Quartz computes them (UTC), sent as the schedule-tick template sends them. */
        private final class Schedule extends Timer {
            private final String pipeline;
            private final CronExpression cron;

            Schedule(String pipeline, String expression) {
                super("direct:schedule-fire", null);
                this.pipeline = pipeline;
                try {
                    this.cron = new CronExpression(expression);
                } catch (ParseException e) {
                    throw new IllegalArgumentException("retrain.pipelines." + pipeline + ".schedule: " + e.getMessage(), e);
                }
                cron.setTimeZone(TimeZone.getTimeZone("UTC"));
            }

            @Override
            void start(Instant at) {
                next = after(at.minusMillis(1));
            }

            @Override
            void fire() {
                Map<String, Object> headers = new LinkedHashMap<>();
                headers.put("RetrainPipeline", pipeline);
                headers.put("scheduledFireTime", Date.from(next));
                send.sendBodyAndHeaders(uri, null, headers);
                next = after(next);
            }

            private Instant after(Instant t) {
                Date d = cron.getNextValidTimeAfter(Date.from(t));
                return d == null ? null : d.toInstant();
            }
        }

        /** The simulated reviewer: answers each approval that has waited approveAfter, as POST /api/approvals/{id}/{action} does. */
        private void review() {
            Instant due = clock.instant().minus(options.approveAfter());
            for (Approval a : stack.approvals().approvals(null, ApprovalStatus.PENDING, 1000)) {
                if (a.createdAt() != null && a.createdAt().isAfter(due)) continue;
                stack.coordinator().resolve(a.id(), options.approve(), "backtest", "simulated reviewer")
                        .ifPresent(d -> send.sendBody("direct:decided", d));
            }
        }
    }

    private static Duration longest(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
