package io.retraintrigger.store.dynamodb;

import io.retraintrigger.store.SignalTimes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Signal times as items {@code signal#<pipeline>#<signal>} of the decisions table (in no index), attribute
 * {@code at} in epoch milliseconds: raised by a conditional update (only to a later time), begun by a
 * conditional put; read consistently (a replica's check must see the fire another replica recorded).
 */
public class DynamoDbSignalTimes implements SignalTimes {
    static final String PREFIX = "signal#";

    private final DynamoDbClient ddb;
    private final DynamoDbTables.Names tables;
    private final TableReads reads;

    public DynamoDbSignalTimes(DynamoDbClient ddb, DynamoDbTables.Names tables) {
        this.ddb = ddb;
        this.tables = tables;
        this.reads = new TableReads(ddb, true);
    }

    private static String id(String pipeline, String signal) {
        return Items.boundedKey(PREFIX + pipeline + "#" + signal);
    }

    @Override
    public void advance(String pipeline, String signal, Instant at) {
        TableReads.call("signal time of " + pipeline, () -> {
            try {
                ddb.updateItem(b -> b.tableName(tables.decisions()).key(Map.of("id", Items.s(id(pipeline, signal))))
                        .updateExpression("SET #at = :at")
                        .conditionExpression("attribute_not_exists(#at) OR #at < :at")
                        .expressionAttributeNames(Map.of("#at", "at"))
                        .expressionAttributeValues(Map.of(":at", Items.n(at.toEpochMilli()))));
            } catch (ConditionalCheckFailedException later) {
                // a later time is recorded: it stays
            }
            return null;
        });
    }

    @Override
    public void begin(String pipeline, String signal, Instant at) {
        TableReads.call("signal time of " + pipeline, () -> {
            try {
                ddb.putItem(b -> b.tableName(tables.decisions()).item(Map.of("id", Items.s(id(pipeline, signal)), "at", Items.n(at.toEpochMilli())))
                        .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", "id")));
            } catch (ConditionalCheckFailedException recorded) {
                // begun before: it stays
            }
            return null;
        });
    }

    @Override
    public Optional<Instant> last(String pipeline, String signal) {
        Map<String, AttributeValue> item = reads.getItem(tables.decisions(), "id", id(pipeline, signal), true);
        return item == null || !item.containsKey("at") ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(item.get("at").n())));
    }
}
