package io.retraintrigger.store.dynamodb;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Attribute value helpers shared by the DynamoDB store and the aggregation repository. */
final class Items {
    /** DynamoDB's item size limit (names and values, UTF-8). */
    static final int MAX_ITEM_BYTES = 400 * 1024;
    /** JSON longer than this is kept gzip-compressed (a binary attribute) instead of as a string. */
    static final int COMPRESS_ABOVE_BYTES = 16 * 1024;

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

    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i += size) out.add(list.subList(i, Math.min(list.size(), i + size)));
        return out;
    }
}
