package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The items of the decisions table, for the adapters that write them ({@link DynamoDbDecisionLog}, the
 * copy-out of a step in {@link PipelineItems}).
 *
 * <p>A decision ({@code id}) holds its JSON {@code body}, a revision {@code rev} for conditional updates,
 * and the index attributes {@code pipeline}, {@code outcome}, {@code pipelineOutcome}, {@code decidedKey}
 * (sortable decidedAt + "#" + id) and {@code launchPending} (present only while LAUNCHED with a PENDING
 * launch: a sparse index). Lookup items {@code execution#<executionId>} → {@code decisionId} in the same
 * table (not in any index) find the decision of an execution with a consistent GetItem. While a launch
 * is pending, {@code sendLeaseUntil} and {@code sendLeaseHolder} say who sends it ({@link DynamoDbLaunchLeases});
 * items {@code audit#<state>#<decisionId>} are {@link DynamoDbAuditMarks}.
 */
final class DecisionItems {
    static final String EXECUTION_PREFIX = "execution#";
    private static final int UPDATE_ATTEMPTS = 20;

    private final DynamoDbClient ddb;
    private final String table;
    private final TableReads reads;

    DecisionItems(DynamoDbClient ddb, DynamoDbTables.Names tables, TableReads reads) {
        this.ddb = ddb;
        this.table = tables.decisions();
        this.reads = reads;
    }

    static Map<String, AttributeValue> item(Decision d, long rev) {
        if (d.decidedAt() == null) throw new StoreException("state store: decision " + d.id() + " has no decision time");
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", Items.s(d.id()));
        item.put("rev", Items.n(rev));
        item.put("body", Items.text(StoreJson.write(d)));
        item.put("outcome", Items.s(d.outcome().name()));
        item.put("decidedKey", Items.s(Items.sortable(d.decidedAt()) + "#" + d.id()));
        if (d.pipeline() != null && !d.pipeline().isEmpty()) {
            item.put("pipeline", Items.s(d.pipeline()));
            item.put("pipelineOutcome", Items.s(d.pipeline() + "#" + d.outcome().name()));
        }
        if (d.outcome() == Outcome.LAUNCHED && d.launch() != null && d.launch().status() == LaunchStatus.PENDING) {
            item.put("launchPending", Items.s(LaunchStatus.PENDING.name()));
        }
        if (d.launch() != null && d.launch().executionId() != null) item.put("executionId", Items.s(d.launch().executionId()));
        long size = Items.size(item);
        if (size > Items.MAX_ITEM_BYTES) {
            throw new StoreException("state store: decision " + d.id() + " would take " + size + " bytes, over DynamoDB's item limit of 400 KB");
        }
        return item;
    }

    static Decision read(Map<String, AttributeValue> item) {
        return StoreJson.read(Items.text(item.get("body")), Decision.class);
    }

    Optional<Decision> get(String id, boolean consistent) {
        return Optional.ofNullable(reads.getItem(table, "id", id, consistent)).map(DecisionItems::read);
    }

    /** Whether a decision's launch is still PENDING (read strongly consistent). */
    boolean launchPending(String decisionId) {
        Map<String, AttributeValue> d = reads.getItem(table, "id", decisionId, true);
        return d != null && d.containsKey("launchPending");
    }

    /** Puts {@code d} unless a decision with its id is there; returns the one stored under the id. */
    Decision putIfAbsent(Decision d) {
        Map<String, AttributeValue> item = item(d, 1);
        return TableReads.call("record of decision " + d.id(), () -> {
            try {
                ddb.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", "id")));
                return d;
            } catch (ConditionalCheckFailedException e) {
                return read(reads.getItem(table, "id", d.id(), true));
            }
        });
    }

    /**
     * Read-modify-write of one decision, conditional on its revision. {@code change} returning null
     * leaves it alone (and the result is empty), as does an unknown id.
     */
    Optional<Decision> update(String id, Function<Decision, Decision> change) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = reads.getItem(table, "id", id, true);
            if (item == null) return Optional.empty();
            long rev = Items.num(item, "rev", 1);
            Decision updated = change.apply(read(item));
            if (updated == null) return Optional.empty();
            if (updated.launch() != null && updated.launch().executionId() != null) {
                // The lookup first: a reader that finds it checks the decision's execution id, so a crash in between is harmless.
                String execId = updated.launch().executionId();
                TableReads.call("execution lookup of " + id, () -> ddb.putItem(b -> b.tableName(table).item(Map.of(
                        "id", Items.s(Items.boundedKey(EXECUTION_PREFIX + execId)), "decisionId", Items.s(id)))));
            }
            Map<String, AttributeValue> next = item(updated, rev + 1);
            boolean written = TableReads.call("update of decision " + id, () -> {
                try {
                    ddb.putItem(b -> b.tableName(table).item(next).conditionExpression("#r = :r")
                            .expressionAttributeNames(Map.of("#r", "rev")).expressionAttributeValues(Map.of(":r", Items.n(rev))));
                    return true;
                } catch (ConditionalCheckFailedException e) {
                    return false;
                }
            });
            if (written) return Optional.of(updated);
            if (attempt >= UPDATE_ATTEMPTS) throw new StoreException("state store: decision " + id + " kept changing; update given up");
            Items.backoff(attempt);
        }
    }

    /** The id of the decision whose launch started {@code executionId}, from its lookup item. */
    Optional<String> launchedExecution(String executionId) {
        Map<String, AttributeValue> lookup = reads.getItem(table, "id", Items.boundedKey(EXECUTION_PREFIX + executionId), true);
        return lookup == null ? Optional.empty() : Optional.of(Items.str(lookup, "decisionId"));
    }
}
