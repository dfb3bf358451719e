package io.retraintrigger.api;

import jakarta.annotation.Nullable;

/**
 * GET /api/routes: a route's state and statistics (null where Camel's management gives none; it is always
 * on in this application).
 */
public record RouteView(String id, String state, long uptimeMillis, String from, @Nullable Long exchangesTotal, @Nullable Long exchangesFailed,
                        @Nullable Long exchangesInflight, @Nullable Long meanProcessingMillis, @Nullable Long maxProcessingMillis,
                        @Nullable Long lastProcessingMillis, @Nullable Failure lastFailure) {

    public record Failure(String at, String exchangeId) {
    }
}
