package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.HashMap;
import java.util.Map;

/**
 * The items of the approvals table ({@code id}: JSON {@code body}, {@code pipeline}, {@code status},
 * {@code createdKey}), written by the copy-out of a step ({@link PipelineItems}) and read by
 * {@link DynamoDbApprovalLog}.
 */
final class ApprovalItems {
    private final DynamoDbClient ddb;
    private final String table;

    ApprovalItems(DynamoDbClient ddb, DynamoDbTables.Names tables) {
        this.ddb = ddb;
        this.table = tables.approvals();
    }

    static String createdKey(Approval a) {
        if (a.createdAt() == null) throw new StoreException("state store: approval " + a.id() + " has no creation time");
        return Items.sortable(a.createdAt()) + "#" + a.id();
    }

    static Map<String, AttributeValue> item(Approval a) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", Items.s(a.id()));
        item.put("pipeline", Items.s(a.pipeline()));
        item.put("status", Items.s(a.status().name()));
        item.put("createdKey", Items.s(createdKey(a)));
        item.put("body", Items.text(StoreJson.write(a)));
        return item;
    }

    static Approval read(Map<String, AttributeValue> item) {
        return StoreJson.read(Items.text(item.get("body")), Approval.class);
    }

    /** Puts an opened approval unless it is there already (idempotent). */
    void putIfAbsent(Approval a) {
        TableReads.call("put into " + table, () -> {
            try {
                ddb.putItem(b -> b.tableName(table).item(item(a))
                        .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", "id")));
            } catch (ConditionalCheckFailedException exists) {
                // copied out before
            }
            return null;
        });
    }

    /** Writes a resolution over its approval while that is still PENDING (idempotent). */
    void resolve(Approval a) {
        TableReads.call("resolution of approval " + a.id(), () -> {
            try {
                ddb.putItem(b -> b.tableName(table).item(item(a))
                        .conditionExpression("#s = :pending")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":pending", Items.s(ApprovalStatus.PENDING.name()))));
            } catch (ConditionalCheckFailedException alreadyResolved) {
                // copied out before (by us or by whoever rolled this outbox forward)
            }
            return null;
        });
    }
}
