package io.retraintrigger.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads of the state store's tables that the DynamoDB adapters share: items by key, index queries,
 * and the records behind index keys, read again (strongly consistent with {@code consistent-reads}).
 */
final class TableReads {
    private final DynamoDbClient ddb;
    private final boolean consistentReads;

    TableReads(DynamoDbClient ddb, boolean consistentReads) {
        this.ddb = ddb;
        this.consistentReads = consistentReads;
    }

    /** {@link Items#call}, its failures starting with "state store: " + {@code what}. */
    static <T> T call(String what, Supplier<T> work) {
        return Items.call("state store: " + what, work);
    }

    Map<String, AttributeValue> getItem(String table, String keyName, String key, boolean consistent) {
        return call("read from " + table, () -> {
            var r = ddb.getItem(b -> b.tableName(table).key(Map.of(keyName, Items.s(key))).consistentRead(consistent));
            return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
        });
    }

    /** Items by id, up to 100 per request, unprocessed keys retried. */
    Map<String, Map<String, AttributeValue>> batchGet(String table, Collection<String> ids, boolean consistent) {
        return Items.batchGet(ddb, table, "id", ids, consistent, "state store: read from " + table);
    }

    /**
     * Lazily pages through an index (keys only). With {@code rangeName}, only keys whose range key is
     * below {@code rangeBelow}.
     */
    Iterator<Map<String, AttributeValue>> query(String table, String index, String hashName, String hashValue, String rangeName,
                                                        String rangeBelow, boolean ascending, int limit) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#h", hashName);
        values.put(":h", Items.s(hashValue));
        String condition = "#h = :h";
        if (rangeName != null) {
            names.put("#r", rangeName);
            values.put(":r", Items.s(rangeBelow));
            condition += " AND #r < :r";
        }
        QueryRequest request = QueryRequest.builder().tableName(table).indexName(index).keyConditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values).scanIndexForward(ascending)
                .limit(Math.max(10, Math.min(limit, 1000))).build();
        return Items.query(ddb, request, "state store: query of " + table + "/" + index);
    }

    Iterable<Map<String, AttributeValue>> scan(ScanRequest request) {
        return call("scan of " + request.tableName(), () -> {
            List<Map<String, AttributeValue>> out = new ArrayList<>();
            ddb.scanPaginator(request).items().forEach(out::add);
            return out;
        });
    }

    /** Merges index iterators that are each sorted by {@code sortKey} into one (descending or ascending). */
    static Iterator<Map<String, AttributeValue>> merge(List<Iterator<Map<String, AttributeValue>>> sources, String sortKey,
                                                               boolean descending) {
        Comparator<Map<String, AttributeValue>> order = Comparator.comparing(item -> Items.str(item, sortKey));
        return merge(sources, descending ? order.reversed() : order);
    }

    /** Merges iterators that are each sorted in {@code order} into one. */
    static Iterator<Map<String, AttributeValue>> merge(List<Iterator<Map<String, AttributeValue>>> sources,
                                                       Comparator<Map<String, AttributeValue>> itemOrder) {
        Comparator<Map.Entry<Map<String, AttributeValue>, Integer>> order = (a, b) -> itemOrder.compare(a.getKey(), b.getKey());
        PriorityQueue<Map.Entry<Map<String, AttributeValue>, Integer>> heads = new PriorityQueue<>(order);
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).hasNext()) heads.add(Map.entry(sources.get(i).next(), i));
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public Map<String, AttributeValue> next() {
                Map.Entry<Map<String, AttributeValue>, Integer> head = heads.poll();
                if (head == null) throw new NoSuchElementException();
                Iterator<Map<String, AttributeValue>> source = sources.get(head.getValue());
                if (source.hasNext()) heads.add(Map.entry(source.next(), head.getValue()));
                return head.getKey();
            }
        };
    }

    /**
     * Reads the records behind index keys (in index order) until {@code limit} pass {@code keep}: the
     * index may be a moment behind the table, so every record is checked again.
     */
    <T> List<T> collect(Iterator<Map<String, AttributeValue>> keys, String table, Function<Map<String, AttributeValue>, T> read,
                                Predicate<T> keep, int limit) {
        List<T> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        while (out.size() < limit && keys.hasNext()) {
            List<String> chunk = new ArrayList<>();
            int want = Math.min(100, Math.max(10, limit - out.size()));
            while (chunk.size() < want && keys.hasNext()) {
                String id = Items.str(keys.next(), "id");
                if (seen.add(id)) chunk.add(id);
            }
            Map<String, Map<String, AttributeValue>> items = batchGet(table, chunk, consistentReads);
            for (String id : chunk) {
                Map<String, AttributeValue> item = items.get(id);
                if (item == null) continue;
                T t = read.apply(item);
                if (keep.test(t)) {
                    out.add(t);
                    if (out.size() == limit) break;
                }
            }
        }
        return out;
    }
}
