package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.DeadLetter;
import io.retraintrigger.store.DeadLetterStore;
import io.retraintrigger.store.StoreJson;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dead letters in the {@code dead-letters} table ({@code id}): fields as attributes; {@code kind =
 * dead-letter} and {@code receivedKey} index them by time; the payload (bounded by DeadLetters, the same
 * on every store) is cut further only if the item would pass DynamoDB's 400 KB; a counter item
 * {@code #count} answers {@link #deadLetterCount()} (incremented after each new letter: a crash in between
 * under-counts by one).
 */
public class DynamoDbDeadLetterStore implements DeadLetterStore {
    private static final Logger LOG = Logger.getLogger(DynamoDbDeadLetterStore.class);
    static final String COUNT_ID = "#count";
    private static final String DEAD_LETTER_KIND = "dead-letter";
    private static final int MAX_REASON_BYTES = 16 * 1024;
    private static final int MAX_HEADERS_BYTES = 64 * 1024;
    private static final int ITEM_MARGIN_BYTES = 2 * 1024;

    private final DynamoDbClient ddb;
    private final DynamoDbTables.Names tables;
    private final TableReads reads;

    public DynamoDbDeadLetterStore(DynamoDbClient ddb, DynamoDbTables.Names tables, boolean consistentReads) {
        this.ddb = ddb;
        this.tables = tables;
        this.reads = new TableReads(ddb, consistentReads);
    }

    @Override
    public void addDeadLetter(DeadLetter d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", Items.s(d.id()));
        item.put("kind", Items.s(DEAD_LETTER_KIND));
        item.put("receivedKey", Items.s(Items.sortable(d.receivedAt()) + "#" + d.id()));
        item.put("receivedAt", Items.s(Items.sortable(d.receivedAt())));
        if (d.source() != null) item.put("source", Items.s(d.source()));
        item.put("status", Items.n(d.status()));
        if (d.reason() != null) item.put("reason", Items.s(Items.cutToBytes(d.reason(), MAX_REASON_BYTES)));
        item.put("headers", Items.s(headersJson(d.headers())));
        if (d.payload() != null) {
            // DeadLetters bounds the payload (64 KiB by default); cut further only if the whole item would not fit DynamoDB's 400 KB.
            long budget = Items.MAX_ITEM_BYTES - Items.size(item) - "payload".length() - ITEM_MARGIN_BYTES;
            String payload = Items.cutToBytes(d.payload(), budget);
            if (payload.length() < d.payload().length()) {
                LOG.debugf("dead letter %s: payload cut from %d to %d characters to fit a DynamoDB item", d.id(), d.payload().length(), payload.length());
            }
            item.put("payload", Items.s(payload));
        }
        boolean added = TableReads.call("add of dead letter " + d.id(), () -> {
            try {
                ddb.putItem(b -> b.tableName(tables.deadLetters()).item(item)
                        .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", "id")));
                return true;
            } catch (ConditionalCheckFailedException again) {
                return false;
            }
        });
        if (added) {
            TableReads.call("dead letter count", () -> ddb.updateItem(b -> b.tableName(tables.deadLetters()).key(Map.of("id", Items.s(COUNT_ID)))
                    .updateExpression("ADD #n :one").expressionAttributeNames(Map.of("#n", "n"))
                    .expressionAttributeValues(Map.of(":one", Items.n(1)))));
        }
    }

    /** The headers as JSON, leaving out whole headers beyond 64 KB. */
    private static String headersJson(Map<String, String> headers) {
        String json = StoreJson.write(headers);
        if (Items.utf8Length(json) <= MAX_HEADERS_BYTES) return json;
        Map<String, String> kept = new LinkedHashMap<>();
        long size = 2;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            long entry = Items.utf8Length(StoreJson.write(Map.of(e.getKey(), e.getValue()))) + 1;
            if (size + entry > MAX_HEADERS_BYTES) continue;
            kept.put(e.getKey(), e.getValue());
            size += entry;
        }
        return StoreJson.write(kept);
    }

    @SuppressWarnings("unchecked")
    private static DeadLetter readDeadLetter(Map<String, AttributeValue> item) {
        return new DeadLetter(Items.str(item, "id"), Items.instant(Items.str(item, "receivedAt")), Items.str(item, "source"),
                (int) Items.num(item, "status", 0), Items.str(item, "reason"), Items.str(item, "payload"),
                StoreJson.read(Items.str(item, "headers"), Map.class));
    }

    @Override
    public List<DeadLetter> deadLetters(int limit) {
        if (limit <= 0) return List.of();
        Iterator<Map<String, AttributeValue>> keys = reads.query(tables.deadLetters(), DynamoDbTables.BY_RECEIVED, "kind", DEAD_LETTER_KIND,
                null, null, false, limit);
        return reads.collect(keys, tables.deadLetters(), DynamoDbDeadLetterStore::readDeadLetter, d -> true, limit);
    }

    @Override
    public int purgeDeadLetters(Instant before, int keep) {
        // Oldest first, by the index on received time: those received before the cutoff, then those beyond keep.
        int gone = deleteDeadLetters(reads.query(tables.deadLetters(), DynamoDbTables.BY_RECEIVED, "kind", DEAD_LETTER_KIND,
                "receivedKey", Items.sortable(before), true, 1000), Integer.MAX_VALUE);
        long beyond = deadLetterCount() - gone - Math.max(0, keep);
        if (beyond > 0) {
            gone += deleteDeadLetters(reads.query(tables.deadLetters(), DynamoDbTables.BY_RECEIVED, "kind", DEAD_LETTER_KIND,
                    null, null, true, (int) Math.min(beyond, 1000)), beyond);
        }
        if (gone > 0) {
            long n = gone;
            TableReads.call("dead letter count", () -> ddb.updateItem(b -> b.tableName(tables.deadLetters()).key(Map.of("id", Items.s(COUNT_ID)))
                    .updateExpression("ADD #n :minus").expressionAttributeNames(Map.of("#n", "n"))
                    .expressionAttributeValues(Map.of(":minus", Items.n(-n)))));
        }
        return gone;
    }

    /** Deletes up to {@code most} of the dead letters the iterator names; how many existed and went. */
    private int deleteDeadLetters(Iterator<Map<String, AttributeValue>> keys, long most) {
        int gone = 0;
        while (gone < most && keys.hasNext()) {
            String id = Items.str(keys.next(), "id");
            boolean deleted = TableReads.call("delete of dead letter " + id, () -> {
                try {
                    ddb.deleteItem(b -> b.tableName(tables.deadLetters()).key(Map.of("id", Items.s(id)))
                            .conditionExpression("attribute_exists(#id)").expressionAttributeNames(Map.of("#id", "id")));
                    return true;
                } catch (ConditionalCheckFailedException taken) {
                    return false; // another replica's purge took it
                }
            });
            if (deleted) gone++;
        }
        return gone;
    }

    @Override
    public long deadLetterCount() {
        Map<String, AttributeValue> c = reads.getItem(tables.deadLetters(), "id", COUNT_ID, true);
        return c == null ? 0 : Items.num(c, "n", 0);
    }
}
