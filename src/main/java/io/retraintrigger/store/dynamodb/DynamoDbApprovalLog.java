package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.store.ApprovalLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ApprovalLog} in the approvals table ({@link ApprovalItems}). The pending approvals of one
 * pipeline are read from its pipeline item, which is authoritative for them ({@link DynamoDbPipelineSteps}).
 */
public class DynamoDbApprovalLog implements ApprovalLog {
    private final String table;
    private final boolean consistentReads;
    private final TableReads reads;
    private final PipelineItems pipelines;

    public DynamoDbApprovalLog(DynamoDbClient ddb, DynamoDbTables.Names tables, boolean consistentReads) {
        Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(tables, "tables").approvals();
        this.consistentReads = consistentReads;
        this.reads = new TableReads(ddb, consistentReads);
        this.pipelines = new PipelineItems(ddb, tables, reads);
    }

    @Override
    public Optional<Approval> approval(String id) {
        return Optional.ofNullable(reads.getItem(table, "id", id, consistentReads)).map(ApprovalItems::read);
    }

    @Override
    public List<Approval> approvals(String pipeline, ApprovalStatus status, int limit) {
        if (limit <= 0) return List.of();
        if (pipeline != null && status == ApprovalStatus.PENDING) {
            // Exact and consistent: the pipeline item lists its pending approvals.
            Map<String, AttributeValue> item = pipelines.get(pipeline, true);
            if (item == null) return List.of();
            pipelines.rollForward(pipeline, item);
            List<Approval> pending = pipelines.pendingApprovals(pipeline, PipelineItems.pendingIds(item), consistentReads);
            return pending.subList(0, Math.min(limit, pending.size()));
        }
        Iterator<Map<String, AttributeValue>> keys;
        if (pipeline != null) {
            keys = reads.query(table, DynamoDbTables.BY_PIPELINE, "pipeline", pipeline, null, null, false, limit);
        } else if (status != null) {
            keys = reads.query(table, DynamoDbTables.BY_STATUS, "status", status.name(), null, null, false, limit);
        } else {
            List<Iterator<Map<String, AttributeValue>>> all = new ArrayList<>();
            for (ApprovalStatus s : ApprovalStatus.values()) {
                all.add(reads.query(table, DynamoDbTables.BY_STATUS, "status", s.name(), null, null, false, limit));
            }
            keys = TableReads.merge(all, "createdKey", true);
        }
        return reads.collect(keys, table, ApprovalItems::read,
                a -> (pipeline == null || pipeline.equals(a.pipeline())) && (status == null || status == a.status()), limit);
    }
}
