package io.retraintrigger.coordinator;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.retraintrigger.observability.Traces;
import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.ApprovalType;
import io.retraintrigger.model.CostEstimate;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.DecisionIds;
import io.retraintrigger.model.DriftAssessment;
import io.retraintrigger.model.Launch;
import io.retraintrigger.model.LaunchParameters;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.store.ApprovalConflictException;
import io.retraintrigger.store.ApprovalLog;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.Deferred;
import io.retraintrigger.store.PipelineSteps;
import io.retraintrigger.store.PipelineView;
import io.retraintrigger.store.StepEffects.DeferredChange;
import io.retraintrigger.store.StepEffects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * The hybrid coordinator: applies {@link CoordinatorRules} to a request and records the outcome in
 * one atomic store step (decision, counters, deferred request, approval item).
 */
@ApplicationScoped
@Named("coordinator")
public class Coordinator {
    private final PipelineSteps steps;
    private final DecisionLog decisions;
    private final ApprovalLog approvals;
    private final PipelineRegistry pipelines;
    private final Clock clock;
    private final RetrainMetrics metrics;

    @Inject
    public Coordinator(PipelineSteps steps, DecisionLog decisions, ApprovalLog approvals, PipelineRegistry pipelines, Clock clock, RetrainMetrics metrics) {
        this.steps = steps;
        this.decisions = decisions;
        this.approvals = approvals;
        this.pipelines = pipelines;
        this.clock = clock;
        this.metrics = metrics;
    }

    public static String newDecisionId() {
        return DecisionIds.random();
    }

    public static String newApprovalId() {
        return "apr-" + UUID.randomUUID();
    }

    /** Decides a new request under a new decision id. */
    public Decision decide(TrainingRequest request) {
        return decide(request, null);
    }

    /**
     * Decides a new request. A deferred request of the pipeline is merged into it (debounce).
     *
     * @param decisionId the id the decision takes (derived from the event or batch that caused it: if a
     *                   decision with this id is recorded already, that one is the answer and nothing
     *                   changes); null for a new id
     */
    @WithSpan(Traces.DECIDE_SPAN)
    public Decision decide(TrainingRequest request, String decisionId) {
        PipelineSettings p = pipelines.get(request.pipeline());
        Instant now = clock.instant();
        String id = decisionId == null ? newDecisionId() : decisionId;
        StepEffects e = steps.coordinate(p.name(), now, decisionId, view -> decideStep(p, view, request, id, now, false));
        Decision d = recorded(e);
        Traces.decision(d);
        return d;
    }

    /** Re-evaluates every deferred request that is due; returns the decisions taken. */
    public List<Decision> reevaluateDue() {
        Instant now = clock.instant();
        List<Decision> out = new ArrayList<>();
        for (String name : steps.pipelinesWithDueDeferred(now)) {
            Optional<PipelineSettings> p = pipelines.find(name);
            if (p.isEmpty()) continue; // pipeline removed from configuration: keep its request for inspection
            String id = newDecisionId();
            StepEffects e = steps.coordinate(name, now, view -> view.deferred()
                    .filter(d -> !d.dueAt().isAfter(now))
                    .map(d -> decideStep(p.get(), view, d.request(), id, now, true))
                    .orElse(StepEffects.NOTHING));
            e.decision().ifPresent(d -> out.add(recorded(e)));
        }
        return out;
    }

    private StepEffects decideStep(PipelineSettings p, PipelineView view, TrainingRequest incoming, String id, Instant now, boolean reevaluation) {
        Optional<Deferred> deferred = view.deferred();
        TrainingRequest request = incoming;
        List<String> notes = new ArrayList<>();
        if (reevaluation) {
            notes.add("reevaluated: deferred request of decision " + deferred.map(Deferred::decisionId).orElse("?") + " is due");
        } else if (deferred.isPresent()) {
            request = incoming.mergedWith(deferred.get().request());
            notes.add("merged: with deferred request of decision " + deferred.get().decisionId());
        }
        // The breaker's review holds back drift retraining only; the rules see the other pending approvals.
        List<Approval> suspensions = view.pendingApprovals().stream().filter(a -> a.type() == ApprovalType.DRIFT_SUSPENSION).toList();
        PipelineState state = suspensions.isEmpty() ? view.state()
                : withPending(view.state(), view.pendingApprovals().stream().filter(a -> !suspensions.contains(a)).toList());
        Optional<String> suspended = suspensions.stream().findFirst().map(a -> "review " + a.id() + ": " + a.summary());
        Verdict v = CoordinatorRules.evaluate(request, state, p.coordinator(), now, suspended);
        List<String> reasons = new ArrayList<>(v.reasons());
        reasons.addAll(notes);
        return switch (v.kind()) {
            case LAUNCH -> {
                PipelineState next = view.state().afterLaunch(now, v.estimatedCost());
                Launch launch = Launch.pending(p.target(), next.sequence(), LaunchParameters.of(request, next.sequence(), now, p.guardrails().inputs(), p.parameters()));
                Decision d = decision(id, request, Outcome.LAUNCHED, reasons, now, null, v.estimatedCost(), launch);
                StepEffects e = StepEffects.NOTHING.withDecision(d).withState(next);
                e = deferred.isPresent() ? e.withDeferred(DeferredChange.delete()) : e;
                if (request.metadata().requireApproval()) {
                    e = e.opening(Approval.open(newApprovalId(), p.name(), ApprovalType.MODEL_APPROVAL, now, id,
                            "approve or reject the model trained by decision " + id + " (" + request.reason() + ")", null));
                }
                yield e;
            }
            case DEFER -> {
                Decision d = decision(id, request, Outcome.DEFERRED, reasons, now, v.deferredUntil(), v.estimatedCost(), null);
                yield StepEffects.NOTHING.withDecision(d).withDeferred(DeferredChange.put(new Deferred(request, v.deferredUntil(), id)));
            }
            case REJECT -> {
                // A rejected new request leaves the deferred one alone; a rejected re-evaluation drops it.
                Decision d = decision(id, incoming, Outcome.REJECTED, reasons, now, null, v.estimatedCost(), null);
                StepEffects e = StepEffects.NOTHING.withDecision(d);
                yield reevaluation ? e.withDeferred(DeferredChange.delete()) : e;
            }
        };
    }

    /** Critical drift: no training; a TRAINING_REVIEW item holding the training a reviewer may approve. */
    public Decision openReview(DriftAssessment assessment, TrainingRequest wouldRequest, String decisionId) {
        PipelineSettings p = pipelines.get(assessment.pipeline());
        Instant now = clock.instant();
        String id = decisionId == null ? newDecisionId() : decisionId;
        StepEffects e = steps.coordinate(p.name(), now, decisionId, view -> {
            Approval review = Approval.open(newApprovalId(), p.name(), ApprovalType.TRAINING_REVIEW, now, id,
                    "critical drift " + assessment.maxScore() + " on " + assessment.driftedFeatures() + ": approve a training or dismiss", wouldRequest);
            List<String> reasons = List.of("critical_drift: score " + assessment.maxScore() + " on " + assessment.driftedFeatures()
                    + (assessment.gradedBy() == null ? " reached the critical threshold" : "")
                    + (assessment.evidence() == null ? "" : " (" + assessment.evidence() + ")")
                    + "; no automatic training, review " + review.id() + " opened");
            Decision d = decision(id, wouldRequest, Outcome.AWAITING_APPROVAL, reasons, now, null, 0, null);
            return StepEffects.NOTHING.withDecision(d).opening(review);
        });
        return recorded(e);
    }

    /** Records a decision that changes nothing (drift below the action threshold). */
    public Decision logOnly(String pipeline, TriggerType type, int priority, TrainingRequest request, String reason, String decisionId) {
        Decision d = new Decision(decisionId == null ? newDecisionId() : decisionId, pipeline, type, priority, Outcome.LOGGED, List.of(reason),
                clock.instant(), null, 0, request, null);
        Decision recorded = decisions.recordDecision(d);
        if (recorded == d) metrics.decision(d);
        return recorded;
    }

    /**
     * Resolves an approval item. Approving a TRAINING_REVIEW asks for its training with priority 1;
     * a MODEL_APPROVAL only clears the pipeline's pending state.
     *
     * @return the decision taken (the training, or the dismissal of a review); empty for a model approval
     * @throws io.retraintrigger.store.ApprovalConflictException if it was resolved already
     * @throws java.util.NoSuchElementException                  if there is no such item
     */
    public Optional<Decision> resolve(String approvalId, boolean approve, String by, String comment) {
        Approval current = approvals.approval(approvalId).orElseThrow(() -> new NoSuchElementException("no approval " + approvalId));
        if (current.status() != ApprovalStatus.PENDING) {
            throw new ApprovalConflictException("approval " + approvalId + " was already " + current.status().name().toLowerCase());
        }
        PipelineSettings p = pipelines.get(current.pipeline());
        Instant now = clock.instant();
        String id = newDecisionId();
        StepEffects e = steps.coordinate(p.name(), now, view -> {
            Approval a = view.pendingApproval(approvalId).orElseThrow(
                    () -> new ApprovalConflictException("approval " + approvalId + " is no longer pending"));
            Approval done = a.resolved(approve ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED, now, by, comment);
            if (a.type() == ApprovalType.MODEL_APPROVAL) {
                return StepEffects.NOTHING.resolving(done);
            }
            if (a.type() == ApprovalType.DRIFT_SUSPENSION) {
                if (!approve) {
                    throw new ApprovalConflictException("approval " + approvalId + " is a drift suspension: it ends only by approving it, which"
                            + " resumes drift retraining; until then drift retraining stays suspended");
                }
                return StepEffects.NOTHING.resolving(done);
            }
            String note = (approve ? "review_approved: " : "review_dismissed: ") + a.id() + " by " + by
                    + (comment == null || comment.isBlank() ? "" : " (" + comment + ")");
            if (!approve) {
                Decision d = decision(id, a.request(), Outcome.REJECTED, List.of(note), now, null, 0, null);
                return StepEffects.NOTHING.withDecision(d).resolving(done);
            }
            TrainingRequest r = a.request();
            TrainingRequest approved = new TrainingRequest(r.pipeline(), r.triggerType(), 1, note, now, r.metadata().withReviewId(a.id()));
            List<Approval> others = view.pendingApprovals().stream().filter(x -> !x.id().equals(approvalId)).toList();
            PipelineView afterResolution = new PipelineView(withPending(view.state(), others), view.deferred(), others);
            return decideStep(p, afterResolution, approved, id, now, false).resolving(done);
        });
        return e.decision().map(d -> recorded(e));
    }

    /**
     * Records a launch the target refused for good ({@code failed}: the decision, FAILED), in one store step
     * with what it releases: it trained nothing, so its training and estimated cost no longer count today,
     * and the cooldown runs from the training before it (the last LAUNCHED decision), unless another
     * training has been recorded since. A model approval it opened is closed. The sequence number is not
     * reused. Nothing changes if the launch is no longer PENDING (answered by another sender meanwhile).
     *
     * @return whether it was recorded
     */
    public boolean recordFailedLaunch(Decision failed) {
        Instant now = clock.instant();
        Instant previous = decisions.decisions(failed.pipeline(), Outcome.LAUNCHED, 1).stream()
                .map(Decision::decidedAt).filter(t -> t.isBefore(failed.decidedAt())).findFirst().orElse(null);
        StepEffects recorded = steps.coordinate(failed.pipeline(), now, view -> {
            PipelineState s = view.state();
            boolean latest = s.lastTrainingAt() != null
                    && s.lastTrainingAt().toEpochMilli() == failed.decidedAt().toEpochMilli();
            boolean today = PipelineState.utcDay(failed.decidedAt()).equals(s.day());
            PipelineState released = new PipelineState(s.pipeline(), s.day(),
                    today ? Math.max(0, s.trainingsToday() - 1) : s.trainingsToday(),
                    today ? Math.max(0, CostEstimate.round2(s.spendToday() - failed.estimatedCost())) : s.spendToday(),
                    latest ? previous : s.lastTrainingAt(), s.sequence(), s.pendingApprovals());
            StepEffects e = StepEffects.NOTHING.withState(released).endingLaunch(failed);
            // a model approval opened for this launch waits for a model that will not come
            return view.pendingApprovals().stream().filter(a -> failed.id().equals(a.decisionId())).findFirst()
                    .map(a -> e.resolving(a.resolved(ApprovalStatus.REJECTED, now, "retrain-trigger", "launch failed: no model to approve")))
                    .orElse(e);
        });
        return recorded.endedLaunch().isPresent();
    }

    private static PipelineState withPending(PipelineState s, List<Approval> pending) {
        return s.withPendingApprovals(pending.stream().map(Approval::id).toList());
    }

    private Decision recorded(StepEffects e) {
        Decision d = e.decision().orElseThrow();
        if (!e.replayed()) metrics.decision(d);
        return d;
    }

    private static Decision decision(String id, TrainingRequest r, Outcome outcome, List<String> reasons, Instant now, Instant until, double cost, Launch launch) {
        return new Decision(id, r.pipeline(), r.triggerType(), r.priority(), outcome, reasons, now, until, cost, r, launch);
    }
}
