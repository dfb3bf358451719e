package io.retraintrigger.store.dynamodb;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.OptimisticLockingAggregationRepository.OptimisticLockingException;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DynamoDB aggregation repository on dynalite: locking, completion, recovery, and Camel's aggregator on it. */
class DynamoDbAggregationRepositoryTest {
    private static final String OPENED_AT = "RetrainBatchOpenedAt";
    private static Dynalite dynalite;

    private CamelContext camel;
    private DynamoDbAggregationRepository repo;

    @BeforeAll
    static void startDynalite() {
        dynalite = Dynalite.start();
    }

    @AfterAll
    static void stopDynalite() {
        if (dynalite != null) dynalite.close();
        dynalite = null;
    }

    @BeforeEach
    void setUp() {
        camel = new DefaultCamelContext();
        repo = new DynamoDbAggregationRepository(dynalite.client, dynalite.tables.batches());
    }

    @AfterEach
    void tearDown() throws Exception {
        camel.close();
    }

    private static String key() {
        return "pipeline-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Exchange batch(String body, long openedAt) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(body);
        e.getMessage().setHeader(OPENED_AT, openedAt);
        e.getMessage().setHeader("RetrainPipeline", "fraud");
        e.setProperty(ExchangePropertyKey.AGGREGATED_SIZE, 1);
        e.setProperty(ExchangePropertyKey.AGGREGATED_TIMEOUT, 3_600_000L);
        return e;
    }

    @Test
    void addThenGetRoundTripsBodyHeadersPropertiesAndId() {
        String key = key();
        Exchange first = batch("{\"events\":[\"s3://b/k1\"]}", 1_741_608_000_000L);
        first.getMessage().setHeader("unsupported", new Object());
        assertNull(repo.get(camel, key));
        repo.add(camel, key, null, first);

        Exchange read = repo.get(camel, key);
        assertNotNull(read);
        assertEquals(first.getExchangeId(), read.getExchangeId());
        assertEquals("{\"events\":[\"s3://b/k1\"]}", read.getMessage().getBody());
        assertEquals(1_741_608_000_000L, read.getMessage().getHeader(OPENED_AT));
        assertEquals(Long.class, read.getMessage().getHeader(OPENED_AT).getClass(), "types survive");
        assertEquals("fraud", read.getMessage().getHeader("RetrainPipeline"));
        assertFalse(read.getMessage().hasHeaders() && read.getMessage().getHeaders().containsKey("unsupported"), "only simple values are stored");
        assertEquals(1, read.getProperty(ExchangePropertyKey.AGGREGATED_SIZE));
        assertEquals(3_600_000L, read.getProperty(ExchangePropertyKey.AGGREGATED_TIMEOUT));
        assertEquals(1L, read.getProperty(DynamoDbAggregationRepository.VERSION_PROPERTY));
        assertTrue(repo.getKeys().contains(key));
    }

    @Test
    void writesAgainstAStaleVersionConflict() {
        String key = key();
        repo.add(camel, key, null, batch("[1]", 1L));

        Exchange a = repo.get(camel, key);
        Exchange b = repo.get(camel, key);
        a.getMessage().setBody("[1,2]");
        repo.add(camel, key, a, a);
        assertEquals(2L, repo.get(camel, key).getProperty(DynamoDbAggregationRepository.VERSION_PROPERTY));

        b.getMessage().setBody("[1,3]");
        assertThrows(OptimisticLockingException.class, () -> repo.add(camel, key, b, b), "b read version 1");
        assertThrows(OptimisticLockingException.class, () -> repo.add(camel, key, null, batch("[9]", 2L)), "a batch is open already");
        assertThrows(OptimisticLockingException.class, () -> repo.remove(camel, key, b), "completion of a stale read");
        assertEquals("[1,2]", repo.get(camel, key).getMessage().getBody(), "the winner's write stands");
        assertTrue(repo.getKeys().contains(key), "still open");
        assertNull(repo.recover(camel, b.getExchangeId()), "a lost completion is nothing to recover");
    }

    @Test
    void completedExchangesAreKeptUntilConfirmedAndCanBeRecovered() {
        String key = key();
        repo.add(camel, key, null, batch("[1]", 1L));
        Exchange open = repo.get(camel, key);
        open.getMessage().setBody("[1,2]");
        open.setProperty(ExchangePropertyKey.AGGREGATED_CORRELATION_KEY, key);
        open.setProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY, "size");
        repo.remove(camel, key, open);

        assertNull(repo.get(camel, key), "no open batch any more");
        assertFalse(repo.getKeys().contains(key));
        assertTrue(repo.scan(camel).contains(open.getExchangeId()));

        Exchange recovered = repo.recover(camel, open.getExchangeId());
        assertNotNull(recovered);
        assertEquals(open.getExchangeId(), recovered.getExchangeId());
        assertEquals("[1,2]", recovered.getMessage().getBody(), "as completed, with the last event");
        assertEquals(key, recovered.getProperty(ExchangePropertyKey.AGGREGATED_CORRELATION_KEY));
        assertEquals("size", recovered.getProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY));
        assertEquals(1L, recovered.getMessage().getHeader(OPENED_AT));

        // A new batch of the same key while the completed one waits for its confirmation.
        repo.add(camel, key, null, batch("[3]", 5L));
        assertTrue(repo.getKeys().contains(key));
        Exchange next = repo.get(camel, key);

        assertTrue(repo.confirmWithResult(camel, open.getExchangeId()));
        assertFalse(repo.scan(camel).contains(open.getExchangeId()));
        assertNull(repo.recover(camel, open.getExchangeId()));
        assertFalse(repo.confirmWithResult(camel, open.getExchangeId()), "confirmed already");

        // Confirming did not disturb the open batch or its version.
        next.getMessage().setBody("[3,4]");
        repo.add(camel, key, next, next);
        assertEquals("[3,4]", repo.get(camel, key).getMessage().getBody());
    }

    @Test
    void getKeysAndScanListOnlyTheirOwnKind() {
        String k1 = key();
        String k2 = key();
        repo.add(camel, k1, null, batch("[1]", 1L));
        repo.add(camel, k2, null, batch("[2]", 1L));
        Exchange e2 = repo.get(camel, k2);
        repo.remove(camel, k2, e2);
        assertTrue(repo.getKeys().contains(k1));
        assertFalse(repo.getKeys().contains(k2));
        assertTrue(repo.scan(camel).contains(e2.getExchangeId()));
        assertFalse(repo.scan(camel).contains(repo.get(camel, k1).getExchangeId()));
        assertTrue(repo.getKeys().stream().noneMatch(k -> k.startsWith("agg#") || k.startsWith("done#")));
    }

    @Test
    void largeBatchesAreStoredCompressed() {
        String key = key();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 3000; i++) body.append("\"s3://mlops-data-prod/labels/2025/03/10/part-").append(i).append(".parquet\",");
        body.append("\"end\"]");
        repo.add(camel, key, null, batch(body.toString(), 1L));
        assertEquals(body.toString(), repo.get(camel, key).getMessage().getBody());
        Map<String, AttributeValue> item = dynalite.client.getItem(b -> b.tableName(dynalite.tables.batches())
                .key(Map.of("id", AttributeValue.fromS("agg#" + key)))).item();
        assertNotNull(item.get("exchange").b());
    }

    /** Threads (as replicas would) extend one batch with get / aggregate / add, retrying on conflicts: no event is lost. */
    @Test
    void concurrentAggregationLosesNoEvent() throws Exception {
        String key = key();
        int threads = 6;
        int perThread = 10;
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        String event = thread + "-" + i;
                        while (true) {
                            Exchange old = repo.get(camel, key);
                            try {
                                if (old == null) {
                                    repo.add(camel, key, null, batch(event, 1L));
                                } else {
                                    old.getMessage().setBody(old.getMessage().getBody(String.class) + "," + event);
                                    repo.add(camel, key, old, old);
                                }
                                break;
                            } catch (OptimisticLockingException e) {
                                conflicts.incrementAndGet();
                                Thread.sleep((long) (Math.random() * 5));
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<String> events = List.of(repo.get(camel, key).getMessage().getBody(String.class).split(","));
        assertEquals(threads * perThread, events.size(), "every event once (" + conflicts.get() + " conflicts retried)");
        assertEquals(threads * perThread, events.stream().distinct().count());
    }

    /** Camel's aggregator with optimistic locking on the repository: completion by size, processing, confirmation. */
    @Test
    void camelAggregatorCompletesConfirmsAndRecovers() throws Exception {
        String key = key();
        // Its own tables: the aggregator's recovery would otherwise pick up what other tests completed.
        DynamoDbTables.Names own = DynamoDbTables.Names.withPrefix("camel" + UUID.randomUUID().toString().substring(0, 8) + "-");
        DynamoDbTables.create(dynalite.client, own);
        repo = new DynamoDbAggregationRepository(dynalite.client, own.batches());
        repo.setRecoveryInterval(200);
        repo.setMaximumRedeliveries(3);
        repo.setDeadLetterUri("mock:dead");
        AtomicInteger failuresLeft = new AtomicInteger(1);
        AggregationStrategy join = (oldExchange, newExchange) -> {
            if (oldExchange == null) return newExchange;
            oldExchange.getMessage().setBody(oldExchange.getMessage().getBody(String.class) + "," + newExchange.getMessage().getBody(String.class));
            return oldExchange;
        };
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in")
                        .aggregate(header("key"), join).aggregationRepository(repo).optimisticLocking().completionSize(3)
                        .to("mock:out")
                        .process(e -> {
                            if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("decision failed once");
                        });
            }
        });
        camel.start();
        MockEndpoint out = camel.getEndpoint("mock:out", MockEndpoint.class);
        out.expectedMinimumMessageCount(2);
        for (String body : List.of("a", "b", "c")) {
            camel.createProducerTemplate().sendBodyAndHeader("direct:in", body, "key", key);
        }
        out.assertIsSatisfied(20_000);
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        out.getExchanges().forEach(e -> bodies.add(e.getMessage().getBody(String.class)));
        assertEquals("a,b,c", bodies.get(0));
        assertEquals("a,b,c", bodies.get(1), "the batch whose processing failed was recovered and sent again");
        assertEquals(Boolean.TRUE, out.getExchanges().get(1).getMessage().getHeader(Exchange.REDELIVERED));

        long end = System.currentTimeMillis() + 10_000;
        while (!repo.scan(camel).isEmpty() && System.currentTimeMillis() < end) Thread.sleep(100);
        assertTrue(repo.scan(camel).isEmpty(), "confirmed after the successful redelivery");
        assertNull(repo.get(camel, key));
    }
}
