package io.retraintrigger.ingest;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retraintrigger.batch.Batches;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.BatchStore;
import io.retraintrigger.store.EventArchive;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.jdbc.JdbcBatchStore;
import io.retraintrigger.store.jdbc.JdbcDeadLetterStore;
import io.retraintrigger.store.jdbc.JdbcDecisionLog;
import io.retraintrigger.store.jdbc.JdbcEventArchive;
import io.retraintrigger.store.jdbc.JdbcPool;
import io.retraintrigger.store.jdbc.JdbcSignalTimes;
import io.retraintrigger.store.jdbc.JdbcAuditMarks;
import io.retraintrigger.watch.SignalWatch;
import io.retraintrigger.backtest.SimulatedClock;
import io.retraintrigger.testing.TestConfig;
import io.retraintrigger.wiring.Producers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event history and the intake that keeps its events, without Quarkus, on H2: what is kept (and
 * what not), when (before the data are recorded, once per delivery or receive), for how long.
 */
class EventHistoryTest {
    private static final Instant START = Instant.parse("2026-03-10T12:00:00Z");
    private static final String SOURCE = "test";

    private static AgroalDataSource dataSource;

    /** The now of one test: a day of its own (the tests share a database), which the export of its events sees alone. */
    private Instant now;
    private SimulatedClock clock;
    /** Each keep the archive was asked for: the events of one store step. */
    private final List<List<TriggerEvent>> keeps = new ArrayList<>();
    private EventArchive archive;
    private final AtomicBoolean batchStoreDown = new AtomicBoolean();

    @BeforeAll
    static void openDatabase() throws Exception {
        dataSource = JdbcPool.open("jdbc:h2:mem:event_history_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", null, null, 4);
        Producers.migrate(dataSource);
    }

    @AfterAll
    static void closeDatabase() {
        if (dataSource != null) dataSource.close();
    }

    @BeforeEach
    void setUp() {
        now = START.plus(Duration.ofDays(java.util.concurrent.ThreadLocalRandom.current().nextLong(0, 1_000_000)));
        clock = new SimulatedClock(now);
        keeps.clear();
        batchStoreDown.set(false);
        EventArchive jdbc = new JdbcEventArchive(dataSource);
        archive = new EventArchive() {
            @Override
            public void keep(List<TriggerEvent> events) {
                keeps.add(List.copyOf(events));
                jdbc.keep(events);
            }

            @Override
            public List<TriggerEvent> page(Instant from, Instant to, Position after, int limit) {
                return jdbc.page(from, to, after, limit);
            }

            @Override
            public int purge(Instant before) {
                return jdbc.purge(before);
            }
        };
    }

    private static String id(String what) {
        return what + "-" + UUID.randomUUID();
    }

    private EventHistory history(Duration retention) {
        return new EventHistory(archive, retention, clock);
    }

    private List<TriggerEvent> exported(EventHistory history, Instant from, Instant to) {
        List<TriggerEvent> out = new ArrayList<>();
        history.events(from, to).forEachRemaining(out::add);
        return out;
    }

    private static TriggerEvent data(String pipeline, Instant at) {
        String id = id("data");
        return TriggerEvent.dataArrival(id, Cloud.AWS, "aws:s3", pipeline, at, "s3://bucket/" + pipeline + "/" + id + ".parquet", 10);
    }

    // ---- the history alone -------------------------------------------------------------------------

    @Test
    void theRetentionDefaultsTo90DaysAndANegativeOneIsRefusedByName() {
        RetrainConfig config = TestConfig.retrainConfig(Map.of());
        assertEquals(Duration.ofDays(90), new EventHistory(archive, config, clock).retention());
        ConfigurationError e = assertThrows(ConfigurationError.class,
                () -> new EventHistory(archive, TestConfig.retrainConfig(Map.of("retrain.events.retention", "-1d")), clock));
        assertTrue(e.getMessage().startsWith("invalid configuration retrain.events.retention:"), e.getMessage());
        assertThrows(ConfigurationError.class, () -> history(Duration.ofSeconds(-1)));
    }

    @Test
    void aRetentionOf0sKeepsNothing() {
        EventHistory none = history(Duration.ZERO);
        TriggerEvent e = data("fraud", now);
        none.keep(List.of(e));
        assertEquals(List.of(), keeps, "no store step at all");
        assertFalse(exported(history(Duration.ofDays(1)), now.minusSeconds(1), now.plusSeconds(1)).contains(e));
    }

    @Test
    void anEventOlderThanTheRetentionIsNotKeptAndOneOutsideTheYears0To9999Neither() {
        EventHistory h = history(Duration.ofDays(90));
        TriggerEvent old = data("fraud", now.minus(Duration.ofDays(90)).minusNanos(1));
        TriggerEvent oldest = data("fraud", now.minus(Duration.ofDays(90)));
        TriggerEvent future = data("fraud", Instant.parse("+10000-01-01T00:00:00Z"));
        h.keep(List.of(old, oldest, future));
        assertEquals(List.of(List.of(oldest)), keeps);
        h.keep(List.of(old));
        assertEquals(1, keeps.size(), "nothing to keep: no store step");
    }

    @Test
    void thePurgeForgetsWhatOccurredBeforeNowMinusTheRetention() {
        EventHistory h = history(Duration.ofDays(2));
        TriggerEvent early = data("fraud", now.minus(Duration.ofDays(1)));
        TriggerEvent late = data("fraud", now);
        h.keep(List.of(early, late));
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertTrue(h.purge() >= 1);
        assertEquals(List.of(late), exported(h, now.minus(Duration.ofDays(3)), now.plusSeconds(1)));
    }

    @Test
    void eventsAreReadPageByPageInTimeOrder() {
        EventHistory h = history(Duration.ofDays(1));
        List<TriggerEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) events.add(data("paged", now.minusSeconds(2_000).plusSeconds(i)));
        h.keep(events);
        Iterator<TriggerEvent> it = h.events(now.minusSeconds(2_000), now.minusSeconds(766));
        List<TriggerEvent> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        assertEquals(events, out);
        assertFalse(it.hasNext());
    }

    // ---- the intake keeps the events of each delivery ------------------------------------------------

    /** An intake on H2 whose source {@value #SOURCE} delivers the events of its test, a message a list. */
    private Intake intake(EventHistory history, Map<String, List<TriggerEvent>> messages) {
        RetrainConfig config = TestConfig.retrainConfig(Map.of("retrain.pipelines.kept.data-sources", "s3://bucket/kept/"));
        PipelineRegistry pipelines = new PipelineRegistry(config);
        RetrainMetrics metrics = new RetrainMetrics(new SimpleMeterRegistry());
        BatchStore store = new JdbcBatchStore(dataSource, Duration.ofSeconds(30));
        BatchStore flaky = (BatchStore) Proxy.newProxyInstance(BatchStore.class.getClassLoader(), new Class<?>[]{BatchStore.class}, (p, m, args) -> {
            if (m.getName().equals("append") && batchStoreDown.get()) throw new StoreException("state store: down");
            try {
                return m.invoke(store, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        });
        DeliveryParser parser = new DeliveryParser() {
            @Override
            public String source() {
                return SOURCE;
            }

            @Override
            public List<TriggerEvent> parse(byte[] body, Map<String, Object> headers) {
                List<TriggerEvent> events = messages.get(new String(body, StandardCharsets.UTF_8));
                if (events == null) throw new BadInputException(400, "unreadable");
                return events;
            }
        };
        return new Intake(List.of(parser), new PipelineMatcher(pipelines), new Batches(flaky, pipelines, clock, config),
                new JdbcDecisionLog(dataSource), new DeadLetters(new JdbcDeadLetterStore(dataSource), metrics, clock, config), metrics,
                new SignalWatch(pipelines, new JdbcSignalTimes(dataSource), new JdbcDecisionLog(dataSource), new JdbcAuditMarks(dataSource), metrics, clock, config),
                clock, history);
    }

    private static Received message(String name) {
        return new Received(name, name.getBytes(StandardCharsets.UTF_8), Map.of("MessageId", name));
    }

    @Test
    void aReceiveKeepsItsAcceptedEventsInOneStepLeavingOutLaunchStatusesAndIgnoredOnes() {
        EventHistory h = history(Duration.ofDays(90));
        TriggerEvent d1 = data("kept", now.minusSeconds(3));
        TriggerEvent d2 = data("kept", now.minusSeconds(2));
        TriggerEvent ignored = TriggerEvent.ignored(id("ignored"), Cloud.AWS, "aws:s3", now, "s3:TestEvent");
        TriggerEvent drift = TriggerEvent.driftAlert(id("drift"), Cloud.AWS, "aws:cloudwatch", "kept", now.minusSeconds(1),
                List.of(new FeatureScore("amount", 0.05)), null);
        TriggerEvent status = TriggerEvent.launchStatus(id("status"), Cloud.AWS, "aws:sagemaker", now,
                Map.of(TriggerEvent.EXECUTION_ID, "arn:x", TriggerEvent.EXECUTION_STATUS, "Executing"));
        Intake intake = intake(h, Map.of("m1", List.of(d1, ignored, d2), "m2", List.of(drift), "m3", List.of(status), "m4", List.of(ignored)));

        intake.recordReceive(SOURCE, List.of(message("m1"), message("m2"), message("m3"), message("m4"), message("unreadable")));

        assertEquals(List.of(List.of(d1, d2, drift)), keeps, "one store step, the accepted events of every message");
        assertEquals(List.of(d1, d2, drift), exported(h, now.minusSeconds(10), now.plusSeconds(1)));
    }

    @Test
    void theEventsAreKeptBeforeTheirDataAreRecordedSoThatARedeliveryAfterAFailureLosesNothing() {
        EventHistory h = history(Duration.ofDays(90));
        TriggerEvent d1 = data("kept", now.minusSeconds(5));
        TriggerEvent tick = TriggerEvent.scheduleTick(id("tick"), Cloud.LOCAL, "quartz", "kept", now.minusSeconds(4));
        Intake intake = intake(h, Map.of());

        batchStoreDown.set(true);
        assertThrows(StoreException.class, () -> intake.record(List.of(d1, tick)));
        assertEquals(List.of(List.of(d1, tick)), keeps, "kept before the batch append failed");
        assertEquals(List.of(d1, tick), exported(h, now.minusSeconds(10), now));

        // the redelivery: kept again (nothing changes), and recorded this time
        batchStoreDown.set(false);
        Delivery d = intake.record(List.of(d1.at(now), tick));
        assertEquals(2, keeps.size());
        assertEquals(List.of(d1, tick), exported(h, now.minusSeconds(10), now.plusSeconds(1)), "each once, as first kept");
        assertEquals(List.of(tick), d.signals());
        // and a third delivery is a duplicate, still kept once
        assertTrue(intake.record(List.of(d1)).duplicates().contains(d1.id()));
        assertEquals(List.of(d1, tick), exported(h, now.minusSeconds(10), now.plusSeconds(1)));
    }
}
