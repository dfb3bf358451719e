package io.retraintrigger.model;

/** A batch's identity: its pipeline and its number there ({@code fraud#17}). */
public final class BatchId {
    private BatchId() {
    }

    public static String of(String pipeline, long seq) {
        return pipeline + "#" + seq;
    }

    public static String pipeline(String batchId) {
        int i = batchId.lastIndexOf('#');
        if (i <= 0) throw new IllegalArgumentException("not a batch id: '" + batchId + "'");
        return batchId.substring(0, i);
    }

    public static long seq(String batchId) {
        int i = batchId.lastIndexOf('#');
        if (i <= 0) throw new IllegalArgumentException("not a batch id: '" + batchId + "'");
        return Long.parseLong(batchId.substring(i + 1));
    }
}
