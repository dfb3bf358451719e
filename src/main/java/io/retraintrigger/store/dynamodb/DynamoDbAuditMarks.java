package io.retraintrigger.store.dynamodb;

import io.retraintrigger.store.AuditMarks;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.Map;

/**
 * Audit marks as items {@code audit#<state>#<decisionId>} of the decisions table (in no index), each
 * written once by a conditional put.
 */
public class DynamoDbAuditMarks implements AuditMarks {
    static final String PREFIX = "audit#";

    private final DynamoDbClient ddb;
    private final DynamoDbTables.Names tables;

    public DynamoDbAuditMarks(DynamoDbClient ddb, DynamoDbTables.Names tables) {
        this.ddb = ddb;
        this.tables = tables;
    }

    @Override
    public boolean markAudited(String decisionId, String state) {
        String id = Items.boundedKey(PREFIX + state + "#" + decisionId);
        return TableReads.call("audit mark of " + decisionId, () -> {
            try {
                ddb.putItem(b -> b.tableName(tables.decisions()).item(Map.of("id", Items.s(id)))
                        .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", "id")));
                return true;
            } catch (ConditionalCheckFailedException marked) {
                return false;
            }
        });
    }
}
