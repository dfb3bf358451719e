package io.retraintrigger.guardrails;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.launch.LaunchRejectedException;
import io.retraintrigger.launch.ModelPromoter;
import io.retraintrigger.launch.ReportReader;
import io.retraintrigger.launch.RetryableLaunchException;
import io.retraintrigger.metrics.RetrainMetrics;
import io.retraintrigger.model.Approval;
import io.retraintrigger.model.ApprovalStatus;
import io.retraintrigger.model.ApprovalType;
import io.retraintrigger.model.BadInputException;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Evaluation;
import io.retraintrigger.model.EvaluationReport;
import io.retraintrigger.model.GuardrailCheck;
import io.retraintrigger.model.GuardrailOutcome;
import io.retraintrigger.model.GuardrailSettings;
import io.retraintrigger.model.LaunchParameters;
import io.retraintrigger.model.LaunchStatus;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.Promotion;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.store.ApprovalLog;
import io.retraintrigger.store.DecisionLog;
import io.retraintrigger.store.PipelineSteps;
import io.retraintrigger.store.StepEffects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Closes the loop after training: a succeeded training awaits its evaluation report; the report goes through
 * the four checks ({@link GuardrailChecks}) to an outcome ({@link PromotionRules}); PROMOTE promotes the model
 * in its target's registry ({@link ModelPromoter}), HOLD leaves it to a human (its MODEL_APPROVAL; approving
 * it promotes), REJECT never promotes. After each evaluation the {@link FeedbackLoopBreaker} looks at the
 * pipeline's history and may suspend its drift retraining (a DRIFT_SUSPENSION review; approving it resumes).
 *
 * <p>Every change goes through {@link DecisionLog#recordEvaluation}, so of racing evaluators (a posted report,
 * a sweep on another replica) one evaluates; the promotion is idempotent at the registry.
 */
@ApplicationScoped
@Named("guardrails")
public class GuardrailService {
    private static final Logger LOG = Logger.getLogger(GuardrailService.class);
    /** The reason line of an evaluation that suspended its pipeline's drift retraining. */
    static final String SUSPENDED = "suspended:";

    private final PipelineRegistry pipelines;
    private final DecisionLog decisions;
    private final ApprovalLog approvals;
    private final PipelineSteps steps;
    private final Map<String, ModelPromoter> promoters = new LinkedHashMap<>();
    private final List<ReportReader> readers;
    private final RetrainMetrics metrics;
    private final Clock clock;
    private final int sweepWindow;

    @Inject
    public GuardrailService(PipelineRegistry pipelines, DecisionLog decisions, ApprovalLog approvals, PipelineSteps steps,
                            Instance<ModelPromoter> promoters, Instance<ReportReader> readers, RetrainMetrics metrics, Clock clock,
                            io.retraintrigger.config.RetrainConfig config) {
        this(pipelines, decisions, approvals, steps, promoters.stream().toList(), readers.stream().toList(), metrics, clock,
                config.guardrails().sweepWindow());
    }

    public GuardrailService(PipelineRegistry pipelines, DecisionLog decisions, ApprovalLog approvals, PipelineSteps steps,
                            List<ModelPromoter> promoters, List<ReportReader> readers, RetrainMetrics metrics, Clock clock, int sweepWindow) {
        this.readers = List.copyOf(readers);
        this.pipelines = pipelines;
        this.decisions = decisions;
        this.approvals = approvals;
        this.steps = steps;
        promoters.forEach(p -> this.promoters.put(p.target(), p));
        this.metrics = metrics;
        this.clock = clock;
        this.sweepWindow = sweepWindow;
    }

    /**
     * After an execution status was recorded: a succeeded training of a pipeline with guardrails now awaits
     * its report. Empty when nothing changed (not succeeded, evaluated or awaiting already, guardrails off).
     */
    public Optional<Decision> trainingStatus(Optional<Decision> recorded) {
        if (recorded.isEmpty()) return Optional.empty();
        Decision d = recorded.get();
        if (d.launch() == null || !d.launch().executionSucceeded() || !settings(d).map(GuardrailSettings::enabled).orElse(false)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return decisions.recordEvaluation(d.id(), e -> e == null ? Evaluation.awaiting(now) : null)
                .map(awaiting -> fetchReport(awaiting).orElse(awaiting));
    }

    /**
     * Reads the report of an awaiting training from its pipeline's guardrails.report-uri and evaluates it.
     * Empty when there is no report there yet (or none configured, or the store cannot be read now).
     */
    Optional<Decision> fetchReport(Decision d) {
        Optional<String> uri = settings(d).flatMap(GuardrailSettings::reportUri).map(t -> t.replace("{decisionId}", d.id())
                .replace("{pipeline}", d.pipeline()).replace("{executionId}", executionName(d)));
        if (uri.isEmpty()) return Optional.empty();
        ReportReader reader = readers.stream().filter(r -> r.reads(uri.get())).findFirst().orElse(null);
        if (reader == null) {
            LOG.warnf("decision %s: no reader for report %s (readers for s3://, gs://, https://ACCOUNT.blob.core.windows.net/)", d.id(), uri.get());
            return Optional.empty();
        }
        Optional<byte[]> bytes;
        try {
            bytes = reader.read(uri.get());
        } catch (RetryableLaunchException | LaunchRejectedException e) {
            LOG.warnf("decision %s: report %s not read: %s", d.id(), uri.get(), e.getMessage());
            return Optional.empty();
        }
        if (bytes.isEmpty()) return Optional.empty();
        try {
            return Optional.of(evaluate(d.id(), ReportFormat.parse(bytes.get()), uri.get()));
        } catch (BadInputException e) {
            if (e.status() == 409) return decisions.decision(d.id()); // evaluated meanwhile
            Instant now = clock.instant();
            String why = "reject: invalid_report at " + uri.get() + ": " + e.getMessage() + "; the model is not promoted";
            return decisions.recordEvaluation(d.id(), x -> x != null && x.outcome().settled() ? null
                    : (x == null ? Evaluation.awaiting(now) : x).evaluated(GuardrailOutcome.REJECT, now, uri.get(), null, List.of(), List.of(why)))
                    .map(x -> {
                        metrics.promotion(x.pipeline(), GuardrailOutcome.REJECT.name());
                        return x;
                    });
        }
    }

    /** The execution's own name: the last part of an ARN or a resource name (SageMaker, Vertex AI), else the id as it is. */
    static String executionName(Decision d) {
        String id = d.launch() == null || d.launch().executionId() == null ? "" : d.launch().executionId();
        int slash = id.lastIndexOf('/');
        return slash < 0 ? id : id.substring(slash + 1);
    }

    /**
     * Evaluates the model of a LAUNCHED decision against the report posted for it
     * ({@code POST /api/decisions/{id}/evaluation}).
     *
     * @throws BadInputException 404 for an unknown decision, 409 when it trained nothing to evaluate or was
     *                           evaluated already, 422 when its pipeline has guardrails off
     */
    public Decision evaluate(String decisionId, EvaluationReport report, String source) {
        Decision d = decisions.decision(decisionId).orElseThrow(() -> new BadInputException(404, "no decision " + decisionId));
        if (d.outcome() != Outcome.LAUNCHED || d.launch() == null || d.launch().status() != LaunchStatus.SUBMITTED) {
            throw new BadInputException(409, "decision " + decisionId + " started no training to evaluate (outcome " + d.outcome()
                    + (d.launch() == null ? "" : ", launch " + d.launch().status()) + ")");
        }
        GuardrailSettings s = settings(d).orElseThrow(() -> new BadInputException(409, "pipeline " + d.pipeline() + " is no longer configured"));
        if (!s.enabled()) {
            throw new BadInputException(422, "pipeline " + d.pipeline() + " has its guardrails off (retrain.pipelines." + d.pipeline() + ".guardrails.enabled)");
        }
        Instant now = clock.instant();
        List<GuardrailCheck> checks = GuardrailChecks.run(report, s);
        Double driftScore = d.triggerType() == TriggerType.DRIFT && d.request() != null ? d.request().metadata().driftScore() : null;
        boolean asked = report.requireApproval() || "true".equals(d.launch().parameters().get(LaunchParameters.REQUIRE_APPROVAL))
                || (d.request() != null && d.request().metadata().requireApproval());
        PromotionRules.Verdict v = PromotionRules.decide(checks, driftScore, asked, s);
        GuardrailOutcome outcome = v.outcome();
        List<String> reasons = new ArrayList<>(v.reasons());
        List<Approval> resolvedApprovals = approvals.approvals(d.pipeline(), ApprovalStatus.APPROVED, 1000);
        Optional<Approval> approved = resolvedApprovals.stream()
                .filter(a -> a.type() == ApprovalType.MODEL_APPROVAL && d.id().equals(a.decisionId())).findFirst();
        if (outcome == GuardrailOutcome.HOLD && approved.isPresent()) {
            outcome = GuardrailOutcome.PROMOTE;
            reasons.add("approved: " + approved.get().id() + " by " + approved.get().resolvedBy() + " before the report came");
        }
        GuardrailOutcome o = outcome;
        Decision evaluated = decisions.recordEvaluation(decisionId, e -> e != null && e.outcome().settled() ? null
                : (e == null ? Evaluation.awaiting(now) : e).evaluated(o, now, source, report, checks, reasons)
                .withPromotion(o == GuardrailOutcome.PROMOTE ? Promotion.pending(d.launch().target(), now) : null))
                .orElseThrow(() -> new BadInputException(409, "decision " + decisionId + " was evaluated already ("
                        + decisions.decision(decisionId).map(x -> x.evaluation() == null ? "?" : x.evaluation().outcome().name()).orElse("?") + ")"));
        checks.forEach(c -> metrics.guardrailCheck(d.pipeline(), c.name(), c.passed()));
        metrics.promotion(d.pipeline(), o.name());
        if (o == GuardrailOutcome.HOLD) evaluated = hold(evaluated);
        if (o == GuardrailOutcome.PROMOTE) evaluated = promote(evaluated);
        return breaker(evaluated, s, resolvedApprovals);
    }

    /** A report posted over REST by {@code user} (role evaluator). */
    public Decision evaluatePosted(String decisionId, byte[] body, String user) {
        return evaluate(decisionId, ReportFormat.parse(body), "api:" + user);
    }

    /**
     * After a MODEL_APPROVAL was resolved: approving a held model promotes it. Empty when there is nothing to
     * promote (not held, not evaluated yet: the evaluation will see the approval, or rejected).
     */
    public Optional<Decision> modelApproved(Approval a) {
        if (a.type() != ApprovalType.MODEL_APPROVAL || a.status() != ApprovalStatus.APPROVED) return Optional.empty();
        Instant now = clock.instant();
        String target = targetOf(a.decisionId());
        String who = "approved: " + a.id() + " by " + a.resolvedBy() + (a.comment() == null || a.comment().isBlank() ? "" : " (" + a.comment() + ")");
        Optional<Decision> changed = decisions.recordEvaluation(a.decisionId(), e -> e == null || e.outcome() != GuardrailOutcome.HOLD ? null
                : new Evaluation(GuardrailOutcome.PROMOTE, e.awaitingSince(), now, e.source(), e.report(), e.checks(), append(e.reasons(), who),
                Promotion.pending(target, now)));
        changed.ifPresent(d -> metrics.promotion(d.pipeline(), GuardrailOutcome.PROMOTE.name()));
        return changed.map(this::promote);
    }

    /**
     * Looks at the newest LAUNCHED decisions: a training awaiting its report past the report timeout gets
     * NO_REPORT; a promotion still pending is sent again.
     *
     * @return the decisions it changed
     */
    public List<Decision> sweep() {
        Instant now = clock.instant();
        List<Decision> changed = new ArrayList<>();
        for (Decision d : decisions.decisions(null, Outcome.LAUNCHED, sweepWindow)) {
            Evaluation e = d.evaluation();
            if (e == null) continue;
            if (e.outcome() == GuardrailOutcome.AWAITING_REPORT) {
                Optional<Decision> reported = fetchReport(d);
                if (reported.isPresent()) {
                    changed.add(reported.get());
                    continue;
                }
                Optional<GuardrailSettings> s = settings(d);
                if (s.isEmpty() || e.awaitingSince().plus(s.get().reportTimeout()).isAfter(now)) continue;
                String why = "no_report: no evaluation report within " + s.get().reportTimeout() + " of the training's success ("
                        + e.awaitingSince() + "); the model is not promoted";
                decisions.recordEvaluation(d.id(), x -> x == null || x.outcome() != GuardrailOutcome.AWAITING_REPORT ? null
                                : x.evaluated(GuardrailOutcome.NO_REPORT, now, null, null, List.of(), List.of(why)))
                        .ifPresent(x -> {
                            metrics.promotion(x.pipeline(), GuardrailOutcome.NO_REPORT.name());
                            changed.add(x);
                        });
            } else if (e.promotion() != null && e.promotion().status() == Promotion.PromotionStatus.PENDING) {
                changed.add(promote(d));
            }
        }
        return changed;
    }

    /** Whether an evaluation is one to tell people about: a model rejected, held for them, not reported, or drift retraining suspended. */
    public boolean notifies(Decision d) {
        Evaluation e = d.evaluation();
        if (e == null) return false;
        return e.outcome() == GuardrailOutcome.REJECT || e.outcome() == GuardrailOutcome.HOLD || e.outcome() == GuardrailOutcome.NO_REPORT
                || e.reasons().stream().anyMatch(r -> r.startsWith(SUSPENDED)) || (e.promotion() != null && e.promotion().status() == Promotion.PromotionStatus.FAILED);
    }

    /** The message sent to retrain.notify.uri about an evaluation. */
    public Map<String, Object> notification(Decision d) {
        Evaluation e = d.evaluation();
        Map<String, Object> n = new LinkedHashMap<>();
        boolean suspended = e.reasons().stream().anyMatch(r -> r.startsWith(SUSPENDED));
        n.put("type", suspended ? "guardrails.drift_retraining_suspended" : "guardrails." + e.outcome().name().toLowerCase());
        n.put("pipeline", d.pipeline());
        n.put("decisionId", d.id());
        n.put("outcome", e.outcome());
        n.put("model", e.report() == null ? null : e.report().model());
        n.put("checks", e.checks().stream().map(c -> Map.of("name", c.name(), "passed", c.passed(), "reason", c.reason())).toList());
        n.put("reasons", e.reasons());
        if (e.promotion() != null) n.put("promotion", e.promotion().status());
        n.put("at", clock.instant().toString());
        return n;
    }

    // ------------------------------------------------------------------ effects

    /** A held model waits in a MODEL_APPROVAL: the one its launch opened (the step sees it and writes nothing), or one opened now. */
    private Decision hold(Decision d) {
        Instant now = clock.instant();
        Approval a = Approval.open(UUID.randomUUID().toString(), d.pipeline(), ApprovalType.MODEL_APPROVAL, now, d.id(),
                "approve or reject the model trained by decision " + d.id() + " (" + d.evaluation().reasons().get(0) + ")", null);
        steps.coordinate(d.pipeline(), now, view -> view.pendingApprovals().stream()
                .anyMatch(x -> x.type() == ApprovalType.MODEL_APPROVAL && d.id().equals(x.decisionId())) ? StepEffects.NOTHING : StepEffects.NOTHING.opening(a));
        return d;
    }

    /** Sends a pending promotion and records the registry's answer (a failure that may pass stays pending for the sweep). */
    private Decision promote(Decision d) {
        Evaluation e = d.evaluation();
        if (e == null || e.promotion() == null || e.promotion().status() != Promotion.PromotionStatus.PENDING) return d;
        PipelineSettings p = pipelines.find(d.pipeline()).orElse(null);
        ModelPromoter promoter = promoters.get(e.promotion().target());
        Instant now = clock.instant();
        Function<Promotion, Promotion> answer;
        if (p == null || promoter == null) {
            String why = p == null ? "pipeline " + d.pipeline() + " is no longer configured"
                    : "no model registry promotion for target " + e.promotion().target() + " (targets: " + promoters.keySet() + ")";
            answer = x -> x.failed(why, now);
        } else {
            try {
                Map<String, String> sent = promoter.promote(p, d, e.report());
                answer = x -> x.promoted(sent, clock.instant());
            } catch (RetryableLaunchException ex) {
                LOG.warnf("promotion of the model of decision %s failed for now: %s", d.id(), ex.getMessage());
                answer = x -> x.retrying(ex.getMessage(), clock.instant());
            } catch (LaunchRejectedException ex) {
                answer = x -> x.failed(ex.getMessage(), clock.instant());
            }
        }
        Function<Promotion, Promotion> a = answer;
        Optional<Decision> recorded = decisions.recordEvaluation(d.id(), x -> x == null || x.promotion() == null
                || x.promotion().status() != Promotion.PromotionStatus.PENDING ? null : x.withPromotion(a.apply(x.promotion())));
        recorded.map(x -> x.evaluation().promotion()).filter(x -> x.status() != Promotion.PromotionStatus.PENDING)
                .ifPresent(x -> metrics.promotion(d.pipeline(), x.status().name()));
        return recorded.orElseGet(() -> decisions.decision(d.id()).orElse(d));
    }

    /** Opens a DRIFT_SUSPENSION review when the pipeline's history trips the breaker (and none is open). */
    private Decision breaker(Decision d, GuardrailSettings s, List<Approval> approved) {
        Instant resumed = approved.stream()
                .filter(a -> a.type() == ApprovalType.DRIFT_SUSPENSION && a.resolvedAt() != null)
                .map(Approval::resolvedAt).max(Instant::compareTo).orElse(Instant.EPOCH);
        List<Decision> history = decisions.decisions(d.pipeline(), Outcome.LAUNCHED, Math.max(50, 4 * (s.fallingTrainings() + s.rejectionsInARow())))
                .stream().filter(x -> x.decidedAt().isAfter(resumed)).toList();
        Optional<String> why = FeedbackLoopBreaker.trip(history, s);
        if (why.isEmpty()) return d;
        Instant now = clock.instant();
        Approval review = Approval.open(UUID.randomUUID().toString(), d.pipeline(), ApprovalType.DRIFT_SUSPENSION, now, d.id(),
                why.get() + "; automatic drift retraining is suspended: approve to resume it", null);
        StepEffects opened = steps.coordinate(d.pipeline(), now, view -> view.pendingApprovals().stream()
                .anyMatch(x -> x.type() == ApprovalType.DRIFT_SUSPENSION) ? StepEffects.NOTHING : StepEffects.NOTHING.opening(review));
        if (opened.openApproval().isEmpty()) return d;
        LOG.warnf("pipeline %s: %s; drift retraining suspended (review %s)", d.pipeline(), why.get(), review.id());
        String note = SUSPENDED + " drift retraining of " + d.pipeline() + " (review " + review.id() + "): " + why.get();
        return decisions.recordEvaluation(d.id(), x -> x == null ? null : new Evaluation(x.outcome(), x.awaitingSince(), x.evaluatedAt(), x.source(),
                x.report(), x.checks(), append(x.reasons(), note), x.promotion())).orElse(d);
    }

    // ------------------------------------------------------------------ helpers

    private Optional<GuardrailSettings> settings(Decision d) {
        return pipelines.find(d.pipeline()).map(PipelineSettings::guardrails);
    }

    private String targetOf(String decisionId) {
        return decisions.decision(decisionId).map(d -> d.launch() == null ? null : d.launch().target()).orElse(null);
    }

    private static List<String> append(List<String> l, String s) {
        List<String> out = new ArrayList<>(l);
        out.add(s);
        return out;
    }
}
