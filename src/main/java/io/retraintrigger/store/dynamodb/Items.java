package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.Digests;
import io.retraintrigger.store.StoreException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Attribute value and call helpers shared by the DynamoDB state store and batch store. */
final class Items {
    /** DynamoDB's item size limit (names and values, UTF-8). */
    static final int MAX_ITEM_BYTES = 400 * 1024;
    /** JSON longer than this is kept gzip-compressed (a binary attribute) instead of as a string. */
    static final int COMPRESS_ABOVE_BYTES = 16 * 1024;
    /** Longer key values are replaced by their hash (see {@link #boundedKey}). */
    static final int MAX_KEY_BYTES = 1024;

    /**
     * Fixed-width UTC instant with nanoseconds: string order is time order, so it serves as an index
     * sort key ({@code 2025-03-10T12:00:00.000000000Z}).
     */
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Items() {
    }

    static String sortable(Instant at) {
        return SORTABLE.format(at);
    }

    static Instant instant(String sortable) {
        return sortable == null ? null : Instant.parse(sortable);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue n(double value) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("DynamoDB numbers are finite, was " + value);
        return AttributeValue.fromN(java.math.BigDecimal.valueOf(value).toPlainString());
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static long num(Map<String, AttributeValue> item, String name, long absent) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? absent : Long.parseLong(v.n());
    }

    static double dbl(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Double.parseDouble(v.n());
    }

    /** JSON as a string attribute, or gzip-compressed as a binary one when it is long. */
    static AttributeValue text(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= COMPRESS_ABOVE_BYTES) return AttributeValue.fromS(json);
        return AttributeValue.fromB(SdkBytes.fromByteArray(gzip(utf8)));
    }

    /** Reads what {@link #text(String)} wrote. */
    static String text(AttributeValue v) {
        if (v == null) return null;
        if (v.s() != null) return v.s();
        if (v.b() != null) return new String(gunzip(v.b().asByteArray()), StandardCharsets.UTF_8);
        throw new IllegalStateException("attribute is neither text nor compressed text: " + v);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return gz.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("stored compressed text is unreadable", e);
        }
    }

    /** Size of an item as DynamoDB counts it (attribute names and values), slightly over-estimated. */
    static long size(Map<String, AttributeValue> item) {
        long total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += utf8Length(e.getKey()) + size(e.getValue());
        }
        return total;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) return utf8Length(v.s());
        if (v.n() != null) return 21;
        if (v.b() != null) return v.b().asByteArrayUnsafe().length;
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) return 1;
        if (v.hasM()) {
            long t = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) t += 1 + utf8Length(e.getKey()) + size(e.getValue());
            return t;
        }
        if (v.hasL()) {
            long t = 3;
            for (AttributeValue e : v.l()) t += 1 + size(e);
            return t;
        }
        if (v.hasSs()) return v.ss().stream().mapToLong(Items::utf8Length).sum();
        return 64;
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** The longest prefix of {@code s} whose UTF-8 form has at most {@code maxBytes} bytes (never splits a character). */
    static String cutToBytes(String s, long maxBytes) {
        if (maxBytes <= 0) return "";
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int w;
            int step = 1;
            if (c < 0x80) w = 1;
            else if (c < 0x800) w = 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                w = 4;
                step = 2;
            } else w = 3;
            if (n + w > maxBytes) return s.substring(0, i);
            n += w;
            i += step - 1;
        }
        return s;
    }

    /** Keys up to 1 KB as they are; longer ones by their SHA-256 (DynamoDB allows 2 KB per partition key, and no empty one). */
    static String boundedKey(String key) {
        if (key.isEmpty()) return "#empty"; // key attributes cannot be empty strings
        if (utf8Length(key) <= MAX_KEY_BYTES) return key;
        return "#sha256:" + Digests.sha256(key);
    }

    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i += size) out.add(list.subList(i, Math.min(list.size(), i + size)));
        return out;
    }

    /** Throttled BatchGetItem keys are retried this often before giving up. */
    private static final int BATCH_GET_ATTEMPTS = 20;

    /** Runs DynamoDB calls; an SDK failure becomes a {@link StoreException} that starts with {@code what}. */
    static <T> T call(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (SdkException e) {
            throw new StoreException(what + ": " + e.getMessage(), e);
        }
    }

    /** Sleeps before retry {@code attempt + 1}: a random while of up to 8 ms at first, doubling, at most 200 ms. */
    static void backoff(int attempt) {
        long cap = Math.min(200, 4L << Math.min(Math.max(attempt, 1), 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a DynamoDB call");
        }
    }

    /**
     * Items of {@code table} whose (string) hash key {@code keyName} is one of {@code ids}, by id, 100 keys
     * per BatchGetItem, throttled keys retried; ids without an item are absent from the map.
     */
    static Map<String, Map<String, AttributeValue>> batchGet(DynamoDbClient ddb, String table, String keyName, Collection<String> ids,
                                                             boolean consistent, String what) {
        Map<String, Map<String, AttributeValue>> out = new HashMap<>();
        for (List<String> chunk : chunks(List.copyOf(new LinkedHashSet<>(ids)), 100)) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(chunk.stream().map(id -> Map.of(keyName, s(id))).toList()).consistentRead(consistent).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> req = request;
                BatchGetItemResponse r = call(what, () -> ddb.batchGetItem(b -> b.requestItems(req)));
                for (Map<String, AttributeValue> item : r.responses().getOrDefault(table, List.of())) out.put(str(item, keyName), item);
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    if (attempt >= BATCH_GET_ATTEMPTS) throw new StoreException(what + ": " + table + " keeps throttling reads");
                    backoff(attempt);
                }
            }
        }
        return out;
    }

    /** Throttled BatchWriteItem writes are sent again this often before giving up. */
    private static final int BATCH_WRITE_ATTEMPTS = 20;

    /**
     * Puts and deletes on {@code table}, 25 per BatchWriteItem (DynamoDB's most), the unprocessed ones sent
     * again after a backoff. Each write is a write of its own: a failure leaves the earlier ones done.
     */
    static void batchWrite(DynamoDbClient ddb, String table, List<WriteRequest> writes, String what) {
        for (List<WriteRequest> chunk : chunks(writes, 25)) {
            List<WriteRequest> left = chunk;
            for (int attempt = 1; !left.isEmpty(); attempt++) {
                Map<String, List<WriteRequest>> req = Map.of(table, left);
                BatchWriteItemResponse r = call(what, () -> ddb.batchWriteItem(b -> b.requestItems(req)));
                left = r.hasUnprocessedItems() ? r.unprocessedItems().getOrDefault(table, List.of()) : List.of();
                if (!left.isEmpty()) {
                    if (attempt >= BATCH_WRITE_ATTEMPTS) throw new StoreException(what + ": " + table + " keeps throttling writes");
                    backoff(attempt);
                }
            }
        }
    }

    /** The items a query finds, read page by page as the iterator advances; failures as in {@link #call}. */
    static Iterator<Map<String, AttributeValue>> query(DynamoDbClient ddb, QueryRequest request, String what) {
        Iterator<Map<String, AttributeValue>> it = call(what, () -> ddb.queryPaginator(request).items().iterator());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return call(what, it::hasNext);
            }

            @Override
            public Map<String, AttributeValue> next() {
                return call(what, it::next);
            }
        };
    }
}
