package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.ArchivedEvent;
import io.retraintrigger.store.EventArchive;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event archive in the {@code event-archive} table ({@code id}: the event's dedup key, bounded).
 * Each event is one item holding its JSON ({@code event}, compressed when long); the index
 * {@code by-time} (bucket, timeKey) orders them: {@code bucket} is the event's UTC day and one of
 * {@value #SHARDS} shards of its key ({@code 2026-03-10#5}: a day's writes spread over that many index
 * partitions instead of one), {@code timeKey} its time (fixed width, nanoseconds) + {@code #} + its key.
 * A marker item per day ({@code #day#2026-03-10}, bucket {@code #days}, timeKey the day) lists the days
 * that hold events, for exports and purges; it is written before the first event of its day.
 *
 * <p>A keep reads which of its keys are there (one BatchGetItem per 100, strongly consistent) and writes
 * the others (BatchWriteItem, 25 a request, unprocessed items sent again): the first event kept of a key
 * stays. BatchWriteItem takes no condition, so keeps racing over one key may each write it, the last one
 * staying: for a redelivery that is the same event, and the key is one item whatever the race. An export
 * page merges the shards of each day by timeKey and reads the records behind the keys; the index is
 * eventually consistent, so an event kept a moment before may be missing from an export. A purge deletes
 * the items of the days up to its cutoff, and the markers of the days wholly before it. An event too large
 * for a DynamoDB item (400 KB, after compression) is not kept: logged, and left out of every export.
 */
public class DynamoDbEventArchive implements EventArchive {
    private static final Logger LOG = Logger.getLogger(DynamoDbEventArchive.class);
    static final int SHARDS = 8;
    static final String DAYS = "#days";
    static final String DAY_MARKER = "#day#";
    private static final String FIRST_DAY = "0000-01-01";
    /** Keys deleted per BatchWriteItem round of a purge (sent 25 a request). */
    private static final int PURGE_BATCH = 500;
    /** DynamoDB compares strings by their UTF-8 bytes, that is by code points. */
    private static final Comparator<String> BYTE_ORDER = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final DynamoDbClient ddb;
    private final String table;
    private final TableReads reads;
    /** Days whose marker this archive wrote (or found): their events need no marker write. */
    private final Set<String> markedDays = ConcurrentHashMap.newKeySet();

    public DynamoDbEventArchive(DynamoDbClient ddb, DynamoDbTables.Names tables, boolean consistentReads) {
        this.ddb = ddb;
        this.table = tables.eventArchive();
        this.reads = new TableReads(ddb, consistentReads);
    }

    @Override
    public void keep(List<TriggerEvent> events) {
        if (events.isEmpty()) return;
        Map<String, Map<String, AttributeValue>> byId = new LinkedHashMap<>();
        for (TriggerEvent e : events) {
            ArchivedEvent a = ArchivedEvent.of(e);
            String id = Items.boundedKey(a.key());
            if (byId.containsKey(id)) continue; // the first of a key in the list, as the first kept of a key stays
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("id", Items.s(id));
            item.put("bucket", Items.s(bucket(a.timeKey(), a.key())));
            item.put("timeKey", Items.s(a.timeKey() + "#" + a.key()));
            item.put("event", Items.text(a.json()));
            long size = Items.size(item);
            if (size > Items.MAX_ITEM_BYTES) {
                LOG.warnf("event %s is not archived: %d bytes, over DynamoDB's item size limit", a.key(), size);
                continue;
            }
            byId.put(id, item);
        }
        Set<String> there = Items.batchGet(ddb, table, "id", byId.keySet(), true, "state store: event archive read of " + table).keySet();
        List<WriteRequest> puts = new ArrayList<>();
        Set<String> days = new TreeSet<>();
        byId.forEach((id, item) -> {
            if (there.contains(id)) return;
            puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            days.add(Items.str(item, "bucket").substring(0, 10));
        });
        if (puts.isEmpty()) return;
        markDays(days);
        Items.batchWrite(ddb, table, puts, "state store: event archive write to " + table);
    }

    /** Day and shard of an event: {@code 2026-03-10#5}. */
    private static String bucket(String timeKey, String key) {
        return timeKey.substring(0, 10) + "#" + Math.floorMod(key.hashCode(), SHARDS);
    }

    /** Writes the markers of the days this archive has not marked yet (idempotent puts), before their events. */
    private void markDays(Set<String> days) {
        List<WriteRequest> markers = new ArrayList<>();
        for (String day : days) {
            if (markedDays.contains(day)) continue;
            markers.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(Map.of("id", Items.s(DAY_MARKER + day), "bucket", Items.s(DAYS), "timeKey", Items.s(day))).build()).build());
        }
        if (markers.isEmpty()) return;
        Items.batchWrite(ddb, table, markers, "state store: event archive days in " + table);
        for (WriteRequest m : markers) markedDays.add(Items.str(m.putRequest().item(), "timeKey"));
    }

    @Override
    public List<TriggerEvent> page(Instant from, Instant to, Position after, int limit) {
        if (limit <= 0 || !from.isBefore(to)) return List.of();
        String low = ArchivedEvent.bound(from);
        String high = ArchivedEvent.bound(to); // exclusive: an item's timeKey (time#key) is never the bare time
        String afterKey = after == null ? null : ArchivedEvent.bound(after.occurredAt()) + "#" + after.key();
        String start = afterKey != null && BYTE_ORDER.compare(afterKey, low) > 0 ? afterKey : low;
        if (BYTE_ORDER.compare(start, high) >= 0) return List.of();
        Iterator<String> days = days(start.substring(0, 10), high.substring(0, 10));
        int perQuery = Math.min(1000, Math.max(25, 2 * limit / SHARDS));
        Iterator<Map<String, AttributeValue>> keys = new Iterator<>() {
            Iterator<Map<String, AttributeValue>> day = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!day.hasNext() && days.hasNext()) day = ofDay(days.next(), start, high, perQuery);
                return day.hasNext();
            }

            @Override
            public Map<String, AttributeValue> next() {
                if (!hasNext()) throw new NoSuchElementException();
                return day.next();
            }
        };
        return reads.collect(keys, table, item -> item, item -> {
            String k = Items.str(item, "timeKey");
            // the record itself, checked again: the index may be a moment behind the table
            return k != null && BYTE_ORDER.compare(k, start) >= 0 && BYTE_ORDER.compare(k, high) < 0
                    && (afterKey == null || BYTE_ORDER.compare(k, afterKey) > 0);
        }, limit).stream().map(item -> ArchivedEvent.event(Items.text(item.get("event")))).toList();
    }

    /** The keys of one day's events from {@code start} (inclusive) to {@code high} (exclusive), its shards merged in export order. */
    private Iterator<Map<String, AttributeValue>> ofDay(String day, String start, String high, int perQuery) {
        List<Iterator<Map<String, AttributeValue>>> shards = new ArrayList<>(SHARDS);
        for (int s = 0; s < SHARDS; s++) shards.add(byTime(day + "#" + s, start, high, perQuery));
        return TableReads.merge(shards, (a, b) -> BYTE_ORDER.compare(Items.str(a, "timeKey"), Items.str(b, "timeKey")));
    }

    /** Keys of the index partition {@code bucket} with {@code low <= timeKey <= high}, ascending, read page by page. */
    private Iterator<Map<String, AttributeValue>> byTime(String bucket, String low, String high, int perQuery) {
        QueryRequest request = QueryRequest.builder().tableName(table).indexName(DynamoDbTables.BY_TIME)
                .keyConditionExpression("#b = :b AND #t BETWEEN :low AND :high")
                .expressionAttributeNames(Map.of("#b", "bucket", "#t", "timeKey"))
                .expressionAttributeValues(Map.of(":b", Items.s(bucket), ":low", Items.s(low), ":high", Items.s(high)))
                .scanIndexForward(true).limit(perQuery).build();
        return Items.query(ddb, request, "state store: query of " + table + "/" + DynamoDbTables.BY_TIME);
    }

    /** The days from {@code first} to {@code last} (both inclusive) that hold events, by their markers, ascending. */
    private Iterator<String> days(String first, String last) {
        Iterator<Map<String, AttributeValue>> markers = byTime(DAYS, first, last, 100);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return markers.hasNext();
            }

            @Override
            public String next() {
                return Items.str(markers.next(), "timeKey");
            }
        };
    }

    @Override
    public int purge(Instant before) {
        String cutoff = ArchivedEvent.bound(before);
        String cutoffDay = cutoff.substring(0, 10);
        int gone = 0;
        for (Iterator<String> days = days(FIRST_DAY, cutoffDay); days.hasNext(); ) {
            String day = days.next();
            for (int s = 0; s < SHARDS; s++) {
                Iterator<Map<String, AttributeValue>> keys = byTime(day + "#" + s, day, cutoff, 1000);
                List<WriteRequest> deletes = new ArrayList<>();
                while (keys.hasNext()) {
                    Map<String, AttributeValue> k = keys.next();
                    if (BYTE_ORDER.compare(Items.str(k, "timeKey"), cutoff) >= 0) continue; // BETWEEN takes the cutoff itself
                    deletes.add(delete(Items.str(k, "id")));
                    if (deletes.size() == PURGE_BATCH) {
                        Items.batchWrite(ddb, table, deletes, "state store: event archive purge of " + table);
                        gone += deletes.size();
                        deletes.clear();
                    }
                }
                Items.batchWrite(ddb, table, deletes, "state store: event archive purge of " + table);
                gone += deletes.size();
            }
            if (day.compareTo(cutoffDay) < 0) {
                // the whole day is before the cutoff: its events are gone, and so goes its marker
                Items.batchWrite(ddb, table, List.of(delete(DAY_MARKER + day)), "state store: event archive days in " + table);
                markedDays.remove(day);
            }
        }
        return gone;
    }

    private static WriteRequest delete(String id) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(Map.of("id", Items.s(id))).build()).build();
    }
}
