package io.retraintrigger.testing;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchParameters;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.Severity;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The decisions and pipeline settings the launcher tests launch: LAUNCHED decisions (sequence 7, a fresh
 * {@code dec-<uuid>} id) of a drift or a data batch, and a pipeline of a given target.
 */
public final class LaunchFixtures {
    /** When the fixtures' requests were made and decided. */
    public static final Instant AT = Instant.parse("2025-06-01T02:00:00Z");
    /** The training sequence of every fixture launch. */
    public static final long SEQUENCE = 7;

    private LaunchFixtures() {
    }

    /** {@code n} data URIs {@code <prefix>00000.parquet}, {@code <prefix>00001.parquet} ... */
    public static List<String> uris(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + String.format("%05d", i) + ".parquet").toList();
    }

    /** A HIGH drift (0.42 on amount and merchant_category, approval required), priority 2. */
    public static Decision drift(String target, String pipeline) {
        TrainingRequest r = new TrainingRequest(pipeline, TriggerType.DRIFT, 2, "high drift on amount", AT,
                RequestMetadata.drift(Severity.HIGH, 0.42, List.of("amount", "merchant_category"), true));
        return launched(target, r);
    }

    /** A data batch of {@code uris} and {@code bytes}, completed by batch size, priority 3. */
    public static Decision batch(String target, String pipeline, List<String> uris, long bytes) {
        TrainingRequest r = new TrainingRequest(pipeline, TriggerType.DATA_ARRIVAL, 3, "batch_size_reached", AT,
                RequestMetadata.batch(uris, uris.size(), bytes, "batch_size_reached"));
        return launched(target, r);
    }

    /** The LAUNCHED decision of a request, its launch pending on {@code target} with the request's parameters. */
    public static Decision launched(String target, TrainingRequest r) {
        Map<String, String> parameters = LaunchParameters.of(r, SEQUENCE, AT);
        return new Decision("dec-" + UUID.randomUUID(), r.pipeline(), r.triggerType(), r.priority(), Outcome.LAUNCHED,
                List.of("allowed"), AT, null, 150, r, Launch.pending(target, SEQUENCE, parameters));
    }

    /** A pipeline of {@code target} with every default of application.properties. */
    public static PipelineSettings pipeline(String target, String name) {
        return PipelineRegistry.build(TestConfig.retrainConfig(Map.of("retrain.pipelines." + name + ".target", target))).get(name);
    }
}
