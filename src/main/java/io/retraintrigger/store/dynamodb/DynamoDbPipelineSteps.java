package io.retraintrigger.store.dynamodb;

import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.store.ApprovalConflictException;
import io.retraintrigger.store.CoordinatorStep;
import io.retraintrigger.store.Deferred;
import io.retraintrigger.store.PipelineSteps;
import io.retraintrigger.store.PipelineView;
import io.retraintrigger.store.StepEffects.DeferredChange;
import io.retraintrigger.store.StepEffects;
import io.retraintrigger.store.StoreException;
import io.retraintrigger.store.StoreJson;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link PipelineSteps} on Amazon DynamoDB, for several replicas on AWS ({@code retrain.store.kind=dynamodb}).
 * Tables and indexes: {@link DynamoDbTables}; the items: {@link PipelineItems}, {@link DecisionItems}, {@link ApprovalItems}.
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
 * next step of that pipeline or the next {@link DynamoDbDecisionLog#pendingLaunches} sweep rolls it forward) a decision is
 * in the pipeline's outbox and not yet visible through {@link DynamoDbDecisionLog#decision}. Counters, deferred requests
 * and pending approvals, which the decisions depend on, are never behind.
 *
 * <p>Index queries are eventually consistent: they say which records, and the records themselves are then
 * read with BatchGetItem (strongly consistent with {@code consistent-reads}) and filtered again, so a
 * record is never stale, though one written a moment ago may be missing from a listing. JSON bodies
 * over 16 KB are stored gzip-compressed (binary); one item holds at most 400 KB, which bounds a
 * request's object list to some tens of thousands of URIs.
 */
public class DynamoDbPipelineSteps implements PipelineSteps {
    private static final Logger LOG = Logger.getLogger(DynamoDbPipelineSteps.class);

    private final String table;
    private final boolean consistentReads;
    private final TableReads reads;
    private final PipelineItems items;
    private final int maxAttempts;

    /** Tests only: false simulates a replica that dies between a step's commit and the copy-out of its records. */
    volatile boolean copyOutAfterCommit = true;

    public DynamoDbPipelineSteps(DynamoDbClient ddb, DynamoDbTables.Names tables, boolean consistentReads, int maxAttempts) {
        Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(tables, "tables").pipelines();
        this.consistentReads = consistentReads;
        this.reads = new TableReads(ddb, consistentReads);
        this.items = new PipelineItems(ddb, tables, reads);
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    @Override
    public StepEffects coordinate(String pipeline, Instant now, String decisionId, CoordinatorStep step) {
        Objects.requireNonNull(pipeline, "pipeline");
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = items.get(pipeline, true);
            if (item != null) items.rollForward(pipeline, item);
            // Every step of this pipeline commits through the version read above, and the step before it has just been
            // copied out: a decision with this id is either visible now or its step commits after our read, and then
            // our commit fails its condition and this check runs again.
            if (decisionId != null) {
                Optional<Decision> recorded = items.decisions.get(decisionId, true);
                if (recorded.isPresent()) return StepEffects.replayed(recorded.get());
            }
            Map<String, String> pendingIds = item == null ? Map.of() : PipelineItems.pendingIds(item);
            List<Approval> pending = items.pendingApprovals(pipeline, pendingIds, true);
            PipelineState stored = item == null ? null : PipelineItems.readState(item);
            PipelineState base = stored != null ? stored : PipelineState.initial(pipeline, PipelineState.utcDay(now));
            PipelineState state = base.withPendingApprovals(pending.stream().map(Approval::id).toList()).on(PipelineState.utcDay(now));
            Optional<Deferred> deferred = item == null ? Optional.empty() : PipelineItems.readDeferred(item);

            StepEffects effects = Objects.requireNonNull(step.apply(new PipelineView(state, deferred, pending)), "step returned null");

            if (effects.resolveApproval().isPresent()) {
                String id = effects.resolveApproval().get().id();
                boolean openedNow = effects.openApproval().map(a -> a.id().equals(id)).orElse(false);
                if (!pendingIds.containsKey(id) && !openedNow) {
                    throw new ApprovalConflictException("approval " + id + " is no longer pending");
                }
            }
            if (item != null && writesNothing(effects)) return effects;
            if (effects.endedLaunch().isPresent() && !items.decisions.launchPending(effects.endedLaunch().get().id())) {
                return StepEffects.NOTHING; // its launch was answered meanwhile: nothing to end, nothing to release
            }

            long version = item == null ? 0 : Items.num(item, "version", 0);
            PipelineItems.Outbox outbox = outboxOf(effects);
            Map<String, AttributeValue> next = nextItem(pipeline, item, base, pendingIds, effects, outbox, version + 1);
            if (items.commit(pipeline, next, item == null ? null : version)) {
                if (copyOutAfterCommit && outbox != null) {
                    try {
                        items.copyOut(pipeline, outbox, version + 1);
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

    private static PipelineItems.Outbox outboxOf(StepEffects e) {
        if (e.decision().isEmpty() && e.openApproval().isEmpty() && e.resolveApproval().isEmpty() && e.endedLaunch().isEmpty()) return null;
        return new PipelineItems.Outbox(e.decision().orElse(null), e.openApproval().orElse(null), e.resolveApproval().orElse(null),
                e.endedLaunch().orElse(null));
    }

    private Map<String, AttributeValue> nextItem(String pipeline, Map<String, AttributeValue> old, PipelineState base,
                                                 Map<String, String> pendingIds, StepEffects effects, PipelineItems.Outbox outbox, long version) {
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
        effects.openApproval().filter(a -> a.status() == ApprovalStatus.PENDING).ifPresent(a -> pending.put(a.id(), ApprovalItems.createdKey(a)));
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

    @Override
    public Optional<PipelineState> pipelineState(String pipeline) {
        Map<String, AttributeValue> item = items.get(pipeline, consistentReads);
        if (item == null) return Optional.empty();
        return Optional.of(PipelineItems.readState(item).withPendingApprovals(List.copyOf(PipelineItems.pendingIds(item).keySet())));
    }

    @Override
    public Optional<Deferred> deferred(String pipeline) {
        Map<String, AttributeValue> item = items.get(pipeline, consistentReads);
        return item == null ? Optional.empty() : PipelineItems.readDeferred(item);
    }

    @Override
    public List<String> pipelinesWithDueDeferred(Instant now) {
        List<Map<String, AttributeValue>> due = new ArrayList<>();
        for (Map<String, AttributeValue> item : reads.scan(ScanRequest.builder().tableName(table)
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
}
