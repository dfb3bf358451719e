package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.store.Deferred;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline items, where every coordinator step commits ({@link DynamoDbPipelineSteps}), and the
 * roll-forward of their outbox into the decisions and approvals tables, which the readers of those
 * tables ({@link DynamoDbDecisionLog}, {@link DynamoDbApprovalLog}) run before a read that must not miss
 * a committed step.
 */
final class PipelineItems {
    private static final Logger LOG = Logger.getLogger(PipelineItems.class);

    private final DynamoDbClient ddb;
    private final String table;
    private final TableReads reads;
    final DecisionItems decisions;
    final ApprovalItems approvals;
    private final String approvalsTable;

    PipelineItems(DynamoDbClient ddb, DynamoDbTables.Names tables, TableReads reads) {
        this.ddb = ddb;
        this.table = tables.pipelines();
        this.reads = reads;
        this.decisions = new DecisionItems(ddb, tables, reads);
        this.approvals = new ApprovalItems(ddb, tables);
        this.approvalsTable = tables.approvals();
    }

    /** What a step created, kept in the pipeline item until copied into the decisions and approvals tables. */
    record Outbox(Decision decision, Approval opened, Approval resolved, Decision ended) {
    }

    Map<String, AttributeValue> get(String pipeline, boolean consistent) {
        return reads.getItem(table, "pipeline", pipeline, consistent);
    }

    static PipelineState readState(Map<String, AttributeValue> item) {
        return new PipelineState(Items.str(item, "pipeline"), LocalDate.parse(Items.str(item, "day")),
                (int) Items.num(item, "trainingsToday", 0), Items.dbl(item, "spendToday"),
                Items.instant(Items.str(item, "lastTrainingAt")), Items.num(item, "sequence", 0), List.of());
    }

    static Optional<Deferred> readDeferred(Map<String, AttributeValue> item) {
        AttributeValue d = item.get("deferred");
        return d == null ? Optional.empty() : Optional.of(StoreJson.read(Items.text(d), Deferred.class));
    }

    /** The pipeline's pending approvals, id → createdKey, newest first. */
    static Map<String, String> pendingIds(Map<String, AttributeValue> item) {
        AttributeValue p = item.get("pending");
        if (p == null || !p.hasM()) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        p.m().entrySet().stream()
                .sorted(Map.Entry.<String, AttributeValue>comparingByValue(Comparator.comparing(AttributeValue::s)).reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue().s()));
        return out;
    }

    /** Bodies of the pending approvals, newest first (as the pending map orders them). */
    List<Approval> pendingApprovals(String pipeline, Map<String, String> pendingIds, boolean consistent) {
        if (pendingIds.isEmpty()) return List.of();
        Map<String, Map<String, AttributeValue>> items = reads.batchGet(approvalsTable, pendingIds.keySet(), consistent);
        List<Approval> out = new ArrayList<>();
        for (String id : pendingIds.keySet()) {
            Map<String, AttributeValue> item = items.get(id);
            if (item == null) throw new StoreException("state store: approval " + id + " of pipeline " + pipeline + " is pending but not stored");
            Approval a = ApprovalItems.read(item);
            // The item may already show a resolution whose step is being copied out: the pipeline item says pending.
            out.add(a.status() == ApprovalStatus.PENDING ? a
                    : new Approval(a.id(), a.pipeline(), a.type(), ApprovalStatus.PENDING, a.createdAt(), a.decisionId(), a.summary(),
                    a.request(), null, null, null));
        }
        return out;
    }

    /** Conditional put of the pipeline item; false when another writer changed it since {@code readVersion}. */
    boolean commit(String pipeline, Map<String, AttributeValue> item, Long readVersion) {
        return TableReads.call("commit of pipeline " + pipeline, () -> {
            try {
                ddb.putItem(b -> {
                    b.tableName(table).item(item);
                    if (readVersion == null) {
                        b.conditionExpression("attribute_not_exists(#p)").expressionAttributeNames(Map.of("#p", "pipeline"));
                    } else {
                        b.conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
                                .expressionAttributeValues(Map.of(":v", Items.n(readVersion)));
                    }
                });
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    /** Copies the outbox of a committed step into the decisions and approvals tables, then removes it; idempotent. */
    void copyOut(String pipeline, Outbox o, long version) {
        if (o.decision() != null) decisions.putIfAbsent(o.decision());
        if (o.opened() != null) approvals.putIfAbsent(o.opened());
        if (o.ended() != null) {
            Decision ended = o.ended();
            decisions.update(ended.id(), d -> d.launch() != null && d.launch().status() == LaunchStatus.PENDING ? ended : null);
        }
        if (o.resolved() != null) approvals.resolve(o.resolved());
        clearOutbox(pipeline, version);
    }

    private void clearOutbox(String pipeline, long version) {
        TableReads.call("outbox of pipeline " + pipeline, () -> {
            try {
                ddb.updateItem(b -> b.tableName(table).key(Map.of("pipeline", Items.s(pipeline)))
                        .updateExpression("REMOVE #o")
                        .conditionExpression("#v = :v")
                        .expressionAttributeNames(Map.of("#o", "outbox", "#v", "version"))
                        .expressionAttributeValues(Map.of(":v", Items.n(version))));
            } catch (ConditionalCheckFailedException newerStep) {
                // a newer step replaced the item (and the outbox with it) already
            }
            return null;
        });
    }

    /** Copies out what a step of {@code item}'s version left behind (its writer may have died before). */
    void rollForward(String pipeline, Map<String, AttributeValue> item) {
        AttributeValue o = item.get("outbox");
        if (o == null) return;
        LOG.debugf("rolling forward the last step of pipeline %s", pipeline);
        copyOut(pipeline, StoreJson.read(Items.text(o), Outbox.class), Items.num(item, "version", 0));
    }

    /** Rolls forward every pipeline whose last step was not copied out (a small scan: one item per pipeline). */
    int rollForwardAll() {
        int n = 0;
        for (Map<String, AttributeValue> item : reads.scan(ScanRequest.builder().tableName(table)
                .filterExpression("attribute_exists(#o)").expressionAttributeNames(Map.of("#o", "outbox")).consistentRead(true).build())) {
            rollForward(Items.str(item, "pipeline"), item);
            n++;
        }
        return n;
    }
}
