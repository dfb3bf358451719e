package io.retraintrigger.model;

import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The promotion of an evaluated model in its target's registry.
 *
 * @param request  what was (or is to be) sent, by the registry's own names
 * @param attempts sends so far
 * @param error    the registry's answer when it refused or failed
 */
public record Promotion(@Nullable String target, @Nullable PromotionStatus status, Map<String, String> request, int attempts, @Nullable Instant at, @Nullable String error) {

    public Promotion {
        request = request == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(request));
    }

    public static Promotion pending(String target, Instant at) {
        return new Promotion(target, PromotionStatus.PENDING, Map.of(), 0, at, null);
    }

    public Promotion promoted(Map<String, String> sent, Instant when) {
        return new Promotion(target, PromotionStatus.PROMOTED, sent, attempts + 1, when, null);
    }

    /** Still PENDING after a failed try that may succeed later. */
    public Promotion retrying(String why, Instant when) {
        return new Promotion(target, PromotionStatus.PENDING, request, attempts + 1, when, why);
    }

    public Promotion failed(String why, Instant when) {
        return new Promotion(target, PromotionStatus.FAILED, request, attempts + 1, when, why);
    }

    public enum PromotionStatus { PENDING, PROMOTED, FAILED }
}
