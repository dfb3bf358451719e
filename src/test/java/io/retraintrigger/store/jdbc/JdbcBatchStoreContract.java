package io.retraintrigger.store.jdbc;

import io.retraintrigger.store.Arrival;
import io.retraintrigger.store.BatchStoreContract;
import io.retraintrigger.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch store contract, and what the JDBC adapter's group commit adds to it. */
abstract class JdbcBatchStoreContract extends BatchStoreContract {

    /**
     * Deliveries that arrive together are committed in one transaction; one of them that the database refuses
     * (an object URI over the column's 4096 characters) fails alone: the others are recorded, each once.
     */
    @Test
    void aRefusedDeliveryInAGroupFailsAloneAndTheOthersAreRecorded() throws Exception {
        String p = uniq("group");
        int deliveries = 16;
        int bad = 7;
        for (int round = 0; round < 5; round++) {
            ExecutorService pool = Executors.newFixedThreadPool(deliveries);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> results = new ArrayList<>();
                for (int i = 0; i < deliveries; i++) {
                    Arrival a = i == bad
                            ? new Arrival(p + "-" + round + "-" + i, p, "s3://bucket/" + "x".repeat(5000), 10, 1_000_000, WINDOW)
                            : arrival(p, p + "-" + round + "-" + i, 1_000_000);
                    results.add(pool.submit(() -> {
                        go.await();
                        return store.append(List.of(a), T);
                    }));
                }
                go.countDown();
                for (int i = 0; i < deliveries; i++) {
                    Future<?> f = results.get(i);
                    if (i == bad) {
                        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> f.get(60, TimeUnit.SECONDS));
                        assertInstanceOf(StoreException.class, e.getCause(), String.valueOf(e));
                    } else {
                        assertTrue(f.get(60, TimeUnit.SECONDS) != null);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(5 * (deliveries - 1), store.open(p).orElseThrow().count(), "every good delivery recorded once, the bad one not");
    }
}
