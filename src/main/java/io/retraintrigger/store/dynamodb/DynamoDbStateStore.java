package io.retraintrigger.store.dynamodb;

import io.retraintrigger.config.DynamoDbStoreConfig;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.store.ApprovalConflictException;
import io.retraintrigger.store.CoordinatorStep;
import io.retraintrigger.store.Deferred;
import io.retraintrigger.store.PipelineView;
import io.retraintrigger.store.StateStore;
import io.retraintrigger.store.StepEffects.DeferredChange;
import io.retraintrigger.store.StepEffects;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link StateStore} on Amazon DynamoDB, for several replicas on AWS ({@code retrain.store.kind=dynamodb}).
 * Tables and indexes: {@link DynamoDbTables}.
 *
 * <h2>Atomic coordinator steps without multi-item transactions</h2>
 * The pipeline item is the single point where a step commits. It holds everything a step reads
 * <em>and</em> everything that must change together with it:
 * <ul>
 *   <li>the counters ({@code day, trainingsToday, spendToday, lastTrainingAt, sequence}) and a {@code version};</li>
 *   <li>the pipeline's deferred request ({@code deferred}, JSON, and {@code deferredDueAt});</li>
 *   <li>the ids of its pending approvals ({@code pending}: map id → createdKey): the authoritative
 *       "is this approval still pending" for the coordinator;</li>
 *   <li>{@code outbox}: the records the last step created (its decision, the approval it opened, the
 *       approval it resolved, the decision whose launch it ended), until they are copied into their own tables.</li>
 * </ul>
 * {@link #coordinate} reads the item (strongly consistent), first copies any outbox left by an earlier
 * step into the decisions/approvals tables (roll forward: a writer may have died after committing),
 * reads the bodies of the pending approvals, runs the step, and commits the whole new item with ONE
 * conditional PutItem: {@code version = :read} ({@code attribute_not_exists(pipeline)} for a new
 * pipeline). A concurrent writer makes that condition fail and the whole read-step-write is retried
 * with jittered backoff (the step is pure). After the commit the outbox is copied out with idempotent
 * conditional puts (a decision or an opened approval {@code attribute_not_exists(id)}; a resolution
 * {@code status = PENDING}) and then removed. Resolving an approval that is not in the pending set of
 * the version read throws {@link ApprovalConflictException} before anything is written; since every
 * resolution commits through the versioned item, exactly one of concurrent resolutions wins.
 *
 * <p>This deliberately does not use TransactWriteItems: the emulator the tests run on (dynalite) has
 * no transactions, and a single-item commit is as atomic on DynamoDB itself (and half the write cost).
 * The price: for the moment between a commit and its copy-out (or, after a crash there, until the
 * next step of that pipeline or the next {@link #pendingLaunches} sweep rolls it forward) a decision is
 * in the pipeline's outbox and not yet visible through {@link #decision}. Counters, deferred requests
 * and pending approvals, which the decisions depend on, are never behind.
 *
 * <h2>Other items</h2>
 * <ul>
 *   <li>decisions ({@code id}): JSON {@code body}, a revision {@code rev} for conditional updates
 *       (updateLaunch, recordExecutionStatus), and the index attributes {@code pipeline},
 *       {@code outcome}, {@code pipelineOutcome}, {@code decidedKey} (sortable decidedAt + "#" + id) and
 *       {@code launchPending} (present only while LAUNCHED with a PENDING launch: a sparse index).
 *       Lookup items {@code execution#<executionId>} → {@code decisionId} in the same table (not in
 *       any index) find the decision of an execution with a consistent GetItem; items
 *       {@code audit#<state>#<decisionId>} mark the states that went to the audit sink ({@link DynamoDbAuditMarks}). While a launch is
 *       pending, {@code sendLeaseUntil} and {@code sendLeaseHolder} say who sends it.</li>
 *   <li>approvals ({@code id}): JSON {@code body}, {@code pipeline}, {@code status}, {@code createdKey}.</li>
 *   <li>dead-letters: {@link DynamoDbDeadLetterStore}.</li>
 * </ul>
 * Index queries are eventually consistent: they say which records, and the records themselves are then
 * read with BatchGetItem (strongly consistent with {@code consistent-reads}) and filtered again, so a
 * record is never stale, though one written a moment ago may be missing from a listing. JSON bodies
 * over 16 KB are stored gzip-compressed (binary); one item holds at most 400 KB, which bounds a
 * request's object list to some tens of thousands of URIs.
 */
public class DynamoDbStateStore implements StateStore {
    private static final Logger LOG = Logger.getLogger(DynamoDbStateStore.class);

    static final String EXECUTION_PREFIX = "execution#";
    private static final String PENDING = LaunchStatus.PENDING.name();
    private static final int UPDATE_ATTEMPTS = 20;

    private final DynamoDbClient ddb;
    private final DynamoDbTables.Names tables;
    private final boolean consistentReads;
    private final TableReads reads;
    private final int maxAttempts;

    /** Tests only: false simulates a replica that dies between a step's commit and the copy-out of its records. */
    volatile boolean copyOutAfterCommit = true;

    public DynamoDbStateStore(DynamoDbClient ddb, DynamoDbTables.Names tables, boolean consistentReads, int maxAttempts) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.consistentReads = consistentReads;
        this.reads = new TableReads(this.ddb, consistentReads);
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    public DynamoDbStateStore(DynamoDbClient ddb, DynamoDbStoreConfig config) {
        this(ddb, DynamoDbTables.Names.of(config), config.consistentReads(), config.maxAttempts());
    }

    /** What a step created, kept in the pipeline item until copied into the decisions and approvals tables. */
    record Outbox(Decision decision, Approval opened, Approval resolved, Decision ended) {
    }

    // ------------------------------------------------------------------ coordinator

    @Override
    public StepEffects coordinate(String pipeline, Instant now, String decisionId, CoordinatorStep step) {
        Objects.requireNonNull(pipeline, "pipeline");
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = getPipelineItem(pipeline, true);
            if (item != null) rollForward(pipeline, item);
            // Every step of this pipeline commits through the version read above, and the step before it has just been
            // copied out: a decision with this id is either visible now or its step commits after our read, and then
            // our commit fails its condition and this check runs again.
            if (decisionId != null) {
                Map<String, AttributeValue> recorded = reads.getItem(tables.decisions(), "id", decisionId, true);
                if (recorded != null) return StepEffects.replayed(readDecision(recorded));
            }
            Map<String, String> pendingIds = item == null ? Map.of() : pendingIds(item);
            List<Approval> pending = pendingApprovals(pipeline, pendingIds, true);
            PipelineState stored = item == null ? null : readState(item);
            PipelineState base = stored != null ? stored : PipelineState.initial(pipeline, PipelineState.utcDay(now));
            PipelineState state = base.withPendingApprovals(pending.stream().map(Approval::id).toList()).on(PipelineState.utcDay(now));
            Optional<Deferred> deferred = item == null ? Optional.empty() : readDeferred(item);

            StepEffects effects = Objects.requireNonNull(step.apply(new PipelineView(state, deferred, pending)), "step returned null");

            if (effects.resolveApproval().isPresent()) {
                String id = effects.resolveApproval().get().id();
                boolean openedNow = effects.openApproval().map(a -> a.id().equals(id)).orElse(false);
                if (!pendingIds.containsKey(id) && !openedNow) {
                    throw new ApprovalConflictException("approval " + id + " is no longer pending");
                }
            }
            if (item != null && writesNothing(effects)) return effects;
            if (effects.endedLaunch().isPresent() && !launchPending(effects.endedLaunch().get().id())) {
                return StepEffects.NOTHING; // its launch was answered meanwhile: nothing to end, nothing to release
            }

            long version = item == null ? 0 : Items.num(item, "version", 0);
            Outbox outbox = outboxOf(effects);
            Map<String, AttributeValue> next = nextItem(pipeline, item, base, pendingIds, effects, outbox, version + 1);
            if (commit(pipeline, next, item == null ? null : version)) {
                if (copyOutAfterCommit && outbox != null) {
                    try {
                        copyOut(outbox);
                        clearOutbox(pipeline, version + 1);
                    } catch (StoreException e) {
                        throw new StoreException("state store: the step of pipeline " + pipeline + " was recorded, but copying its"
                                + " decision and approvals out of the pipeline item failed (the next step or resend sweep does it): "
                                + e.getMessage(), e);
                    }
                }
                return effects;
            }
            if (attempt >= maxAttempts) {
                throw new StoreException("state store: pipeline " + pipeline + " kept changing under " + attempt
                        + " attempts of a coordinator step; giving up (retrain.store.dynamodb.max-attempts)");
            }
            LOG.debugf("pipeline %s changed during a step (attempt %d); retrying", pipeline, attempt);
            Items.backoff(attempt);
        }
    }

    private static boolean writesNothing(StepEffects e) {
        DeferredChange dc = e.deferredChange();
        return e.decision().isEmpty() && e.newState().isEmpty() && (dc == null || dc.kind() == DeferredChange.Kind.KEEP)
                && e.openApproval().isEmpty() && e.resolveApproval().isEmpty() && e.endedLaunch().isEmpty();
    }

    /**
     * Whether a decision's launch is still PENDING (read strongly consistent). Ending it commits through the
     * pipeline item like every step; the decision item follows in the copy-out, and only while still pending.
     */
    private boolean launchPending(String decisionId) {
        Map<String, AttributeValue> d = reads.getItem(tables.decisions(), "id", decisionId, true);
        return d != null && d.containsKey("launchPending");
    }

    private static Outbox outboxOf(StepEffects e) {
        if (e.decision().isEmpty() && e.openApproval().isEmpty() && e.resolveApproval().isEmpty() && e.endedLaunch().isEmpty()) return null;
        return new Outbox(e.decision().orElse(null), e.openApproval().orElse(null), e.resolveApproval().orElse(null),
                e.endedLaunch().orElse(null));
    }

    private Map<String, AttributeValue> nextItem(String pipeline, Map<String, AttributeValue> old, PipelineState base,
                                                 Map<String, String> pendingIds, StepEffects effects, Outbox outbox, long version) {
        PipelineState s = effects.newState().orElse(base);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pipeline", Items.s(pipeline));
        item.put("version", Items.n(version));
        item.put("day", Items.s(s.day().toString()));
        item.put("trainingsToday", Items.n(s.trainingsToday()));
        item.put("spendToday", Items.n(s.spendToday()));
        if (s.lastTrainingAt() != null) item.put("lastTrainingAt", Items.s(Items.sortable(s.lastTrainingAt())));
        item.put("sequence", Items.n(s.sequence()));

        Map<String, String> pending = new LinkedHashMap<>(pendingIds);
        effects.openApproval().filter(a -> a.status() == ApprovalStatus.PENDING).ifPresent(a -> pending.put(a.id(), createdKey(a)));
        effects.resolveApproval().ifPresent(a -> pending.remove(a.id()));
        if (!pending.isEmpty()) {
            Map<String, AttributeValue> m = new HashMap<>();
            pending.forEach((id, key) -> m.put(id, Items.s(key)));
            item.put("pending", AttributeValue.fromM(m));
        }

        DeferredChange change = effects.deferredChange() == null ? DeferredChange.keep() : effects.deferredChange();
        switch (change.kind()) {
            case KEEP -> {
                if (old != null && old.containsKey("deferred")) {
                    item.put("deferred", old.get("deferred"));
                    item.put("deferredDueAt", old.get("deferredDueAt"));
                }
            }
            case DELETE -> {
            }
            case PUT -> {
                Deferred d = Objects.requireNonNull(change.replacement(), "deferred replacement");
                item.put("deferred", Items.text(StoreJson.write(d)));
                item.put("deferredDueAt", Items.s(Items.sortable(d.dueAt())));
            }
        }
        if (outbox != null) item.put("outbox", Items.text(StoreJson.write(outbox)));
        long size = Items.size(item);
        if (size > Items.MAX_ITEM_BYTES) {
            throw new StoreException("state store: the state of pipeline " + pipeline + " would take " + size
                    + " bytes, over DynamoDB's item limit of 400 KB (its deferred request or decision carries too much metadata)");
        }
        return item;
    }

    /** Conditional put of the pipeline item; false when another writer changed it since {@code readVersion}. */
    private boolean commit(String pipeline, Map<String, AttributeValue> item, Long readVersion) {
        return TableReads.call("commit of pipeline " + pipeline, () -> {
            try {
                ddb.putItem(b -> {
                    b.tableName(tables.pipelines()).item(item);
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

    /** Copies the outbox of a committed step into the decisions and approvals tables; idempotent. */
    private void copyOut(Outbox o) {
        if (o.decision() != null) putIfAbsent(tables.decisions(), decisionItem(o.decision(), 1));
        if (o.opened() != null) putIfAbsent(tables.approvals(), approvalItem(o.opened()));
        if (o.ended() != null) {
            Decision ended = o.ended();
            updateDecision(ended.id(), d -> d.launch() != null && d.launch().status() == LaunchStatus.PENDING ? ended : null);
        }
        if (o.resolved() != null) {
            Approval a = o.resolved();
            TableReads.call("resolution of approval " + a.id(), () -> {
                try {
                    ddb.putItem(b -> b.tableName(tables.approvals()).item(approvalItem(a))
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

    private void putIfAbsent(String table, Map<String, AttributeValue> item) {
        TableReads.call("put into " + table, () -> {
            try {
                ddb.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", "id")));
            } catch (ConditionalCheckFailedException exists) {
                // copied out before
            }
            return null;
        });
    }

    private void clearOutbox(String pipeline, long version) {
        TableReads.call("outbox of pipeline " + pipeline, () -> {
            try {
                ddb.updateItem(b -> b.tableName(tables.pipelines()).key(Map.of("pipeline", Items.s(pipeline)))
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
    private void rollForward(String pipeline, Map<String, AttributeValue> item) {
        AttributeValue o = item.get("outbox");
        if (o == null) return;
        LOG.debugf("rolling forward the last step of pipeline %s", pipeline);
        copyOut(StoreJson.read(Items.text(o), Outbox.class));
        clearOutbox(pipeline, Items.num(item, "version", 0));
    }

    /** Rolls forward every pipeline whose last step was not copied out (a small scan: one item per pipeline). */
    int rollForwardAll() {
        int n = 0;
        for (Map<String, AttributeValue> item : reads.scan(ScanRequest.builder().tableName(tables.pipelines())
                .filterExpression("attribute_exists(#o)").expressionAttributeNames(Map.of("#o", "outbox")).consistentRead(true).build())) {
            rollForward(Items.str(item, "pipeline"), item);
            n++;
        }
        return n;
    }

    private Map<String, AttributeValue> getPipelineItem(String pipeline, boolean consistent) {
        return reads.getItem(tables.pipelines(), "pipeline", pipeline, consistent);
    }

    private static Map<String, String> pendingIds(Map<String, AttributeValue> item) {
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
    private List<Approval> pendingApprovals(String pipeline, Map<String, String> pendingIds, boolean consistent) {
        if (pendingIds.isEmpty()) return List.of();
        Map<String, Map<String, AttributeValue>> items = reads.batchGet(tables.approvals(), pendingIds.keySet(), consistent);
        List<Approval> out = new ArrayList<>();
        for (String id : pendingIds.keySet()) {
            Map<String, AttributeValue> item = items.get(id);
            if (item == null) throw new StoreException("state store: approval " + id + " of pipeline " + pipeline + " is pending but not stored");
            Approval a = readApproval(item);
            // The item may already show a resolution whose step is being copied out: the pipeline item says pending.
            out.add(a.status() == ApprovalStatus.PENDING ? a
                    : new Approval(a.id(), a.pipeline(), a.type(), ApprovalStatus.PENDING, a.createdAt(), a.decisionId(), a.summary(),
                    a.request(), null, null, null));
        }
        return out;
    }

    private static PipelineState readState(Map<String, AttributeValue> item) {
        return new PipelineState(Items.str(item, "pipeline"), LocalDate.parse(Items.str(item, "day")),
                (int) Items.num(item, "trainingsToday", 0), Items.dbl(item, "spendToday"),
                Items.instant(Items.str(item, "lastTrainingAt")), Items.num(item, "sequence", 0), List.of());
    }

    private static Optional<Deferred> readDeferred(Map<String, AttributeValue> item) {
        AttributeValue d = item.get("deferred");
        return d == null ? Optional.empty() : Optional.of(StoreJson.read(Items.text(d), Deferred.class));
    }

    @Override
    public Optional<PipelineState> pipelineState(String pipeline) {
        Map<String, AttributeValue> item = getPipelineItem(pipeline, consistentReads);
        if (item == null) return Optional.empty();
        return Optional.of(readState(item).withPendingApprovals(List.copyOf(pendingIds(item).keySet())));
    }

    // ------------------------------------------------------------------ decisions

    private static Map<String, AttributeValue> decisionItem(Decision d, long rev) {
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
            item.put("launchPending", Items.s(PENDING));
        }
        if (d.launch() != null && d.launch().executionId() != null) item.put("executionId", Items.s(d.launch().executionId()));
        long size = Items.size(item);
        if (size > Items.MAX_ITEM_BYTES) {
            throw new StoreException("state store: decision " + d.id() + " would take " + size + " bytes, over DynamoDB's item limit of 400 KB");
        }
        return item;
    }

    private static Decision readDecision(Map<String, AttributeValue> item) {
        return StoreJson.read(Items.text(item.get("body")), Decision.class);
    }

    @Override
    public Decision recordDecision(Decision decision) {
        Map<String, AttributeValue> item = decisionItem(decision, 1);
        return TableReads.call("record of decision " + decision.id(), () -> {
            try {
                ddb.putItem(b -> b.tableName(tables.decisions()).item(item)
                        .conditionExpression("attribute_not_exists(#id)").expressionAttributeNames(Map.of("#id", "id")));
                return decision;
            } catch (ConditionalCheckFailedException e) {
                return readDecision(reads.getItem(tables.decisions(), "id", decision.id(), true));
            }
        });
    }

    @Override
    public void updateLaunch(String decisionId, Outcome outcome, List<String> reasons, Launch launch) {
        updateDecision(decisionId, d -> d.launchAnswered(outcome, reasons, launch))
                .orElseThrow(() -> new StoreException("no decision " + decisionId));
    }

    @Override
    public Optional<Decision> recordExecutionStatus(String executionId, String status, Instant at) {
        Map<String, AttributeValue> lookup = reads.getItem(tables.decisions(), "id", Items.boundedKey(EXECUTION_PREFIX + executionId), true);
        if (lookup == null) return Optional.empty();
        return updateDecision(Items.str(lookup, "decisionId"), d -> d.launch() == null || !executionId.equals(d.launch().executionId())
                ? null
                : d.withLaunch(d.launch().withExecutionStatus(status, at)));
    }

    /**
     * Read-modify-write of one decision, conditional on its revision. {@code change} returning null
     * leaves it alone (and the result is empty), as does an unknown id.
     */
    private Optional<Decision> updateDecision(String id, Function<Decision, Decision> change) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = reads.getItem(tables.decisions(), "id", id, true);
            if (item == null) return Optional.empty();
            long rev = Items.num(item, "rev", 1);
            Decision updated = change.apply(readDecision(item));
            if (updated == null) return Optional.empty();
            if (updated.launch() != null && updated.launch().executionId() != null) {
                // The lookup first: a reader that finds it checks the decision's execution id, so a crash in between is harmless.
                String execId = updated.launch().executionId();
                TableReads.call("execution lookup of " + id, () -> ddb.putItem(b -> b.tableName(tables.decisions()).item(Map.of(
                        "id", Items.s(Items.boundedKey(EXECUTION_PREFIX + execId)), "decisionId", Items.s(id)))));
            }
            Map<String, AttributeValue> next = decisionItem(updated, rev + 1);
            boolean written = TableReads.call("update of decision " + id, () -> {
                try {
                    ddb.putItem(b -> b.tableName(tables.decisions()).item(next).conditionExpression("#r = :r")
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

    @Override
    public Optional<Decision> decision(String id) {
        return Optional.ofNullable(reads.getItem(tables.decisions(), "id", id, consistentReads)).map(DynamoDbStateStore::readDecision);
    }

    @Override
    public List<Decision> decisions(String pipeline, Outcome outcome, int limit) {
        if (limit <= 0) return List.of();
        Iterator<Map<String, AttributeValue>> keys;
        if (pipeline != null && outcome != null) {
            keys = reads.query(tables.decisions(), DynamoDbTables.BY_PIPELINE_OUTCOME, "pipelineOutcome", pipeline + "#" + outcome.name(), null, null, false, limit);
        } else if (pipeline != null) {
            keys = reads.query(tables.decisions(), DynamoDbTables.BY_PIPELINE, "pipeline", pipeline, null, null, false, limit);
        } else if (outcome != null) {
            keys = reads.query(tables.decisions(), DynamoDbTables.BY_OUTCOME, "outcome", outcome.name(), null, null, false, limit);
        } else {
            List<Iterator<Map<String, AttributeValue>>> all = new ArrayList<>();
            for (Outcome o : Outcome.values()) {
                all.add(reads.query(tables.decisions(), DynamoDbTables.BY_OUTCOME, "outcome", o.name(), null, null, false, limit));
            }
            keys = TableReads.merge(all, "decidedKey", true);
        }
        return reads.collect(keys, tables.decisions(), DynamoDbStateStore::readDecision,
                d -> (pipeline == null || pipeline.equals(d.pipeline())) && (outcome == null || outcome == d.outcome()), limit);
    }

    /** A conditional update of the decision item: its launch still pending, no lease or an ended one. */
    @Override
    public boolean claimLaunch(String decisionId, String holder, Instant now, Instant until) {
        return conditionalUpdate("claim of launch " + decisionId, decisionId, "SET #l = :until, #h = :holder",
                "attribute_exists(#p) AND (attribute_not_exists(#l) OR #l <= :now)",
                Map.of("#l", "sendLeaseUntil", "#h", "sendLeaseHolder", "#p", "launchPending"),
                Map.of(":until", Items.n(until.toEpochMilli()), ":holder", Items.s(holder), ":now", Items.n(now.toEpochMilli())));
    }

    @Override
    public boolean renewLaunch(String decisionId, String holder, Instant until) {
        return conditionalUpdate("renewal of launch " + decisionId, decisionId, "SET #l = :until",
                "attribute_exists(#p) AND #h = :holder",
                Map.of("#l", "sendLeaseUntil", "#h", "sendLeaseHolder", "#p", "launchPending"),
                Map.of(":until", Items.n(until.toEpochMilli()), ":holder", Items.s(holder)));
    }

    /** An item {@code audit#<state>#<decisionId>} in the decisions table (in no index, like the execution lookups), put if absent. */
    private boolean conditionalUpdate(String what, String decisionId, String update, String condition,
                                      Map<String, String> names, Map<String, AttributeValue> values) {
        return TableReads.call(what, () -> {
            try {
                ddb.updateItem(b -> b.tableName(tables.decisions()).key(Map.of("id", Items.s(decisionId)))
                        .updateExpression(update).conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    @Override
    public List<Decision> pendingLaunches(Instant decidedBefore, int limit) {
        if (limit <= 0) return List.of();
        rollForwardAll();
        Iterator<Map<String, AttributeValue>> keys = reads.query(tables.decisions(), DynamoDbTables.PENDING_LAUNCH, "launchPending", PENDING,
                "decidedKey", Items.sortable(decidedBefore), true, limit);
        return reads.collect(keys, tables.decisions(), DynamoDbStateStore::readDecision,
                d -> d.outcome() == Outcome.LAUNCHED && d.launch() != null && d.launch().status() == LaunchStatus.PENDING
                        && d.decidedAt().isBefore(decidedBefore), limit);
    }

    // ------------------------------------------------------------------ deferred

    @Override
    public Optional<Deferred> deferred(String pipeline) {
        Map<String, AttributeValue> item = getPipelineItem(pipeline, consistentReads);
        return item == null ? Optional.empty() : readDeferred(item);
    }

    @Override
    public List<String> pipelinesWithDueDeferred(Instant now) {
        List<Map<String, AttributeValue>> due = new ArrayList<>();
        for (Map<String, AttributeValue> item : reads.scan(ScanRequest.builder().tableName(tables.pipelines())
                .filterExpression("#d <= :now")
                .projectionExpression("#p, #d")
                .expressionAttributeNames(Map.of("#d", "deferredDueAt", "#p", "pipeline"))
                .expressionAttributeValues(Map.of(":now", Items.s(Items.sortable(now))))
                .consistentRead(true).build())) {
            due.add(item);
        }
        due.sort(Comparator.comparing((Map<String, AttributeValue> i) -> Items.str(i, "deferredDueAt")).thenComparing(i -> Items.str(i, "pipeline")));
        return due.stream().map(i -> Items.str(i, "pipeline")).toList();
    }

    // ------------------------------------------------------------------ approvals

    private static String createdKey(Approval a) {
        if (a.createdAt() == null) throw new StoreException("state store: approval " + a.id() + " has no creation time");
        return Items.sortable(a.createdAt()) + "#" + a.id();
    }

    private static Map<String, AttributeValue> approvalItem(Approval a) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", Items.s(a.id()));
        item.put("pipeline", Items.s(a.pipeline()));
        item.put("status", Items.s(a.status().name()));
        item.put("createdKey", Items.s(createdKey(a)));
        item.put("body", Items.text(StoreJson.write(a)));
        return item;
    }

    private static Approval readApproval(Map<String, AttributeValue> item) {
        return StoreJson.read(Items.text(item.get("body")), Approval.class);
    }

    @Override
    public Optional<Approval> approval(String id) {
        return Optional.ofNullable(reads.getItem(tables.approvals(), "id", id, consistentReads)).map(DynamoDbStateStore::readApproval);
    }

    @Override
    public List<Approval> approvals(String pipeline, ApprovalStatus status, int limit) {
        if (limit <= 0) return List.of();
        if (pipeline != null && status == ApprovalStatus.PENDING) {
            // Exact and consistent: the pipeline item lists its pending approvals.
            Map<String, AttributeValue> item = getPipelineItem(pipeline, true);
            if (item == null) return List.of();
            rollForward(pipeline, item);
            List<Approval> pending = pendingApprovals(pipeline, pendingIds(item), consistentReads);
            return pending.subList(0, Math.min(limit, pending.size()));
        }
        Iterator<Map<String, AttributeValue>> keys;
        if (pipeline != null) {
            keys = reads.query(tables.approvals(), DynamoDbTables.BY_PIPELINE, "pipeline", pipeline, null, null, false, limit);
        } else if (status != null) {
            keys = reads.query(tables.approvals(), DynamoDbTables.BY_STATUS, "status", status.name(), null, null, false, limit);
        } else {
            List<Iterator<Map<String, AttributeValue>>> all = new ArrayList<>();
            for (ApprovalStatus s : ApprovalStatus.values()) {
                all.add(reads.query(tables.approvals(), DynamoDbTables.BY_STATUS, "status", s.name(), null, null, false, limit));
            }
            keys = TableReads.merge(all, "createdKey", true);
        }
        return reads.collect(keys, tables.approvals(), DynamoDbStateStore::readApproval,
                a -> (pipeline == null || pipeline.equals(a.pipeline())) && (status == null || status == a.status()), limit);
    }

    @Override
    public void ping() {
        reads.getItem(tables.pipelines(), "pipeline", "#ping", false);
    }
}
