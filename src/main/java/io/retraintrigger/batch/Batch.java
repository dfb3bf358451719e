package io.retraintrigger.batch;

import io.retraintrigger.model.TriggerEvent;
import io.retraintrigger.store.StoreJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The open batch of data arrivals of one pipeline, kept as JSON in the aggregation repository (JSON,
 * not Java serialization, so that a batch survives an upgrade of the service).
 */
public record Batch(String pipeline, Instant openedAt, List<Item> items) {
    public record Item(String eventId, String uri, long sizeBytes) {
        static Item of(TriggerEvent e) {
            return new Item(e.id(), e.dataUri(), e.sizeBytes());
        }
    }

    public Batch {
        items = List.copyOf(items);
    }

    public static Batch open(TriggerEvent first, Instant at) {
        return new Batch(first.pipeline(), at, List.of(Item.of(first)));
    }

    public Batch plus(TriggerEvent e) {
        List<Item> more = new ArrayList<>(items.size() + 1);
        more.addAll(items);
        more.add(Item.of(e));
        return new Batch(pipeline, openedAt, more);
    }

    public List<String> uris() {
        return items.stream().map(Item::uri).toList();
    }

    public long totalBytes() {
        return items.stream().mapToLong(Item::sizeBytes).sum();
    }

    public String toJson() {
        return StoreJson.write(this);
    }

    public static Batch fromJson(String json) {
        return StoreJson.read(json, Batch.class);
    }
}
