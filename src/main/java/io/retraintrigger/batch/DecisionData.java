package io.retraintrigger.batch;

import io.retraintrigger.model.BatchItem;
import io.retraintrigger.model.ClosedBatch;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.store.BatchStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The objects a request's data stands for: inline, or in the closed batches it names (a decision keeps
 * only a preview of a batch's list). Read page by page from the store.
 */
@ApplicationScoped
public class DecisionData {
    private static final int PAGE = 1000;

    private final BatchStore batches;

    @Inject
    public DecisionData(BatchStore batches) {
        this.batches = batches;
    }

    /** A page of the data: {@code items} from position {@code offset} (0-based) of the whole list, and the total. */
    public record Page(long offset, long total, List<String> uris) {
    }

    /** Every object URI of the request, in batch order, each once (what a launch sends). */
    public List<String> all(RequestMetadata m) {
        if (!m.dataInStore()) return m.dataUris();
        LinkedHashSet<String> uris = new LinkedHashSet<>();
        for (String batchId : m.batchIds()) {
            long from = 1;
            while (true) {
                List<BatchItem> page = batches.items(batchId, from, PAGE);
                if (page.isEmpty()) break;
                for (BatchItem i : page) uris.add(i.uri());
                from = page.get(page.size() - 1).slot() + 1;
            }
        }
        uris.addAll(m.dataUris());
        return new ArrayList<>(uris);
    }

    /** Positions {@code offset} to {@code offset + limit} of the data, for GET /api/decisions/{id}/data. */
    public Page page(RequestMetadata m, long offset, int limit) {
        if (!m.dataInStore()) {
            List<String> all = m.dataUris();
            int from = (int) Math.min(offset, all.size());
            return new Page(offset, all.size(), all.subList(from, Math.min(all.size(), from + limit)));
        }
        long total = 0;
        List<String> out = new ArrayList<>();
        for (String batchId : m.batchIds()) {
            int count = batches.closed(batchId).map(ClosedBatch::count).orElse(0);
            long start = total;
            total += count;
            long wanted = offset + out.size();
            if (out.size() >= limit || wanted >= total) continue;
            // Slots are the batch's positions from 1; skip to the one at the wanted position.
            long from = wanted - start + 1;
            while (out.size() < limit) {
                List<BatchItem> page = batches.items(batchId, from, Math.min(PAGE, limit - out.size()));
                if (page.isEmpty()) break;
                for (BatchItem i : page) out.add(i.uri());
                from = page.get(page.size() - 1).slot() + 1;
            }
        }
        return new Page(offset, total, out);
    }
}
