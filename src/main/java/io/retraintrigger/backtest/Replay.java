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
import io.retraintrigger.store.Deferred;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.OpenBatch;
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
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;
import java.util.function.Consumer;

/**
 * Replays recorded events (CloudEvents, one JSON object per line, as {@code GET /api/events/export} writes them)
 * through the service's own routes and beans: the route files built into the jar are loaded into a Camel context
 * of the replay's own, on a {@link SimulatedClock}, an in-memory store and dry-run launches. The timer routes
 * are not started; each only fires a direct route, which the replay fires instead at the simulated times:
 * batch windows, deferred re-evaluation, and each pipeline's schedule (its cron, from the configuration
 * replayed: the recorded Quartz ticks are left out). The store purge is not run: it forgets what a replay of
 * distinct recorded events never needs again, and deleting costs what inserting did (the store holds about
 * 300 bytes per data arrival meanwhile). Pending approvals are answered after
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
     * @param approveAfter how long an approval waits for its (simulated) reviewer; null leaves approvals pending
     * @param approve      whether the reviewer approves (else rejects)
     * @param progressEvery report progress every this many events (0: never)
     */
    public record Options(Duration approveAfter, boolean approve, long progressEvery) {
        /** {@code --approve-after} / {@code approveAfter}: a duration (30m, 1h, PT2H) or {@code never} (null). */
        public static Duration approveAfter(String v) {
            if (v.equals("never")) return null;
            try {
                Duration d = new io.quarkus.runtime.configuration.DurationConverter().convert(v);
                if (!d.isNegative()) return d;
            } catch (RuntimeException notADuration) {
                // refused below
            }
            throw new IllegalArgumentException("'" + v + "' is not a duration (e.g. 30m, 1h, PT2H) or never");
        }
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
            ReadAhead read = new ReadAhead(lines);
            try {
                for (List<Read> chunk = read.next(); chunk != null; chunk = read.next()) {
                    for (Read r : chunk) run.line(r);
                }
            } finally {
                read.stop();
            }
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

    /**
     * One replay's state. The timers fire when something is due, not on every tick of their period: at the first
     * check (on the grid of the configured interval) after a batch window ends, after a deferred request is due,
     * when an approval has waited its reviewer; each schedule at its fires.
     * What is due is read from the store after every step that may change it. Data arrivals are recorded
     * together between two such steps; an arrival that opens a batch, and one that fills it, end their receive,
     * so that a batch opens and closes at the time of its own event.
     */
    private final class Run {
        private final ProducerTemplate send;
        private final ReplayServices.Stack stack;
        private final SimulatedClock clock;
        private final PipelineMatcher matcher;
        private final Collection<PipelineSettings> pipelines;
        private final Inputs inputs;
        private final List<Received> receive = new ArrayList<>();
        private final Map<String, Integer> receiving = new HashMap<>();
        private final Map<String, OpenBatch> open = new HashMap<>();
        private final List<Schedule> schedules = new ArrayList<>();
        private final Duration windowCheck;
        private final Duration deferredCheck;
        private final long started;
        private Instant windowDue;
        private Instant deferredDue;
        private Instant reviewDue;
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
            this.pipelines = pipelines.all();
            this.matcher = new PipelineMatcher(pipelines);
            this.inputs = new Inputs(matcher);
            this.windowCheck = Duration.ofMillis(Math.max(1, config.batch().timeoutCheckerInterval()));
            this.deferredCheck = config.coordinator().deferredCheckInterval();
            for (PipelineSettings p : this.pipelines) p.schedule().ifPresent(cron -> schedules.add(new Schedule(p.name(), cron)));
        }

        void line(Read r) {
            if (r.event() == null) {
                unreadable++;
                return;
            }
            TriggerEvent e = r.event();
            String line = r.line();
            Instant at = e.occurredAt() == null || (last != null && e.occurredAt().isBefore(last)) ? (last == null ? Instant.EPOCH : last) : e.occurredAt();
            if (first == null) start(at);
            if (e.kind() == EventKind.SCHEDULE_TICK && "quartz".equals(e.source())) {
                skippedTicks++; // the schedules replayed are those of the configuration replayed
                return;
            }
            advance(at);
            last = at;
            events++;
            inputs.add(e, at);
            byte[] body = line.getBytes(StandardCharsets.UTF_8);
            if (e.kind() == EventKind.DATA_ARRIVAL) {
                data(e, body, at);
            } else {
                flush();
                clock.set(at);
                Exchange done = send.request("direct:intake", x -> {
                    x.getMessage().setHeader("RetrainSource", "api");
                    x.getMessage().setHeader("Content-Type", CONTENT_TYPE);
                    x.getMessage().setBody(body);
                });
                if (done.getException() != null) throw new IllegalStateException("replay failed at " + at + ": " + done.getException().getMessage(), done.getException());
                refresh();
            }
            if (options.progressEvery() > 0 && events % options.progressEvery() == 0) {
                progress.accept(new Progress(events, at, Duration.ofNanos(System.nanoTime() - started)));
            }
        }

        private void data(TriggerEvent e, byte[] body, Instant at) {
            String pipeline = pipelineOf(e);
            OpenBatch batch = pipeline == null ? null : open.get(pipeline);
            int pending = pipeline == null ? 0 : receiving.getOrDefault(pipeline, 0);
            boolean opens = pipeline != null && batch == null && pending == 0;
            if (opens) flush();
            receive.add(new Received(events, body, Map.of("Content-Type", CONTENT_TYPE)));
            receiveAt = at;
            if (pipeline != null) receiving.put(pipeline, pending + 1);
            int size = pipeline == null ? Integer.MAX_VALUE : sizeOf(pipeline);
            boolean fills = batch != null && batch.count() + pending + 1 >= size;
            if (opens || fills || receive.size() >= RECEIVE) flush();
        }

        private String pipelineOf(TriggerEvent e) {
            if (e.pipeline() != null) return e.pipeline();
            try {
                return matcher.resolve(e).pipeline();
            } catch (RuntimeException unmatched) {
                return null;
            }
        }

        private int sizeOf(String pipeline) {
            for (PipelineSettings p : pipelines) if (p.name().equals(pipeline)) return p.batchSize();
            return Integer.MAX_VALUE;
        }

        private void start(Instant at) {
            first = at;
            clock.set(at);
            schedules.forEach(s -> s.start(at));
            refresh();
        }

        /** Fires everything due up to {@code until}, in time order, each at its own simulated time. */
        private void advance(Instant until) {
            Instant previous = null;
            int same = 0;
            while (true) {
                Instant due = earliest(windowDue, deferredDue, reviewDue);
                Schedule schedule = null;
                for (Schedule s : schedules) {
                    if (s.next != null && (due == null || s.next.isBefore(due)) && (schedule == null || s.next.isBefore(schedule.next))) schedule = s;
                }
                if (schedule != null) due = schedule.next;
                if (due == null || due.isAfter(until)) return;
                same = due.equals(previous) ? same + 1 : 0;
                if (same > 1000) throw new IllegalStateException("replay stuck at " + due + ": what is due there does not change");
                previous = due;
                flush();
                clock.set(due);
                if (schedule != null) {
                    schedule.fire();
                } else if (due.equals(windowDue)) {
                    send.sendBody("direct:close-expired-batches", null);
                } else if (due.equals(deferredDue)) {
                    send.sendBody("direct:reevaluate-deferred", null);
                } else {
                    review();
                }
                refresh();
            }
        }

        /** What is due next, read from the store: batch windows, deferred requests, approvals waiting for the reviewer. */
        private void refresh() {
            open.clear();
            Instant window = null;
            Instant deferred = null;
            for (PipelineSettings p : pipelines) {
                Optional<OpenBatch> b = stack.batches().open(p.name());
                if (b.isPresent()) {
                    open.put(p.name(), b.get());
                    window = earliest(window, b.get().closesAt());
                }
                Optional<Deferred> d = stack.steps().deferred(p.name());
                if (d.isPresent()) deferred = earliest(deferred, d.get().dueAt());
            }
            windowDue = onGrid(window, windowCheck);
            deferredDue = onGrid(deferred, deferredCheck);
            reviewDue = null;
            if (options.approveAfter() != null) {
                for (Approval a : stack.approvals().approvals(null, ApprovalStatus.PENDING, 1000)) {
                    if (a.createdAt() != null) reviewDue = earliest(reviewDue, a.createdAt().plus(options.approveAfter()));
                }
                reviewDue = reviewDue == null || !reviewDue.isBefore(clock.instant()) ? reviewDue : clock.instant();
            }
        }

        /** The first check of a timer of period {@code every} (started with the replay) at or after {@code t}; never before now. */
        private Instant onGrid(Instant t, Duration every) {
            if (t == null) return null;
            long step = Math.max(1, every.toMillis());
            long from = first.toEpochMilli();
            long k = Math.max(0, Math.floorDiv(t.toEpochMilli() - from + step - 1, step));
            Instant at = Instant.ofEpochMilli(from + k * step);
            while (at.isBefore(clock.instant())) at = at.plusMillis(step);
            return at;
        }

        /** The data arrivals gathered, recorded as one receive at the time of the last. */
        private void flush() {
            if (receive.isEmpty()) return;
            clock.set(receiveAt);
            List<Received> messages = List.copyOf(receive);
            receive.clear();
            receiving.clear();
            send.sendBodyAndHeader("direct:intake-receive", messages, "RetrainSource", "api");
            refresh();
        }

        /** After the last event: the windows, deferred requests and approvals it left open, until nothing is pending. */
        void end() {
            flush();
            if (first == null) return;
            schedules.clear();
            advance(Instant.MAX);
        }

        /** A pipeline's schedule: its fires as Quartz computes them (UTC), sent as the schedule-tick template sends them. */
        private final class Schedule {
            private final String pipeline;
            private final CronExpression cron;
            Instant next;

            Schedule(String pipeline, String expression) {
                this.pipeline = pipeline;
                try {
                    this.cron = new CronExpression(expression);
                } catch (ParseException e) {
                    throw new IllegalArgumentException("retrain.pipelines." + pipeline + ".schedule: " + e.getMessage(), e);
                }
                cron.setTimeZone(TimeZone.getTimeZone("UTC"));
            }

            void start(Instant at) {
                next = after(at.minusMillis(1));
            }

            void fire() {
                Map<String, Object> headers = new LinkedHashMap<>();
                headers.put("RetrainPipeline", pipeline);
                headers.put("scheduledFireTime", Date.from(next));
                send.sendBodyAndHeaders("direct:schedule-fire", null, headers);
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

    /** A line and the event it holds (null: a line the service would refuse). */
    private record Read(String line, TriggerEvent event) {
    }

    /**
     * Reads and parses the lines ahead on a thread of its own, in chunks, while the replay takes the ones before:
     * the reading takes the second core instead of a fifth of the replay's own time.
     */
    private final class ReadAhead {
        private static final int CHUNK = 1000;
        private static final List<Read> END = List.of();
        private final java.util.concurrent.BlockingQueue<List<Read>> chunks = new java.util.concurrent.ArrayBlockingQueue<>(16);
        private final Thread thread;
        private volatile RuntimeException failure;

        ReadAhead(Iterator<String> lines) {
            thread = new Thread(() -> {
                try {
                    List<Read> chunk = new ArrayList<>(CHUNK);
                    while (lines.hasNext()) {
                        String line = lines.next();
                        if (line.isBlank()) continue;
                        TriggerEvent e;
                        try {
                            e = services.read(line);
                        } catch (BadInputException refused) {
                            e = null;
                        }
                        chunk.add(new Read(line, e));
                        if (chunk.size() == CHUNK) {
                            chunks.put(chunk);
                            chunk = new ArrayList<>(CHUNK);
                        }
                    }
                    if (!chunk.isEmpty()) chunks.put(chunk);
                } catch (InterruptedException stopped) {
                    return;
                } catch (RuntimeException e) {
                    failure = e;
                }
                try {
                    chunks.put(END);
                } catch (InterruptedException stopped) {
                    // the replay has ended
                }
            }, "backtest-read-ahead");
            thread.setDaemon(true);
            thread.start();
        }

        /** The next chunk, or null at the end. */
        List<Read> next() throws InterruptedException {
            List<Read> c = chunks.take();
            if (c == END) {
                if (failure != null) throw failure;
                return null;
            }
            return c;
        }

        void stop() {
            thread.interrupt();
        }
    }

    private static Instant earliest(Instant... times) {
        Instant out = null;
        for (Instant t : times) if (t != null && (out == null || t.isBefore(out))) out = t;
        return out;
    }

}
