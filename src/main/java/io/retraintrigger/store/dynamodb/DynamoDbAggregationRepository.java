package io.retraintrigger.store.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.retraintrigger.store.StoreJson;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.OptimisticLockingAggregationRepository;
import org.apache.camel.spi.RecoverableAggregationRepository;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceSupport;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A persistent, recoverable Camel aggregation repository with optimistic locking on one DynamoDB table
 * (the {@code batches} table of {@link DynamoDbTables}), the DynamoDB counterpart of camel-sql's
 * JdbcAggregationRepository: several replicas aggregate into it, and a batch that completed but whose
 * processing did not confirm is recovered (re-sent) by the aggregator.
 *
 * <h2>Items</h2>
 * <ul>
 *   <li>{@code agg#<correlation key>}, one per correlation key (pipeline), never deleted:
 *       {@code version} (N, +1 on every change, so it never repeats), the open exchange
 *       ({@code exchange}: JSON, gzip-compressed when long; {@code exchangeId}; {@code kind = open} while
 *       one is open) and {@code completed}: a map exchange id → exchange of the batches that completed and
 *       are not confirmed yet.</li>
 *   <li>{@code done#<exchange id>}: {@code kind = done}, {@code correlationKey}, {@code createdAt}: which
 *       item holds a completed exchange (confirm and recover only get the exchange id).</li>
 * </ul>
 * The {@code by-kind} index (keys only) lists open keys ({@link #getKeys()}) and completed exchange ids
 * ({@link #scan}) without scanning the table.
 *
 * <h2>Locking</h2>
 * {@link #get} returns the open exchange with its version in the property {@value #VERSION_PROPERTY}.
 * {@link #add(CamelContext, String, Exchange, Exchange)} writes the new exchange conditional on that
 * version ({@code attribute_not_exists(exchange)} when there was none), and
 * {@link #remove} moves the open exchange into {@code completed} with one conditional UpdateItem on the
 * same item, so that completion is atomic without transactions; a failed condition throws
 * {@link OptimisticLockingException} and the aggregator retries. {@link #confirm} removes the completed
 * exchange and then its {@code done#} item; a {@code done#} item whose exchange is not in its
 * {@code completed} map (a remove that lost its race, or a crash between the two writes of confirm) is
 * deleted by {@link #recover} once it is older than {@value #DANGLING_GRACE_MINUTES} minutes.
 *
 * <h2>What is stored of an exchange</h2>
 * The body and the headers and exchange properties whose values are simple (String, numbers, Boolean,
 * Character, Date, Instant, BigDecimal/BigInteger, byte[]), as typed JSON; other values are left out (and
 * logged at debug). No Java serialization. A body of another type is stored as its String conversion.
 * One item holds at most 400 KB: the open batch and the completed ones not yet confirmed, compressed.
 */
public class DynamoDbAggregationRepository extends ServiceSupport
        implements OptimisticLockingAggregationRepository, RecoverableAggregationRepository {
    private static final Logger LOG = Logger.getLogger(DynamoDbAggregationRepository.class);

    /** Exchange property carrying the version an exchange was read at (as camel-sql names it). */
    public static final String VERSION_PROPERTY = "CamelOptimisticLockVersion";
    static final String OPEN_PREFIX = "agg#";
    static final String DONE_PREFIX = "done#";
    static final long DANGLING_GRACE_MINUTES = 10;

    private final DynamoDbClient ddb;
    private final String table;
    private long recoveryInterval = 5000;
    private boolean useRecovery = true;
    private int maximumRedeliveries;
    private String deadLetterUri;

    public DynamoDbAggregationRepository(DynamoDbClient ddb, String table) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(table, "table");
    }

    // ------------------------------------------------------------------ aggregation

    @Override
    public Exchange add(CamelContext camelContext, String key, Exchange oldExchange, Exchange newExchange) throws OptimisticLockingException {
        Long expected = null;
        if (oldExchange != null) {
            expected = oldExchange.getProperty(VERSION_PROPERTY, Long.class);
            if (expected == null) throw new OptimisticLockingException();
        }
        long version = write(key, newExchange, expected, true);
        newExchange.setProperty(VERSION_PROPERTY, version);
        return oldExchange;
    }

    @Override
    public Exchange add(CamelContext camelContext, String key, Exchange exchange) {
        long version = write(key, exchange, null, false);
        exchange.setProperty(VERSION_PROPERTY, version);
        return null;
    }

    /**
     * Writes the open exchange of {@code key}. With {@code locking}: only if the version is still
     * {@code expected}, or, when that is null, only if no exchange is open.
     */
    private long write(String key, Exchange exchange, Long expected, boolean locking) {
        Map<String, String> names = new HashMap<>(Map.of("#x", "exchange", "#xid", "exchangeId", "#k", "kind", "#c", "completed", "#v", "version"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":x", Items.text(marshal(exchange)),
                ":xid", Items.s(exchange.getExchangeId()),
                ":open", Items.s("open"),
                ":empty", AttributeValue.fromM(Map.of()),
                ":one", Items.n(1)));
        String condition = null;
        if (locking) {
            if (expected == null) {
                condition = "attribute_not_exists(#x)";
            } else {
                condition = "#v = :expected";
                values.put(":expected", Items.n(expected));
            }
        }
        String cond = condition;
        // The new version is known when it was conditional on the old one; else DynamoDB says it (UPDATED_NEW
        // returns the exchange too, but that happens for the first event of a batch, when it is small).
        boolean known = expected != null;
        try {
            UpdateItemResponse r = call(() -> ddb.updateItem(b -> {
                b.tableName(table).key(key(OPEN_PREFIX + key))
                        .updateExpression("SET #x = :x, #xid = :xid, #k = :open, #c = if_not_exists(#c, :empty) ADD #v :one")
                        .expressionAttributeNames(names).expressionAttributeValues(values)
                        .returnValues(known ? ReturnValue.NONE : ReturnValue.UPDATED_NEW);
                if (cond != null) b.conditionExpression(cond);
            }));
            return known ? expected + 1 : Long.parseLong(r.attributes().get("version").n());
        } catch (ConditionalCheckFailedException e) {
            LOG.debugf("aggregation of %s changed concurrently (expected version %s)", key, expected);
            throw new OptimisticLockingException();
        }
    }

    @Override
    public Exchange get(CamelContext camelContext, String key) {
        Map<String, AttributeValue> item = getItem(OPEN_PREFIX + key);
        if (item == null || !item.containsKey("exchange")) return null;
        Exchange exchange = unmarshal(camelContext, Items.text(item.get("exchange")));
        exchange.setProperty(VERSION_PROPERTY, Items.num(item, "version", 0));
        return exchange;
    }

    /**
     * Completes the open exchange of {@code key}: moves it, as {@code exchange} now is, into the
     * completed exchanges (until confirmed), if its version is still the one it was read at.
     */
    @Override
    public void remove(CamelContext camelContext, String key, Exchange exchange) throws OptimisticLockingException {
        Long expected = exchange.getProperty(VERSION_PROPERTY, Long.class);
        if (expected == null) throw new OptimisticLockingException();
        String exchangeId = exchange.getExchangeId();
        // Where the completed exchange will be, first: a crash after the move below then still finds it.
        call(() -> ddb.putItem(b -> b.tableName(table).item(Map.of(
                "id", Items.s(DONE_PREFIX + exchangeId),
                "kind", Items.s("done"),
                "correlationKey", Items.s(key),
                "createdAt", Items.n(System.currentTimeMillis())))));
        try {
            call(() -> ddb.updateItem(b -> b.tableName(table).key(key(OPEN_PREFIX + key))
                    .updateExpression("SET #c.#id = :x REMOVE #x, #xid, #k ADD #v :one")
                    .conditionExpression("#v = :expected")
                    .expressionAttributeNames(Map.of("#c", "completed", "#id", exchangeId, "#x", "exchange", "#xid", "exchangeId",
                            "#k", "kind", "#v", "version"))
                    .expressionAttributeValues(Map.of(":x", Items.text(marshal(exchange)), ":one", Items.n(1),
                            ":expected", Items.n(expected)))));
        } catch (ConditionalCheckFailedException e) {
            // The done# item stays: another replica may have completed the same exchange (same id); recover() tidies up.
            LOG.debugf("completion of %s lost to a concurrent change (expected version %d)", key, expected);
            throw new OptimisticLockingException();
        }
    }

    @Override
    public void confirm(CamelContext camelContext, String exchangeId) {
        confirmWithResult(camelContext, exchangeId);
    }

    /** Forgets a completed exchange; false if it was not (or no longer) kept. */
    @Override
    public boolean confirmWithResult(CamelContext camelContext, String exchangeId) {
        Map<String, AttributeValue> done = getItem(DONE_PREFIX + exchangeId);
        if (done == null) {
            LOG.debugf("confirm of %s: not a kept completed exchange", exchangeId);
            return false;
        }
        boolean removed;
        try {
            call(() -> ddb.updateItem(b -> b.tableName(table).key(key(OPEN_PREFIX + Items.str(done, "correlationKey")))
                    // No version change: the version guards the open exchange, which another thread may be extending.
                    .updateExpression("REMOVE #c.#id")
                    .conditionExpression("attribute_exists(#c.#id)")
                    .expressionAttributeNames(Map.of("#c", "completed", "#id", exchangeId))));
            removed = true;
        } catch (ConditionalCheckFailedException e) {
            removed = false;
        }
        call(() -> ddb.deleteItem(b -> b.tableName(table).key(key(DONE_PREFIX + exchangeId))));
        return removed;
    }

    /** Correlation keys with an open exchange. */
    @Override
    public Set<String> getKeys() {
        return idsOfKind("open", OPEN_PREFIX);
    }

    /** Ids of completed exchanges that were not confirmed. */
    @Override
    public Set<String> scan(CamelContext camelContext) {
        return idsOfKind("done", DONE_PREFIX);
    }

    private Set<String> idsOfKind(String kind, String prefix) {
        Set<String> out = new LinkedHashSet<>();
        call(() -> {
            ddb.queryPaginator(b -> b.tableName(table).indexName(DynamoDbTables.BY_KIND).keyConditionExpression("#k = :k")
                            .expressionAttributeNames(Map.of("#k", "kind")).expressionAttributeValues(Map.of(":k", Items.s(kind))))
                    .items().forEach(i -> {
                        String id = Items.str(i, "id");
                        if (id != null && id.startsWith(prefix)) out.add(id.substring(prefix.length()));
                    });
            return null;
        });
        return out;
    }

    /** The completed exchange {@code exchangeId}, for the aggregator to send again; null if it is not kept. */
    @Override
    public Exchange recover(CamelContext camelContext, String exchangeId) {
        Map<String, AttributeValue> done = getItem(DONE_PREFIX + exchangeId);
        if (done == null) return null;
        String key = Items.str(done, "correlationKey");
        Map<String, AttributeValue> item = getItem(OPEN_PREFIX + key);
        AttributeValue completed = item == null ? null : item.get("completed");
        AttributeValue stored = completed != null && completed.hasM() ? completed.m().get(exchangeId) : null;
        if (stored == null) {
            long age = System.currentTimeMillis() - Items.num(done, "createdAt", 0);
            if (age > TimeUnit.MINUTES.toMillis(DANGLING_GRACE_MINUTES)) {
                LOG.debugf("forgetting %s: its exchange was never completed (or already confirmed)", exchangeId);
                call(() -> ddb.deleteItem(b -> b.tableName(table).key(key(DONE_PREFIX + exchangeId))));
            }
            return null;
        }
        Exchange exchange = unmarshal(camelContext, Items.text(stored));
        exchange.setExchangeId(exchangeId);
        if (exchange.getProperty(ExchangePropertyKey.AGGREGATED_CORRELATION_KEY) == null) {
            exchange.setProperty(ExchangePropertyKey.AGGREGATED_CORRELATION_KEY, key);
        }
        return exchange;
    }

    // ------------------------------------------------------------------ recovery settings

    @Override
    public void setRecoveryInterval(long interval, TimeUnit timeUnit) {
        this.recoveryInterval = timeUnit.toMillis(interval);
    }

    @Override
    public void setRecoveryInterval(long interval) {
        this.recoveryInterval = interval;
    }

    @Override
    public long getRecoveryInterval() {
        return recoveryInterval;
    }

    @Override
    public void setUseRecovery(boolean useRecovery) {
        this.useRecovery = useRecovery;
    }

    @Override
    public boolean isUseRecovery() {
        return useRecovery;
    }

    @Override
    public void setDeadLetterUri(String deadLetterUri) {
        this.deadLetterUri = deadLetterUri;
    }

    @Override
    public String getDeadLetterUri() {
        return deadLetterUri;
    }

    @Override
    public void setMaximumRedeliveries(int maximumRedeliveries) {
        this.maximumRedeliveries = maximumRedeliveries;
    }

    @Override
    public int getMaximumRedeliveries() {
        return maximumRedeliveries;
    }

    public String getTable() {
        return table;
    }

    // ------------------------------------------------------------------ exchange <-> JSON

    /** The body and the simple-typed headers and properties, as typed JSON. */
    static String marshal(Exchange exchange) {
        ObjectMapper m = StoreJson.mapper();
        ObjectNode root = m.createObjectNode();
        root.put("exchangeId", exchange.getExchangeId());
        Object body = exchange.getMessage().getBody();
        if (body != null) {
            ObjectNode typed = typed(m, body);
            root.set("body", typed != null ? typed : typed(m, exchange.getMessage().getBody(String.class)));
        }
        ObjectNode headers = root.putObject("headers");
        exchange.getMessage().getHeaders().forEach((name, value) -> put(m, headers, name, value, "header"));
        ObjectNode properties = root.putObject("properties");
        exchange.getAllProperties().forEach((name, value) -> {
            if (!VERSION_PROPERTY.equals(name)) put(m, properties, name, value, "property");
        });
        return root.toString();
    }

    private static void put(ObjectMapper m, ObjectNode target, String name, Object value, String what) {
        if (value == null) return;
        ObjectNode typed = typed(m, value);
        if (typed == null) {
            LOG.debugf("%s %s of type %s is not stored in the aggregation repository", what, name, value.getClass().getName());
        } else {
            target.set(name, typed);
        }
    }

    private static ObjectNode typed(ObjectMapper m, Object value) {
        if (value == null) return null;
        ObjectNode n = m.createObjectNode();
        if (value instanceof String s) n.put("t", "string").put("v", s);
        else if (value instanceof Long l) n.put("t", "long").put("v", l);
        else if (value instanceof Integer i) n.put("t", "int").put("v", i);
        else if (value instanceof Short s) n.put("t", "short").put("v", s);
        else if (value instanceof Byte b) n.put("t", "byte").put("v", b);
        else if (value instanceof Double d) n.put("t", "double").put("v", d);
        else if (value instanceof Float f) n.put("t", "float").put("v", f);
        else if (value instanceof Boolean b) n.put("t", "boolean").put("v", b);
        else if (value instanceof Character c) n.put("t", "char").put("v", c.toString());
        else if (value instanceof BigDecimal d) n.put("t", "decimal").put("v", d.toString());
        else if (value instanceof BigInteger i) n.put("t", "bigint").put("v", i.toString());
        else if (value instanceof Date d) n.put("t", "date").put("v", d.getTime());
        else if (value instanceof Instant i) n.put("t", "instant").put("v", i.toString());
        else if (value instanceof byte[] b) n.put("t", "bytes").put("v", Base64.getEncoder().encodeToString(b));
        else return null;
        return n;
    }

    private static Object untyped(JsonNode n) {
        JsonNode v = n.get("v");
        return switch (n.get("t").asText()) {
            case "string" -> v.asText();
            case "long" -> v.asLong();
            case "int" -> v.asInt();
            case "short" -> (short) v.asInt();
            case "byte" -> (byte) v.asInt();
            case "double" -> v.asDouble();
            case "float" -> (float) v.asDouble();
            case "boolean" -> v.asBoolean();
            case "char" -> v.asText().charAt(0);
            case "decimal" -> new BigDecimal(v.asText());
            case "bigint" -> new BigInteger(v.asText());
            case "date" -> new Date(v.asLong());
            case "instant" -> Instant.parse(v.asText());
            case "bytes" -> Base64.getDecoder().decode(v.asText());
            default -> throw new IllegalStateException("unknown stored value type " + n.get("t"));
        };
    }

    static Exchange unmarshal(CamelContext camelContext, String json) {
        JsonNode root;
        try {
            root = StoreJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new RuntimeCamelException("stored aggregated exchange is unreadable: " + e.getMessage(), e);
        }
        Exchange exchange = new DefaultExchange(camelContext);
        exchange.setExchangeId(root.get("exchangeId").asText());
        JsonNode body = root.get("body");
        if (body != null && !body.isNull()) exchange.getMessage().setBody(untyped(body));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            exchange.getMessage().setHeader(e.getKey(), untyped(e.getValue()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            exchange.setProperty(e.getKey(), untyped(e.getValue()));
        }
        return exchange;
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", Items.s(id));
    }

    private Map<String, AttributeValue> getItem(String id) {
        return call(() -> {
            var r = ddb.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true));
            return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
        });
    }

    /** SDK failures as Camel's runtime exception; a failed condition is left to the caller. */
    private <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new RuntimeCamelException("aggregation repository " + table + ": " + e.getMessage(), e);
        }
    }
}
