package io.retraintrigger.store.dynamodb;

import io.retraintrigger.store.LaunchLeases;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * {@link LaunchLeases} as attributes {@code sendLeaseUntil} and {@code sendLeaseHolder} of the decision
 * item: one conditional UpdateItem claims or renews, only while the item is in the sparse pending-launch
 * index ({@code launchPending}).
 */
public class DynamoDbLaunchLeases implements LaunchLeases {
    private static final Map<String, String> NAMES = Map.of("#l", "sendLeaseUntil", "#h", "sendLeaseHolder", "#p", "launchPending");

    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbLaunchLeases(DynamoDbClient ddb, DynamoDbTables.Names tables) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(tables, "tables").decisions();
    }

    /** Its launch still pending, no lease or an ended one. */
    @Override
    public boolean claimLaunch(String decisionId, String holder, Instant now, Instant until) {
        return conditionalUpdate("claim of launch " + decisionId, decisionId, "SET #l = :until, #h = :holder",
                "attribute_exists(#p) AND (attribute_not_exists(#l) OR #l <= :now)",
                Map.of(":until", Items.n(until.toEpochMilli()), ":holder", Items.s(holder), ":now", Items.n(now.toEpochMilli())));
    }

    @Override
    public boolean renewLaunch(String decisionId, String holder, Instant until) {
        return conditionalUpdate("renewal of launch " + decisionId, decisionId, "SET #l = :until",
                "attribute_exists(#p) AND #h = :holder",
                Map.of(":until", Items.n(until.toEpochMilli()), ":holder", Items.s(holder)));
    }

    private boolean conditionalUpdate(String what, String decisionId, String update, String condition, Map<String, AttributeValue> values) {
        return TableReads.call(what, () -> {
            try {
                ddb.updateItem(b -> b.tableName(table).key(Map.of("id", Items.s(decisionId)))
                        .updateExpression(update).conditionExpression(condition)
                        .expressionAttributeNames(NAMES).expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }
}
