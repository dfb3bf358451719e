package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Evaluation;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.StoreException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link DecisionLog} in the decisions table ({@link DecisionItems}). A decision a coordinator step took
 * reaches this table in the step's copy-out ({@link DynamoDbPipelineSteps}); the resend sweep
 * ({@link #pendingLaunches}) first rolls forward any step whose copy-out did not happen, so no launch is
 * left unsent.
 */
public class DynamoDbDecisionLog implements DecisionLog {
    private static final String PENDING = LaunchStatus.PENDING.name();

    private final String table;
    private final boolean consistentReads;
    private final TableReads reads;
    private final PipelineItems pipelines;
    private final DecisionItems items;

    public DynamoDbDecisionLog(DynamoDbClient ddb, DynamoDbTables.Names tables, boolean consistentReads) {
        Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(tables, "tables").decisions();
        this.consistentReads = consistentReads;
        this.reads = new TableReads(ddb, consistentReads);
        this.pipelines = new PipelineItems(ddb, tables, reads);
        this.items = pipelines.decisions;
    }

    @Override
    public Decision recordDecision(Decision decision) {
        return items.putIfAbsent(decision);
    }

    @Override
    public void updateLaunch(String decisionId, Outcome outcome, List<String> reasons, Launch launch) {
        items.update(decisionId, d -> d.launchAnswered(outcome, reasons, launch))
                .orElseThrow(() -> new StoreException("no decision " + decisionId));
    }

    @Override
    public Optional<Decision> recordExecutionStatus(String executionId, String status, Instant at) {
        return items.launchedExecution(executionId).flatMap(id -> items.update(id, d -> d.launch() == null || !executionId.equals(d.launch().executionId())
                ? null
                : d.withLaunch(d.launch().withExecutionStatus(status, at))));
    }

    @Override
    public Optional<Decision> recordEvaluation(String decisionId, UnaryOperator<Evaluation> change) {
        return items.update(decisionId, d -> {
            Evaluation next = change.apply(d.evaluation());
            return next == null ? null : d.withEvaluation(next);
        });
    }

    @Override
    public Optional<Decision> decision(String id) {
        return items.get(id, consistentReads);
    }

    @Override
    public List<Decision> decisions(String pipeline, Outcome outcome, int limit) {
        if (limit <= 0) return List.of();
        Iterator<Map<String, AttributeValue>> keys;
        if (pipeline != null && outcome != null) {
            keys = reads.query(table, DynamoDbTables.BY_PIPELINE_OUTCOME, "pipelineOutcome", pipeline + "#" + outcome.name(), null, null, false, limit);
        } else if (pipeline != null) {
            keys = reads.query(table, DynamoDbTables.BY_PIPELINE, "pipeline", pipeline, null, null, false, limit);
        } else if (outcome != null) {
            keys = reads.query(table, DynamoDbTables.BY_OUTCOME, "outcome", outcome.name(), null, null, false, limit);
        } else {
            List<Iterator<Map<String, AttributeValue>>> all = new ArrayList<>();
            for (Outcome o : Outcome.values()) {
                all.add(reads.query(table, DynamoDbTables.BY_OUTCOME, "outcome", o.name(), null, null, false, limit));
            }
            keys = TableReads.merge(all, "decidedKey", true);
        }
        return reads.collect(keys, table, DecisionItems::read,
                d -> (pipeline == null || pipeline.equals(d.pipeline())) && (outcome == null || outcome == d.outcome()), limit);
    }

    @Override
    public List<Decision> pendingLaunches(Instant decidedBefore, int limit) {
        if (limit <= 0) return List.of();
        pipelines.rollForwardAll();
        Iterator<Map<String, AttributeValue>> keys = reads.query(table, DynamoDbTables.PENDING_LAUNCH, "launchPending", PENDING,
                "decidedKey", Items.sortable(decidedBefore), true, limit);
        return reads.collect(keys, table, DecisionItems::read,
                d -> d.outcome() == Outcome.LAUNCHED && d.launch() != null && d.launch().status() == LaunchStatus.PENDING
                        && d.decidedAt().isBefore(decidedBefore), limit);
    }
}
