package io.retraintrigger.model;

import jakarta.annotation.Nullable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What a training request carries to the pipeline: the data it should see and why it was asked.
 * Every field is optional (null or empty when it does not apply).
 *
 * @param dataUris          object URIs: all of them for a request that names no batch; for a batch, its first
 *                          {@link ClosedBatch#PREVIEW} (the whole list is paged from the store by {@code batchIds})
 * @param eventCount        events the request stands for
 * @param totalBytes        size of the data in the batch
 * @param completionReason  why the batch closed: batch_size_reached | window_expired
 * @param severity          drift severity
 * @param driftScore        largest feature drift score
 * @param driftedFeatures   features whose drift reached the action threshold
 * @param requireApproval   the trained model must be approved by a human before it is deployed
 * @param reviewId          the approval item that this request came from, when a reviewer approved it
 * @param batchIds          the closed batches whose objects are this request's data (several when merged)
 */
public record RequestMetadata(
        List<String> dataUris,
        int eventCount,
        long totalBytes,
        @Nullable String completionReason,
        @Nullable Severity severity,
        @Nullable Double driftScore,
        List<String> driftedFeatures,
        boolean requireApproval,
        @Nullable String reviewId,
        List<String> batchIds) {

    public static final RequestMetadata EMPTY = new RequestMetadata(List.of(), 0, 0, null, null, null, List.of(), false, null, List.of());

    public RequestMetadata {
        dataUris = dataUris == null ? List.of() : List.copyOf(dataUris);
        driftedFeatures = driftedFeatures == null ? List.of() : List.copyOf(driftedFeatures);
        batchIds = batchIds == null ? List.of() : List.copyOf(batchIds);
    }

    /** Data that the request carries whole (no batch in the store). */
    public static RequestMetadata batch(List<String> uris, int count, long bytes, String completion) {
        return new RequestMetadata(uris, count, bytes, completion, null, null, List.of(), false, null, List.of());
    }

    /** The data of a closed batch: its preview inline, the rest in the store. */
    public static RequestMetadata of(ClosedBatch b) {
        return new RequestMetadata(b.preview(), b.count(), b.totalBytes(), b.reason(), null, null, List.of(), false, null, List.of(b.id()));
    }

    public static RequestMetadata drift(Severity severity, double score, List<String> features, boolean requireApproval) {
        return new RequestMetadata(List.of(), 1, 0, null, severity, score, features, requireApproval, null, List.of());
    }

    /** The data is partly in the store: {@link #dataUris} is only a preview. */
    public boolean dataInStore() {
        return !batchIds.isEmpty();
    }

    /** The same, with the whole object list (as a launch sends it). */
    public RequestMetadata withAllDataUris(List<String> all) {
        return new RequestMetadata(all, eventCount, totalBytes, completionReason, severity, driftScore, driftedFeatures, requireApproval, reviewId, batchIds);
    }

    public double dataSizeGb() {
        return totalBytes / 1_000_000_000d;
    }

    public RequestMetadata withReviewId(String id) {
        return new RequestMetadata(dataUris, eventCount, totalBytes, completionReason, severity, driftScore, driftedFeatures, requireApproval, id, batchIds);
    }

    /**
     * Union of two requests' metadata: data and features united, the worse drift kept, counts added. When
     * both keep their data in the store, the URIs inline are previews and stay one (at most
     * {@link ClosedBatch#PREVIEW}); a request whose data is inline keeps it whole.
     */
    public RequestMetadata union(RequestMetadata o) {
        LinkedHashSet<String> uris = new LinkedHashSet<>(dataUris);
        uris.addAll(o.dataUris);
        LinkedHashSet<String> batches = new LinkedHashSet<>(batchIds);
        batches.addAll(o.batchIds);
        List<String> inline = new ArrayList<>(uris);
        if (dataInStore() && o.dataInStore() && inline.size() > ClosedBatch.PREVIEW) inline = inline.subList(0, ClosedBatch.PREVIEW);
        LinkedHashSet<String> features = new LinkedHashSet<>(driftedFeatures);
        features.addAll(o.driftedFeatures);
        Severity sev = severity == null ? o.severity
                : o.severity == null || severity.compareTo(o.severity) >= 0 ? severity : o.severity;
        Double score = driftScore == null ? o.driftScore
                : o.driftScore == null ? driftScore : Double.valueOf(Math.max(driftScore, o.driftScore));
        String completion = completionReason == null ? o.completionReason
                : o.completionReason == null || completionReason.equals(o.completionReason) ? completionReason
                : completionReason + "," + o.completionReason;
        return new RequestMetadata(inline, eventCount + o.eventCount, totalBytes + o.totalBytes,
                completion, sev, score, new ArrayList<>(features), requireApproval || o.requireApproval,
                reviewId != null ? reviewId : o.reviewId, new ArrayList<>(batches));
    }
}
