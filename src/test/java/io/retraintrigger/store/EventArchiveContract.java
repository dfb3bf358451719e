package io.retraintrigger.store;

import io.retraintrigger.model.Cloud;
import io.retraintrigger.model.EventKeys;
import io.retraintrigger.model.EventKind;
import io.retraintrigger.model.FeatureScore;
import io.retraintrigger.model.TriggerEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link EventArchive} adapter passes (H2, PostgreSQL, dynalite), a nested class of each
 * store's test. Every test works in a time range of its own, drawn at random far from the others' (the
 * archive is shared by the tests of one store), so that an export sees only that test's events; the
 * purge test's range is the earliest of all, as a purge takes everything before its cutoff.
 */
public abstract class EventArchiveContract {
    protected EventArchive archive;

    /** An archive on the adapter's backing database (already migrated / created). Called before each test. */
    protected abstract EventArchive newArchive();

    @BeforeEach
    void openArchive() {
        archive = newArchive();
    }

    /** The start of a range of some days no other test uses: a random day of the years 2200 to 2999, at a random second. */
    private static Instant range() {
        long day = ThreadLocalRandom.current().nextLong(0, 800L * 365);
        return Instant.parse("2200-01-01T00:00:00Z").plus(Duration.ofDays(day)).plusSeconds(ThreadLocalRandom.current().nextLong(0, 86_400));
    }

    private static String id(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private static TriggerEvent data(String id, Instant at) {
        return TriggerEvent.dataArrival(id, Cloud.AWS, "aws:s3", "fraud", at, "s3://bucket/in/" + id + ".parquet", 1024);
    }

    private List<TriggerEvent> exported(Instant from, Instant to) {
        List<TriggerEvent> out = new ArrayList<>();
        archive.export(from, to, out::add);
        return out;
    }

    /** Export order: time, then key (the tests' keys are ASCII of one shape, ordered alike by every store). */
    private static final Comparator<TriggerEvent> ORDER = Comparator.comparing(TriggerEvent::occurredAt).thenComparing(EventKeys::of);

    private static List<TriggerEvent> sorted(List<TriggerEvent> events) {
        List<TriggerEvent> out = new ArrayList<>(events);
        out.sort(ORDER);
        return out;
    }

    @Test
    void everyKindIsReadBackExactly() {
        Instant t = range();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("alarm", "fraud-amount-drift");
        attributes.put("state", "OK");
        attributes.put("reason", "Threshold Crossed: 1 datapoint [0.02 (10/03/26 12:00:00)] was not greater than 0.3 \"quoted\"\nnext line");
        List<TriggerEvent> events = List.of(
                TriggerEvent.dataArrival(id("data"), Cloud.AWS, "aws:s3", "fraud", t.plusNanos(123_456_789), "s3://bucket/in/Grüße 東京.parquet", 5_000_000_000L),
                TriggerEvent.driftAlert(id("drift"), Cloud.GCP, "//monitoring.googleapis.com", "churn", t.plusSeconds(1),
                        List.of(new FeatureScore("amount", 0.42), new FeatureScore("âge", 1.0E-7), new FeatureScore("zero", 0)), "vertex-endpoint:42")
                        .withEvidence("report gs://b/r.json"),
                TriggerEvent.scheduleTick(id("tick"), Cloud.LOCAL, "quartz", "fraud", t.plusSeconds(2)),
                TriggerEvent.alertResolved(id("resolved"), Cloud.AZURE, "/subscriptions/s/alerts", "fraud", t.plusSeconds(3), "fraud-monitor", attributes),
                TriggerEvent.launchStatus(id("status"), Cloud.AWS, "aws.sagemaker", t.plusSeconds(4),
                        Map.of(TriggerEvent.EXECUTION_ID, "arn:aws:sagemaker:eu-west-1:1:pipeline/p/execution/x", TriggerEvent.EXECUTION_STATUS, "Succeeded")),
                TriggerEvent.ignored(id("ignored"), Cloud.AWS, "aws:s3", t.plusSeconds(5), "s3:TestEvent"),
                new TriggerEvent(id("nulls"), EventKind.DATA_ARRIVAL, Cloud.AWS, null, null, t.plusSeconds(6), null, 0, null, null, null));
        archive.keep(events);
        assertEquals(events, exported(t, t.plusSeconds(7)));
        for (EventKind kind : EventKind.values()) {
            assertTrue(events.stream().anyMatch(e -> e.kind() == kind), "every kind is kept: " + kind);
        }
    }

    @Test
    void anExportIsInTimeOrderThenKeyOrderWhateverTheOrderOfKeeping() {
        Instant t = range();
        List<TriggerEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // four events share each time; times out of order; some a nanosecond apart
            events.add(data("order-" + String.format("%03d", (i * 7) % 40) + "-" + UUID.randomUUID().toString().substring(0, 8),
                    t.plusMillis((i % 10) * 250L).plusNanos(i % 3 == 0 ? 1 : 0)));
        }
        Collections.shuffle(events, new Random(7));
        archive.keep(events.subList(0, 15));
        archive.keep(events.subList(15, 16));
        archive.keep(events.subList(16, 40));
        assertEquals(sorted(events), exported(t, t.plusSeconds(3)));
    }

    @Test
    void aRangeTakesItsStartAndLeavesOutItsEndToTheNanosecond() {
        Instant from = range();
        Instant to = from.plus(Duration.ofHours(30)); // over a day's end: the DynamoDB adapter's buckets are days
        TriggerEvent before = data(id("before"), from.minusNanos(1));
        TriggerEvent first = data(id("first"), from);
        TriggerEvent nextDay = data(id("next-day"), from.plus(Duration.ofHours(26)));
        TriggerEvent last = data(id("last"), to.minusNanos(1));
        TriggerEvent atEnd = data(id("at-end"), to);
        TriggerEvent after = data(id("after"), to.plusSeconds(1));
        archive.keep(List.of(atEnd, before, last, first, after, nextDay));
        assertEquals(List.of(first, nextDay, last), exported(from, to));
        assertEquals(List.of(before), exported(from.minusSeconds(60), from));
        assertEquals(List.of(atEnd, after), exported(to, to.plusSeconds(2)));
        assertEquals(List.of(), exported(to, to), "an empty range");
        assertEquals(List.of(), exported(to, from), "a range the wrong way round");
    }

    @Test
    void keepingAKeptKeyChangesNothing() {
        Instant t = range();
        TriggerEvent a = data(id("once"), t);
        TriggerEvent b = data(id("other"), t.plusSeconds(1));
        archive.keep(List.of(a, b));
        archive.keep(List.of(a));
        // the same key (cloud and id) with other contents and another time: the first one kept stays
        TriggerEvent changed = TriggerEvent.dataArrival(a.id(), Cloud.AWS, "elsewhere", "other", t.plusSeconds(2), "s3://bucket/changed", 9);
        archive.keep(List.of(changed, b));
        // twice in one list: the first of the list
        TriggerEvent c = data(id("twice"), t.plusSeconds(3));
        archive.keep(List.of(c, c.at(t.plusSeconds(4))));
        // another cloud's event of the same id is another event
        TriggerEvent gcp = TriggerEvent.dataArrival(a.id(), Cloud.GCP, "gcs", "fraud", t.plusSeconds(5), "gs://bucket/x", 1);
        archive.keep(List.of(gcp));
        assertEquals(List.of(a, b, c, gcp), exported(t, t.plusSeconds(10)));
        archive.keep(List.of());
        assertEquals(4, exported(t, t.plusSeconds(10)).size());
    }

    @Test
    void eightKeepersRacingOverTheSameEventsKeepEachOnce() throws Exception {
        Instant t = range();
        List<TriggerEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) events.add(data("race-" + String.format("%04d", i) + "-" + UUID.randomUUID().toString().substring(0, 6), t.plusMillis(i)));
        for (int round = 0; round < 3; round++) {
            List<TriggerEvent> batch = events.subList(round * 50, round * 50 + 100);
            // each keeper in an order of its own
            StateContractFixtures.runConcurrently(8, i -> {
                List<TriggerEvent> mine = new ArrayList<>(batch);
                Collections.shuffle(mine, new Random(i));
                archive.keep(mine);
                return null;
            });
        }
        List<TriggerEvent> out = exported(t, t.plusSeconds(1));
        assertEquals(events.subList(0, 200), out, "each event once, in order");
        assertEquals(200, new HashSet<>(out).size());
    }

    @Test
    void purgeForgetsWhatOccurredBeforeItsCutoff() {
        // the earliest range of the contract: the purges below take every event before their cutoff
        Instant t = Instant.parse("1990-01-01T00:00:00Z").plus(Duration.ofDays(ThreadLocalRandom.current().nextLong(0, 3650)));
        List<TriggerEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) events.add(data(id("purge-" + i), t.plus(Duration.ofHours(4L * i)))); // five days
        archive.keep(events);
        Instant cutoff = t.plus(Duration.ofHours(4L * 20));
        assertEquals(20, archive.purge(cutoff), "the events before the cutoff (those of other tests are later)");
        assertEquals(events.subList(20, 30), exported(t.minus(Duration.ofDays(1)), t.plus(Duration.ofDays(6))));
        assertEquals(0, archive.purge(cutoff), "nothing left to purge");
        // a kept event that was purged may be kept again
        archive.keep(List.of(events.get(0)));
        assertEquals(events.get(0), exported(t, t.plusSeconds(1)).get(0));
        assertEquals(1, archive.purge(cutoff));
        assertEquals(10, archive.purge(t.plus(Duration.ofDays(7))));
        assertEquals(List.of(), exported(t.minus(Duration.ofDays(1)), t.plus(Duration.ofDays(6))));
    }

    @Test
    void aPageHoldsAtMostItsLimitAndTheNextOneGoesOnAfterIt() {
        Instant t = range();
        List<TriggerEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) events.add(data("page-" + String.format("%02d", i), t.plusSeconds(i / 2)));
        archive.keep(events);
        List<TriggerEvent> read = new ArrayList<>();
        EventArchive.Position after = null;
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            assertTrue(sizes.size() < 10, "pages go on after their last event: " + sizes);
            List<TriggerEvent> page = archive.page(t, t.plusSeconds(60), after, 7);
            sizes.add(page.size());
            read.addAll(page);
            if (page.size() < 7) break;
            after = EventArchive.Position.of(page.get(page.size() - 1));
        }
        assertEquals(List.of(7, 7, 7, 4), sizes);
        assertEquals(sorted(events), read);
        assertEquals(List.of(), archive.page(t, t.plusSeconds(60), EventArchive.Position.of(read.get(24)), 7));
        assertEquals(List.of(), archive.page(t, t.plusSeconds(60), null, 0));
    }

    /** A NUL in an id (a CloudEvent's JSON may hold one, escaped; PostgreSQL text may not): kept and read back, once. */
    @Test
    void anIdWithANulIsKeptOnce() {
        Instant t = range();
        TriggerEvent nul = TriggerEvent.scheduleTick(id("nul") + "\u0000x", Cloud.LOCAL, "quartz\u0000", "fraud", t);
        archive.keep(List.of(nul));
        archive.keep(List.of(nul.at(t.plusSeconds(1))));
        assertEquals(List.of(nul), exported(t, t.plusSeconds(2)));
    }

    @Test
    void anEventWithoutATimeIsRefused() {
        TriggerEvent timeless = new TriggerEvent(id("timeless"), EventKind.SCHEDULE_TICK, Cloud.LOCAL, "quartz", "fraud", null, null, 0, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> archive.keep(List.of(timeless)));
    }

    /**
     * 20,000 events over three days, kept in deliveries of up to 5,000: exported each once in order, handed
     * out page by page (never more than a page read at once).
     */
    @Test
    void twentyThousandEventsAreExportedInOrderPageByPage() {
        Instant t = range();
        int n = 20_000;
        List<TriggerEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(data("volume-" + String.format("%05d", (i * 7919) % n), t.plusSeconds(26L * (i / 2)))); // pairs share a time
        }
        List<TriggerEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(11));
        for (int from = 0; from < n; ) {
            int size = from == 0 ? 5_000 : 1_000;
            archive.keep(shuffled.subList(from, Math.min(n, from + size)));
            from += size;
        }
        AtomicInteger pages = new AtomicInteger();
        AtomicInteger largest = new AtomicInteger();
        EventArchive counting = new EventArchive() {
            @Override
            public void keep(List<TriggerEvent> kept) {
                archive.keep(kept);
            }

            @Override
            public List<TriggerEvent> page(Instant from, Instant to, Position after, int limit) {
                if (pages.incrementAndGet() > n / EventArchive.PAGE + 5) throw new AssertionError("pages do not go on after their last event");
                List<TriggerEvent> page = archive.page(from, to, after, limit);
                largest.accumulateAndGet(page.size(), Math::max);
                return page;
            }

            @Override
            public int purge(Instant before) {
                return archive.purge(before);
            }
        };
        List<TriggerEvent> out = new ArrayList<>(n);
        Set<String> keys = new HashSet<>();
        counting.export(t, t.plus(Duration.ofDays(4)), e -> {
            out.add(e);
            keys.add(EventKeys.of(e));
        });
        assertEquals(n, out.size());
        assertEquals(n, keys.size(), "each once");
        assertEquals(sorted(events), out, "in order");
        assertEquals(EventArchive.PAGE, largest.get(), "pages of at most " + EventArchive.PAGE);
        assertEquals(n / EventArchive.PAGE + 1, pages.get());
    }
}
