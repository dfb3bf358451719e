package io.retraintrigger.store.dynamodb;

import io.retraintrigger.config.DynamoDbStoreConfig;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DynamoDB tables of the state store, the batch store and the event archive: their definitions
 * and an idempotent {@link #create} (used when {@code retrain.store.dynamodb.auto-create=true} and by
 * the tests). Production tables come from terraform and must match these definitions exactly.
 *
 * <p>Every table: billing mode PAY_PER_REQUEST, hash key only (no range key), every key attribute of
 * type S (string). Every global secondary index projects KEYS_ONLY (the records are read from the
 * table itself, strongly consistent, after the index said which ones). Table names are
 * {@code retrain.store.dynamodb.table-prefix} (default {@code retrain-trigger-}) + the name below,
 * unless {@code retrain.store.dynamodb.tables.NAME} gives a full name.
 *
 * <pre>
 * | table            | hash key   | GSI (hash key, range key)                                     |
 * |------------------|------------|---------------------------------------------------------------|
 * | pipelines        | pipeline S | –                                                             |
 * | decisions        | id S       | by-pipeline (pipeline S, decidedKey S)                        |
 * |                  |            | by-pipeline-outcome (pipelineOutcome S, decidedKey S)         |
 * |                  |            | by-outcome (outcome S, decidedKey S)                          |
 * |                  |            | pending-launch (launchPending S, decidedKey S)                |
 * | approvals        | id S       | by-pipeline (pipeline S, createdKey S)                        |
 * |                  |            | by-status (status S, createdKey S)                            |
 * | dead-letters     | id S       | by-received (kind S, receivedKey S)                           |
 * | batches          | id S       | by-state (state S, stateKey S)                                |
 * | event-archive    | id S       | by-time (bucket S, timeKey S)                                 |
 * </pre>
 *
 * Terraform ({@code aws_dynamodb_table}): {@code billing_mode = "PAY_PER_REQUEST"}, {@code hash_key} as
 * above, one {@code attribute { type = "S" }} block per attribute named in the key columns, one
 * {@code global_secondary_index { projection_type = "KEYS_ONLY" }} block per index, no TTL.
 * Point-in-time recovery is recommended on all of them. What the items hold: {@link PipelineItems}, {@link DecisionItems}, {@link ApprovalItems},
 * {@link DynamoDbBatchStore}, {@link DynamoDbEventArchive}.
 */
public final class DynamoDbTables {
    private static final Logger LOG = Logger.getLogger(DynamoDbTables.class);
    private static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(5);

    // Index names (shared with the stores).
    static final String BY_PIPELINE = "by-pipeline";
    static final String BY_PIPELINE_OUTCOME = "by-pipeline-outcome";
    static final String BY_OUTCOME = "by-outcome";
    static final String PENDING_LAUNCH = "pending-launch";
    static final String BY_STATUS = "by-status";
    static final String BY_RECEIVED = "by-received";
    static final String BY_STATE = "by-state";
    static final String BY_TIME = "by-time";

    private DynamoDbTables() {
    }

    /** The six table names. */
    public record Names(String pipelines, String decisions, String approvals, String deadLetters, String batches, String eventArchive) {

        public static Names withPrefix(String prefix) {
            return new Names(prefix + "pipelines", prefix + "decisions", prefix + "approvals", prefix + "dead-letters",
                    prefix + "batches", prefix + "event-archive");
        }

        public static Names of(DynamoDbStoreConfig config) {
            Names d = withPrefix(config.tablePrefix());
            DynamoDbStoreConfig.Tables t = config.tables();
            return new Names(t.pipelines().orElse(d.pipelines), t.decisions().orElse(d.decisions), t.approvals().orElse(d.approvals),
                    t.deadLetters().orElse(d.deadLetters), t.batches().orElse(d.batches), t.eventArchive().orElse(d.eventArchive));
        }

        public List<String> all() {
            return List.of(pipelines, decisions, approvals, deadLetters, batches, eventArchive);
        }
    }

    /** Creates the tables of {@code config} that do not exist yet, and waits until they are active. */
    public static void create(DynamoDbClient client, DynamoDbStoreConfig config) {
        create(client, Names.of(config));
    }

    /** Creates the tables that do not exist yet (idempotent, safe when replicas race), and waits until they are active. */
    public static void create(DynamoDbClient client, Names names) {
        for (CreateTableRequest def : definitions(names)) {
            TableDescription existing = describe(client, def.tableName());
            if (existing == null) {
                try {
                    client.createTable(def);
                    LOG.infof("created DynamoDB table %s", def.tableName());
                } catch (ResourceInUseException raced) {
                    LOG.debugf("table %s is being created by someone else", def.tableName());
                }
            } else {
                checkIndexes(def, existing);
            }
        }
        for (String table : names.all()) awaitActive(client, table);
    }

    /** The table definitions, as terraform must create them too. */
    public static List<CreateTableRequest> definitions(Names names) {
        return List.of(
                table(names.pipelines(), "pipeline"),
                table(names.decisions(), "id",
                        index(BY_PIPELINE, "pipeline", "decidedKey"),
                        index(BY_PIPELINE_OUTCOME, "pipelineOutcome", "decidedKey"),
                        index(BY_OUTCOME, "outcome", "decidedKey"),
                        index(PENDING_LAUNCH, "launchPending", "decidedKey")),
                table(names.approvals(), "id",
                        index(BY_PIPELINE, "pipeline", "createdKey"),
                        index(BY_STATUS, "status", "createdKey")),
                table(names.deadLetters(), "id",
                        index(BY_RECEIVED, "kind", "receivedKey")),
                table(names.batches(), "id",
                        index(BY_STATE, "state", "stateKey")),
                table(names.eventArchive(), "id",
                        index(BY_TIME, "bucket", "timeKey")));
    }

    private static CreateTableRequest table(String name, String hashKey, GlobalSecondaryIndex... indexes) {
        Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
        attributes.put(hashKey, attribute(hashKey));
        for (GlobalSecondaryIndex i : indexes) {
            for (KeySchemaElement k : i.keySchema()) attributes.putIfAbsent(k.attributeName(), attribute(k.attributeName()));
        }
        CreateTableRequest.Builder b = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build())
                .attributeDefinitions(new ArrayList<>(attributes.values()));
        if (indexes.length > 0) b.globalSecondaryIndexes(indexes);
        return b.build();
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static GlobalSecondaryIndex index(String name, String hashKey, String rangeKey) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
        if (rangeKey != null) keys.add(KeySchemaElement.builder().attributeName(rangeKey).keyType(KeyType.RANGE).build());
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(keys)
                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                .build();
    }

    private static TableDescription describe(DynamoDbClient client, String table) {
        try {
            return client.describeTable(r -> r.tableName(table)).table();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    /** An existing table (e.g. made by terraform) that lacks an index would fail queries later: say so now. */
    private static void checkIndexes(CreateTableRequest def, TableDescription existing) {
        Set<String> present = existing.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName)
                .collect(Collectors.toSet());
        List<String> missing = def.globalSecondaryIndexes().stream().map(GlobalSecondaryIndex::indexName)
                .filter(i -> !present.contains(i)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("DynamoDB table " + def.tableName() + " exists without the indexes " + missing
                    + "; see DynamoDbTables for its definition");
        }
        String hash = existing.keySchema().stream().filter(k -> k.keyType() == KeyType.HASH).map(KeySchemaElement::attributeName)
                .findFirst().orElse("?");
        if (!hash.equals(def.keySchema().get(0).attributeName()) || existing.keySchema().size() != 1) {
            throw new IllegalStateException("DynamoDB table " + def.tableName() + " exists with another key schema " + existing.keySchema()
                    + "; expected the hash key " + def.keySchema().get(0).attributeName() + " alone");
        }
    }

    private static void awaitActive(DynamoDbClient client, String table) {
        Instant end = Instant.now().plus(ACTIVE_TIMEOUT);
        while (true) {
            TableDescription d = describe(client, table);
            boolean indexesActive = d != null && d.globalSecondaryIndexes().stream()
                    .allMatch(i -> i.indexStatus() == null || "ACTIVE".equals(i.indexStatusAsString()));
            if (d != null && d.tableStatus() == TableStatus.ACTIVE && indexesActive) return;
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException("DynamoDB table " + table + " is not active after " + ACTIVE_TIMEOUT);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + table, e);
            }
        }
    }
}
