package io.retraintrigger.store;

import io.retraintrigger.model.BatchItem;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.OpenBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link BatchStore} adapter passes (H2, PostgreSQL, DynamoDB on dynalite). A
 * subclass supplies {@link #newStore(Duration)}; stores of one subclass may share one database, so
 * every test uses its own pipelines and keys.
 */
public abstract class BatchStoreContract {
    protected static final Instant T = Instant.parse("2025-03-10T12:00:00Z");
    protected static final Duration WINDOW = Duration.ofMinutes(10);
    protected static final Duration LEASE = Duration.ofSeconds(30);

    protected BatchStore store;

    /** A store on the adapter's (migrated or created) database; {@code lease} is a closer's time to decide. */
    protected abstract BatchStore newStore(Duration lease);

    @BeforeEach
    void openStore() {
        store = newStore(LEASE);
    }

    protected static String uniq(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    protected static Arrival arrival(String pipeline, String key, int size) {
        return new Arrival(key, pipeline, "s3://bucket/" + key, 10, size, WINDOW);
    }

    /** Every item of a closed batch, paged as a reader would. */
    protected List<BatchItem> allItems(String batchId) {
        List<BatchItem> out = new ArrayList<>();
        long from = 1;
        while (true) {
            List<BatchItem> page = store.items(batchId, from, 7);
            if (page.isEmpty()) return out;
            out.addAll(page);
            from = page.get(page.size() - 1).slot() + 1;
        }
    }

    @Test
    void theFirstArrivalOpensABatchWithItsWindow() {
        String p = uniq("open");
        AppendResult r = store.append(List.of(arrival(p, uniq("k"), 100), arrival(p, uniq("k"), 100)), T);
        assertEquals(Set.of(), r.duplicates());
        assertEquals(List.of(), r.closed());
        OpenBatch b = store.open(p).orElseThrow();
        assertEquals(2, b.count());
        assertEquals(20, b.totalBytes());
        assertEquals(T, b.openedAt());
        assertEquals(T.plus(WINDOW), b.closesAt());
        // later arrivals do not move the window: it runs from the first event
        store.append(List.of(arrival(p, uniq("k"), 100)), T.plusSeconds(60));
        assertEquals(T.plus(WINDOW), store.open(p).orElseThrow().closesAt());
        assertEquals(3, store.open(p).orElseThrow().count());
        assertTrue(store.open(uniq("none")).isEmpty());
    }

    @Test
    void aKeyIsRecordedOnceWhetherRepeatedInOneDeliveryOrInALaterOne() {
        String p = uniq("dedup");
        String k = uniq("k");
        AppendResult first = store.append(List.of(arrival(p, k, 100), arrival(p, k, 100)), T);
        assertEquals(Set.of(k), first.duplicates());
        AppendResult again = store.append(List.of(arrival(p, k, 100)), T.plusSeconds(1));
        assertEquals(Set.of(k), again.duplicates());
        assertEquals(1, store.open(p).orElseThrow().count());
    }

    @Test
    void aBatchClosesAtItsSizeAndTheNextArrivalOpensTheNext() {
        String p = uniq("size");
        List<Arrival> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) five.add(arrival(p, p + "-k" + i, 3));
        AppendResult r = store.append(five, T);
        assertEquals(1, r.closed().size());
        ClosedBatch b = r.closed().get(0);
        assertEquals(ClosedBatch.SIZE, b.reason());
        assertEquals(3, b.count());
        assertEquals(30, b.totalBytes());
        assertEquals(List.of("s3://bucket/" + p + "-k0", "s3://bucket/" + p + "-k1", "s3://bucket/" + p + "-k2"), b.preview());
        assertEquals(List.of(p + "-k0", p + "-k1", p + "-k2"), allItems(b.id()).stream().map(BatchItem::eventKey).toList());
        OpenBatch next = store.open(p).orElseThrow();
        assertEquals(2, next.count());
        assertTrue(next.seq() > b.seq());
        // the closed batch is the closer's to decide: nobody else may claim it before the lease ends
        assertTrue(store.claimUndecided(T.plusSeconds(1), LEASE, 100).stream().noneMatch(c -> c.batch().id().equals(b.id())));
        assertEquals(b.id(), store.closed(b.id()).orElseThrow().id());
    }

    @Test
    void aBatchClosesOnceAndOnlyAsTheBatchItWasReadAs() {
        String p = uniq("close");
        store.append(List.of(arrival(p, uniq("k"), 100)), T);
        OpenBatch open = store.open(p).orElseThrow();
        assertTrue(store.close(p, open.seq() + 1, ClosedBatch.WINDOW, T.plus(WINDOW)).isEmpty(), "not the open batch");
        ClosedBatch closed = store.close(p, open.seq(), ClosedBatch.WINDOW, T.plus(WINDOW)).orElseThrow();
        assertEquals(1, closed.count());
        assertEquals(ClosedBatch.WINDOW, closed.reason());
        assertEquals(T, closed.openedAt());
        assertTrue(store.close(p, open.seq(), ClosedBatch.WINDOW, T.plus(WINDOW)).isEmpty(), "closed already");
        assertTrue(store.open(p).isEmpty());
        store.append(List.of(arrival(p, uniq("k"), 100)), T.plus(WINDOW));
        assertTrue(store.open(p).orElseThrow().seq() > closed.seq());
    }

    @Test
    void expiredListsTheBatchesWhoseWindowEnded() {
        String p = uniq("expired");
        store.append(List.of(arrival(p, uniq("k"), 100)), T);
        assertTrue(store.expired(T.plus(WINDOW).minusSeconds(1), 1000).stream().noneMatch(b -> b.pipeline().equals(p)));
        assertTrue(store.expired(T.plus(WINDOW), 1000).stream().anyMatch(b -> b.pipeline().equals(p)));
    }

    @Test
    void anUndecidedBatchIsClaimedByOneAtATimeUntilMarkedDecided() throws Exception {
        String p = uniq("claim");
        store.append(List.of(arrival(p, uniq("k"), 1)), T);
        // the closer of the batch died: after its lease the batch is claimable, by exactly one of several claimants
        Instant later = T.plus(LEASE).plusSeconds(1);
        List<BatchStore> claimants = List.of(newStore(LEASE), newStore(LEASE), newStore(LEASE), newStore(LEASE));
        ExecutorService pool = Executors.newFixedThreadPool(claimants.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<BatchStore.Claimed>>> futures = new ArrayList<>();
            for (BatchStore s : claimants) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return s.claimUndecided(later, LEASE, 1000);
                }));
            }
            go.countDown();
            int claims = 0;
            for (Future<List<BatchStore.Claimed>> f : futures) {
                claims += (int) f.get(30, TimeUnit.SECONDS).stream().filter(c -> c.batch().pipeline().equals(p)).count();
            }
            assertEquals(1, claims);
        } finally {
            pool.shutdownNow();
        }
        // within the new lease nobody else gets it; after it, it comes back, with its attempts counted
        assertTrue(store.claimUndecided(later.plusSeconds(1), LEASE, 1000).stream().noneMatch(c -> c.batch().pipeline().equals(p)));
        BatchStore.Claimed again = store.claimUndecided(later.plus(LEASE).plusSeconds(1), LEASE, 1000).stream()
                .filter(c -> c.batch().pipeline().equals(p)).findFirst().orElseThrow();
        assertEquals(3, again.attempts());
        store.markDecided(again.batch().id());
        store.markDecided(again.batch().id());
        assertTrue(store.claimUndecided(later.plus(LEASE.multipliedBy(10)), LEASE, 1000).stream()
                .noneMatch(c -> c.batch().pipeline().equals(p)));
    }

    @Test
    void purgingForgetsDecidedBatchesWithTheirKeys() {
        String p = uniq("purge");
        String k = uniq("k");
        ClosedBatch b = store.append(List.of(arrival(p, k, 1)), T).closed().get(0);
        // other tests' batches may share the database: assert on this one only
        store.purgeDecided(T.plus(Duration.ofDays(1)));
        assertTrue(store.closed(b.id()).isPresent(), "an undecided batch is kept");
        assertEquals(Set.of(k), store.append(List.of(arrival(p, k, 1)), T.plusSeconds(1)).duplicates());
        store.markDecided(b.id());
        assertTrue(store.purgeDecided(T.plus(Duration.ofDays(1))) >= 1);
        assertTrue(store.closed(b.id()).isEmpty());
        assertEquals(List.of(), store.items(b.id(), 1, 10));
        assertEquals(Set.of(), store.append(List.of(arrival(p, k, 1)), T.plus(Duration.ofDays(1))).duplicates(),
                "its key was forgotten with it");
    }

    /**
     * Eight writers append into one pipeline (with duplicate deliveries of each other's keys) while size
     * completions fire inside the appends and a ninth thread closes whatever batch is open, as window
     * completions do. At the end every key is in exactly one batch: none lost, none in two.
     */
    @Test
    void eightWritersAgainstSizeAndWindowCompletionsLoseAndDoubleNothing() throws Exception {
        String p = uniq("race");
        int writers = 8;
        int perWriter = raceEventsPerWriter();
        int size = 37;
        List<BatchStore> stores = new ArrayList<>();
        for (int i = 0; i <= writers; i++) stores.add(newStore(LEASE));
        ConcurrentLinkedQueue<ClosedBatch> closed = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                BatchStore s = stores.get(w);
                int writer = w;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perWriter; i += 3) {
                        List<Arrival> delivery = new ArrayList<>();
                        for (int j = i; j < Math.min(perWriter, i + 3); j++) delivery.add(arrival(p, p + "-" + writer + "-" + j, size));
                        // a redelivery of a key of the neighbour writer (it may or may not be recorded yet)
                        delivery.add(arrival(p, p + "-" + ((writer + 1) % writers) + "-" + i, size));
                        closed.addAll(s.append(delivery, T).closed());
                    }
                    return null;
                }));
            }
            BatchStore closer = stores.get(writers);
            Future<?> windows = pool.submit(() -> {
                go.await();
                while (!done.get()) {
                    closer.open(p).flatMap(b -> closer.close(p, b.seq(), ClosedBatch.WINDOW, T)).ifPresent(closed::add);
                }
                return null;
            });
            go.countDown();
            for (Future<?> f : futures) f.get(5, TimeUnit.MINUTES);
            done.set(true);
            windows.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        store.open(p).flatMap(b -> store.close(p, b.seq(), ClosedBatch.WINDOW, T)).ifPresent(closed::add);

        Set<String> batchIds = new HashSet<>();
        for (ClosedBatch b : closed) assertTrue(batchIds.add(b.id()), "batch " + b.id() + " closed twice");
        assertEachKeyInOneBatch(closed, p, writers, perWriter, size);
        assertFalse(closed.isEmpty());
    }

    /**
     * The keys {@code p-W-J} (W below {@code writers}, J below {@code perWriter}) are each in exactly one of the
     * batches, whose counts are their items and at most {@code size}; and the batches hold no other key.
     */
    protected Map<String, String> assertEachKeyInOneBatch(Collection<ClosedBatch> batches, String p, int writers, int perWriter, int size) {
        Map<String, String> batchOfKey = new HashMap<>();
        List<String> doubled = new ArrayList<>();
        for (ClosedBatch b : batches) {
            List<BatchItem> items = allItems(b.id());
            assertEquals(b.count(), items.size(), "count of batch " + b.id());
            assertTrue(b.count() <= size, "batch " + b.id() + " over its size: " + b.count());
            for (BatchItem i : items) {
                String before = batchOfKey.put(i.eventKey(), b.id());
                if (before != null) doubled.add(i.eventKey() + " in " + before + " and " + b.id());
            }
        }
        assertEquals(List.of(), doubled);
        List<String> lost = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            for (int j = 0; j < perWriter; j++) {
                if (!batchOfKey.containsKey(p + "-" + w + "-" + j)) lost.add(p + "-" + w + "-" + j);
            }
        }
        Collections.sort(lost);
        assertEquals(List.of(), lost);
        assertEquals(writers * perWriter, batchOfKey.size(), "nothing but the keys appended");
        return batchOfKey;
    }

    /** Events per writer of the race; a slow emulator may take fewer. */
    protected int raceEventsPerWriter() {
        return 150;
    }

    /** Arrivals of several pipelines in one delivery are recorded together. */
    @Test
    void oneDeliveryMayCarrySeveralPipelines() {
        String a = uniq("multi-a");
        String b = uniq("multi-b");
        AppendResult r = store.append(List.of(arrival(a, uniq("k"), 1), arrival(b, uniq("k"), 100), arrival(a, uniq("k"), 1)), T);
        assertEquals(2, r.closed().size());
        assertEquals(Optional.of(1), store.open(b).map(OpenBatch::count));
    }
}
