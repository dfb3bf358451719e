package io.retraintrigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.util.Optional;

/**
 * The DynamoDB state store ({@code retrain.store.kind=dynamodb}): table names and behaviour. The client
 * is the SDK client of {@code retrain.aws.*} (region, credentials, {@code retrain.aws.endpoints.dynamodb}).
 * Tables, keys and indexes: {@link io.retraintrigger.store.dynamodb.DynamoDbTables}.
 */
@ConfigMapping(prefix = "retrain.store.dynamodb")
public interface DynamoDbStoreConfig {

    /** Prefix of every table name: PREFIX + pipelines|decisions|approvals|dead-letters|batches|event-archive. */
    @WithName("table-prefix")
    String tablePrefix();

    /** Full names of single tables, overriding prefix + default name. */
    Tables tables();

    interface Tables {
        Optional<String> pipelines();

        Optional<String> decisions();

        Optional<String> approvals();

        @WithName("dead-letters")
        Optional<String> deadLetters();

        /** The batch store: open and closed batches, their members, the keys of their data events. */
        Optional<String> batches();

        /** The accepted events, by time (retrain.events.retention): what a backtest replays. */
        @WithName("event-archive")
        Optional<String> eventArchive();
    }

    /** Create missing tables at startup (development, emulators); production tables come from terraform. */
    @WithName("auto-create")
    boolean autoCreate();

    /**
     * Strongly consistent reads for single items and the records behind index queries (decisions,
     * approvals, pipeline state). Coordinator steps and the batch store (with its dedup of data events)
     * always read consistently; index queries themselves are eventually consistent (DynamoDB has no other kind).
     */
    @WithName("consistent-reads")
    boolean consistentReads();

    /** Attempts of one coordinator step while other replicas write the same pipeline (jittered backoff between). */
    @WithName("max-attempts")
    int maxAttempts();
}
