package io.retraintrigger.coordinator;

import io.retraintrigger.model.CoordinatorSettings;
import io.retraintrigger.model.PipelineState;
import io.retraintrigger.model.RequestMetadata;
import io.retraintrigger.model.TrainingRequest;
import io.retraintrigger.model.TriggerType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoordinatorRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-03-10");
    private static final LocalDate YESTERDAY = LocalDate.parse("2026-03-09");
    private static final Duration MIN_INTERVAL = Duration.ofHours(6);
    /** 6h cooldown, 4 trainings a day, budget 1000, base cost 150. */
    private static final CoordinatorSettings SETTINGS = new CoordinatorSettings(MIN_INTERVAL, 4, 1000, 150);

    private static TrainingRequest request(TriggerType type, int priority) {
        return new TrainingRequest("churn", type, priority, null, NOW, RequestMetadata.EMPTY);
    }

    private static PipelineState state(LocalDate day, int trainingsToday, double spendToday, Instant lastTrainingAt, String... pending) {
        return new PipelineState("churn", day, trainingsToday, spendToday, lastTrainingAt, trainingsToday, List.of(pending));
    }

    private static PipelineState fresh() {
        return PipelineState.initial("churn", TODAY);
    }

    private static void assertReasonCodes(Verdict v, String... codes) {
        assertEquals(codes.length, v.reasons().size(), () -> "reasons: " + v.reasons());
        for (int i = 0; i < codes.length; i++) {
            String reason = v.reasons().get(i);
            String code = codes[i];
            assertTrue(reason.startsWith(code + ":"), () -> "reason '" + reason + "' should start with '" + code + ":'");
        }
    }

    // ---- drift retraining suspended by the feedback-loop breaker ----

    @Test
    void aSuspensionRejectsAutomaticDriftRequestsOnly() {
        Optional<String> suspended = Optional.of("review r-1: golden-set accuracy fell");
        Verdict drift = CoordinatorRules.evaluate(request(TriggerType.DRIFT, 1), fresh(), SETTINGS, NOW, suspended);
        assertEquals(Verdict.Kind.REJECT, drift.kind());
        assertReasonCodes(drift, "drift_suspended");
        assertTrue(drift.reasons().get(0).contains("review r-1"), drift.reasons().get(0));
        assertEquals(Verdict.Kind.LAUNCH, CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), fresh(), SETTINGS, NOW, suspended).kind());
        assertEquals(Verdict.Kind.LAUNCH, CoordinatorRules.evaluate(request(TriggerType.DATA_ARRIVAL, 3), fresh(), SETTINGS, NOW, suspended).kind());
        TrainingRequest reviewed = new TrainingRequest("churn", TriggerType.DRIFT, 1, "review approved", NOW, RequestMetadata.EMPTY.withReviewId("r-0"));
        assertEquals(Verdict.Kind.LAUNCH, CoordinatorRules.evaluate(reviewed, fresh(), SETTINGS, NOW, suspended).kind(), "a human approved this one");
    }

    // ---- no limits hit ----

    @Test
    void freshPipelineLaunches() {
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), fresh(), SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        assertNull(v.deferredUntil());
        assertEquals(150.0, v.estimatedCost());
        assertReasonCodes(v, "allowed");
        assertTrue(v.reasons().get(0).contains("scheduled priority 5"), v.reasons().get(0));
        assertTrue(v.reasons().get(0).contains("training 1 today"), v.reasons().get(0));
    }

    // ---- 1. pending approval ----

    @ParameterizedTest
    @CsvSource({"MANUAL,1", "DRIFT,1", "DRIFT,2", "DATA_ARRIVAL,4", "SCHEDULED,5"})
    void pendingApprovalRejectsEveryPriority(TriggerType type, int priority) {
        Verdict v = CoordinatorRules.evaluate(request(type, priority), state(TODAY, 0, 0, null, "appr-1", "appr-2"), SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertNull(v.deferredUntil());
        assertReasonCodes(v, "pending_approval");
        assertTrue(v.reasons().get(0).contains("appr-1, appr-2"), v.reasons().get(0));
        assertEquals(150.0, v.estimatedCost());
    }

    @Test
    void pendingApprovalIsCheckedBeforeCooldownCapAndBudget() {
        PipelineState s = state(TODAY, 4, 1000, NOW.minus(Duration.ofHours(1)), "appr-1");
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertReasonCodes(v, "pending_approval");
    }

    @Test
    void pendingApprovalSurvivesTheDayRollover() {
        PipelineState s = state(YESTERDAY, 1, 150, Instant.parse("2026-03-09T01:00:00Z"), "appr-1");
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.MANUAL, 1), s, SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertReasonCodes(v, "pending_approval");
    }

    // ---- 2. cooldown ----

    @Test
    void cooldownDefersUntilLastTrainingPlusMinInterval() {
        Instant last = NOW.minus(Duration.ofHours(2));
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.DATA_ARRIVAL, 4), state(TODAY, 1, 150, last), SETTINGS, NOW);
        assertEquals(Verdict.Kind.DEFER, v.kind());
        assertEquals(last.plus(MIN_INTERVAL), v.deferredUntil());
        assertEquals(Instant.parse("2026-03-10T16:00:00Z"), v.deferredUntil());
        assertReasonCodes(v, "cooldown");
        assertTrue(v.reasons().get(0).contains("min-interval 6h"), v.reasons().get(0));
        assertTrue(v.reasons().get(0).contains("2026-03-10T16:00:00Z"), v.reasons().get(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void highPriorityDriftBypassesCooldown(int priority) {
        Instant last = NOW.minus(Duration.ofHours(2));
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.DRIFT, priority), state(TODAY, 1, 150, last), SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        assertNull(v.deferredUntil());
        assertReasonCodes(v, "cooldown_bypassed", "allowed");
        assertTrue(v.reasons().get(0).contains("4h left"), v.reasons().get(0));
        assertTrue(v.reasons().get(1).contains("training 2 today"), v.reasons().get(1));
    }

    @ParameterizedTest
    @CsvSource({"DRIFT,3", "DRIFT,5", "MANUAL,1", "MANUAL,2", "SCHEDULED,1", "DATA_ARRIVAL,2"})
    void onlyDriftOfPriorityTwoOrBetterBypassesCooldown(TriggerType type, int priority) {
        Instant last = NOW.minus(Duration.ofHours(2));
        Verdict v = CoordinatorRules.evaluate(request(type, priority), state(TODAY, 1, 150, last), SETTINGS, NOW);
        assertEquals(Verdict.Kind.DEFER, v.kind());
        assertEquals(last.plus(MIN_INTERVAL), v.deferredUntil());
        assertReasonCodes(v, "cooldown");
    }

    @Test
    void cooldownEndsExactlyAtLastTrainingPlusMinInterval() {
        Verdict atEnd = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5),
                state(TODAY, 1, 150, NOW.minus(MIN_INTERVAL)), SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, atEnd.kind());
        assertReasonCodes(atEnd, "allowed");

        Verdict justBefore = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5),
                state(TODAY, 1, 150, NOW.minus(MIN_INTERVAL).plusMillis(1)), SETTINGS, NOW);
        assertEquals(Verdict.Kind.DEFER, justBefore.kind());
        assertEquals(NOW.plusMillis(1), justBefore.deferredUntil());
    }

    @Test
    void zeroMinIntervalNeverDefers() {
        CoordinatorSettings noCooldown = new CoordinatorSettings(Duration.ZERO, 4, 1000, 150);
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), state(TODAY, 1, 150, NOW), noCooldown, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        // a replica whose step waited for the pipeline's lock behind one with a later clock: still no cooldown
        Verdict behind = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), state(TODAY, 1, 150, NOW.plusMillis(3)), noCooldown, NOW);
        assertEquals(Verdict.Kind.LAUNCH, behind.kind(), behind.reasons().toString());
    }

    // ---- 3. daily cap ----

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5})
    void dailyCapRejectsPriorityThreeAndLower(int priority) {
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.DATA_ARRIVAL, priority), state(TODAY, 4, 600, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertNull(v.deferredUntil());
        assertReasonCodes(v, "daily_cap");
        assertTrue(v.reasons().get(0).contains("4 of 4"), v.reasons().get(0));
    }

    @ParameterizedTest
    @CsvSource({"MANUAL,1", "MANUAL,2", "DRIFT,2", "SCHEDULED,2"})
    void priorityTwoOrBetterBypassesDailyCap(TriggerType type, int priority) {
        Verdict v = CoordinatorRules.evaluate(request(type, priority), state(TODAY, 4, 600, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        assertReasonCodes(v, "daily_cap_bypassed", "allowed");
        assertTrue(v.reasons().get(1).contains("training 5 today"), v.reasons().get(1));
    }

    @Test
    void lastTrainingBelowTheCapIsAllowed() {
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), state(TODAY, 3, 450, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        assertReasonCodes(v, "allowed");
        assertTrue(v.reasons().get(0).contains("training 4 today"), v.reasons().get(0));
    }

    @Test
    void capAboveTheCountIsAlsoRejected() {
        // e.g. the cap was lowered after trainings were counted
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 3), state(TODAY, 6, 0, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertReasonCodes(v, "daily_cap");
    }

    @Test
    void zeroDailyCapRejectsAllButHighPriorities() {
        CoordinatorSettings noTrainings = new CoordinatorSettings(MIN_INTERVAL, 0, 1000, 150);
        assertEquals(Verdict.Kind.REJECT,
                CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 3), fresh(), noTrainings, NOW).kind());
        assertEquals(Verdict.Kind.LAUNCH,
                CoordinatorRules.evaluate(request(TriggerType.MANUAL, 2), fresh(), noTrainings, NOW).kind());
    }

    // ---- 4. budget ----

    @Test
    void spendPlusCostExactlyAtTheBudgetIsAllowed() {
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), state(TODAY, 1, 850, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        assertReasonCodes(v, "allowed");
    }

    @Test
    void spendPlusCostExactlyAtACentBudgetIsAllowed() {
        // 769.19 + 230.83 is 1000.0200000000001 in binary floating point; in money it is exactly the budget
        CoordinatorSettings s = new CoordinatorSettings(MIN_INTERVAL, 4, 1000.02, 230.83);
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), state(TODAY, 1, 769.19, null), s, NOW);
        assertEquals(230.83, v.estimatedCost());
        assertEquals(Verdict.Kind.LAUNCH, v.kind(), () -> "reasons: " + v.reasons());

        Verdict small = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), state(TODAY, 0, 0.1, null),
                new CoordinatorSettings(MIN_INTERVAL, 4, 0.3, 0.2), NOW);
        assertEquals(Verdict.Kind.LAUNCH, small.kind(), () -> "reasons: " + small.reasons());

        Verdict oneCentOver = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), state(TODAY, 1, 769.20, null), s, NOW);
        assertEquals(Verdict.Kind.REJECT, oneCentOver.kind());
        assertReasonCodes(oneCentOver, "budget");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void overBudgetIsRejectedUnlessPriorityOne(int priority) {
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.MANUAL, priority), state(TODAY, 1, 850.01, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertNull(v.deferredUntil());
        assertReasonCodes(v, "budget");
        assertTrue(v.reasons().get(0).contains("spent 850.01 + estimated 150.0 > daily budget 1000.0"), v.reasons().get(0));
    }

    @ParameterizedTest
    @CsvSource({"MANUAL,1", "DRIFT,1", "SCHEDULED,1"})
    void priorityOneMayExceedTheBudget(TriggerType type, int priority) {
        Verdict v = CoordinatorRules.evaluate(request(type, priority), state(TODAY, 1, 999, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        assertReasonCodes(v, "budget_bypassed", "allowed");
    }

    @Test
    void budgetUsesTheDataSizeInTheCostEstimate() {
        RequestMetadata hundredGb = RequestMetadata.batch(List.of("s3://bucket/a.parquet"), 1, 100_000_000_000L, "batch_size_reached");
        TrainingRequest r = new TrainingRequest("churn", TriggerType.DATA_ARRIVAL, 4, null, NOW, hundredGb);

        Verdict atBudget = CoordinatorRules.evaluate(r, state(TODAY, 1, 700, null), SETTINGS, NOW);
        assertEquals(300.0, atBudget.estimatedCost());
        assertEquals(Verdict.Kind.LAUNCH, atBudget.kind());

        Verdict over = CoordinatorRules.evaluate(r, state(TODAY, 1, 700.01, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, over.kind());
        assertReasonCodes(over, "budget");
    }

    // ---- order of the rules ----

    @Test
    void cooldownIsCheckedBeforeCapAndBudget() {
        PipelineState s = state(TODAY, 4, 1000, NOW.minus(Duration.ofHours(1)));
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, SETTINGS, NOW);
        assertEquals(Verdict.Kind.DEFER, v.kind());
        assertReasonCodes(v, "cooldown");
    }

    @Test
    void capIsCheckedBeforeBudget() {
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 3), state(TODAY, 4, 1000, null), SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertReasonCodes(v, "daily_cap");
    }

    @Test
    void priorityTwoPassesTheCapButNotTheBudget() {
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.DRIFT, 2), state(TODAY, 4, 1000, NOW.minus(Duration.ofHours(1))), SETTINGS, NOW);
        assertEquals(Verdict.Kind.REJECT, v.kind());
        assertReasonCodes(v, "cooldown_bypassed", "daily_cap_bypassed", "budget");
    }

    @Test
    void priorityOneDriftBypassesEverythingButPendingApproval() {
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.DRIFT, 1), state(TODAY, 4, 1000, NOW.minus(Duration.ofHours(1))), SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        assertReasonCodes(v, "cooldown_bypassed", "daily_cap_bypassed", "budget_bypassed", "allowed");
        assertTrue(v.reasons().get(3).startsWith("allowed: drift priority 1"), v.reasons().get(3));
    }

    // ---- UTC day rollover ----

    @Test
    void yesterdaysCapAndSpendDoNotCountToday() {
        PipelineState s = state(YESTERDAY, 4, 1000, Instant.parse("2026-03-09T05:00:00Z"));
        Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, SETTINGS, NOW);
        assertEquals(Verdict.Kind.LAUNCH, v.kind());
        assertReasonCodes(v, "allowed");
        assertTrue(v.reasons().get(0).contains("training 1 today"), v.reasons().get(0));
    }

    @Test
    void sameCapOnTheSameDayIsRejected() {
        PipelineState s = state(TODAY, 4, 600, Instant.parse("2026-03-10T05:00:00Z"));
        assertEquals(Verdict.Kind.REJECT, CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, SETTINGS, NOW).kind());
    }

    @Test
    void cooldownCountsAcrossMidnight() {
        Instant last = Instant.parse("2026-03-09T22:00:00Z");
        PipelineState s = state(YESTERDAY, 4, 1000, last);

        Instant afterMidnight = Instant.parse("2026-03-10T01:00:00Z");
        Verdict deferred = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, SETTINGS, afterMidnight);
        assertEquals(Verdict.Kind.DEFER, deferred.kind());
        assertEquals(Instant.parse("2026-03-10T04:00:00Z"), deferred.deferredUntil());
        assertReasonCodes(deferred, "cooldown");

        Verdict later = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, SETTINGS, Instant.parse("2026-03-10T04:00:00Z"));
        assertEquals(Verdict.Kind.LAUNCH, later.kind());
        assertReasonCodes(later, "allowed");
    }

    @Test
    void dayIsTheUtcDay() {
        // 23:59:59Z on the 10th is still the 10th, 00:00Z on the 11th is a new day
        PipelineState s = state(TODAY, 4, 1000, null);
        assertEquals(Verdict.Kind.REJECT,
                CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, SETTINGS, Instant.parse("2026-03-10T23:59:59Z")).kind());
        assertEquals(Verdict.Kind.LAUNCH,
                CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, SETTINGS, Instant.parse("2026-03-11T00:00:00Z")).kind());
    }

    @Test
    void afterLaunchCountsTowardsTheLimits() {
        CoordinatorSettings fourHours = new CoordinatorSettings(Duration.ofHours(4), 4, 1000, 150);
        PipelineState s = fresh();
        for (int i = 0; i < 4; i++) {
            Instant at = Instant.parse("2026-03-10T00:00:00Z").plus(Duration.ofHours(4L * i));
            Verdict v = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, fourHours, at);
            assertEquals(Verdict.Kind.LAUNCH, v.kind(), () -> "reasons: " + v.reasons());
            s = s.afterLaunch(at, v.estimatedCost());
        }
        assertEquals(4, s.trainingsToday());
        assertEquals(600.0, s.spendToday());
        assertEquals(4, s.sequence());
        Verdict fifth = CoordinatorRules.evaluate(request(TriggerType.SCHEDULED, 5), s, fourHours, Instant.parse("2026-03-10T16:00:00Z"));
        assertEquals(Verdict.Kind.REJECT, fifth.kind());
        assertReasonCodes(fifth, "daily_cap");
    }

    @Test
    void humanDurations() {
        assertEquals("6h", CoordinatorRules.human(Duration.ofHours(6)));
        assertEquals("90m", CoordinatorRules.human(Duration.ofMinutes(90)));
        assertEquals("61s", CoordinatorRules.human(Duration.ofSeconds(61)));
    }
}
