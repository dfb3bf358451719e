package io.retraintrigger.watch;

import io.retraintrigger.config.PipelineRegistry;
import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of missed signals, without Camel or a store. */
class MissedSignalsTest {
    private static final Instant NOW = Instant.parse("2026-05-10T12:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(2);

    private static PipelineSettings pipeline(Map<String, String> keys) {
        return new PipelineRegistry(TestConfig.retrainConfig(keys)).get("p");
    }

    @Test
    void aSilenceLongerThanExpectedIsOneFindingNamedByWhenItBegan() {
        PipelineSettings p = pipeline(Map.of("retrain.pipelines.p.expect.data-within", "26h", "retrain.pipelines.p.expect.monitor-within", "2h"));
        Instant lastData = NOW.minus(Duration.ofHours(30));
        var found = MissedSignals.check(p, Optional.of(lastData), Optional.of(NOW.minus(Duration.ofHours(1))), Optional.empty(), NOW, GRACE);
        assertEquals(1, found.findings().size(), found.toString());
        Decision f = found.findings().get(0);
        assertEquals(Outcome.MISSED_SIGNAL, f.outcome());
        assertEquals(TriggerType.DATA_ARRIVAL, f.triggerType());
        assertTrue(f.reasons().get(0).startsWith("data_missing: no data arrival since " + lastData + " (30h; retrain.pipelines.p.expect.data-within=26h)"),
                f.reasons().toString());
        var later = MissedSignals.check(p, Optional.of(lastData), Optional.of(NOW), Optional.empty(), NOW.plus(Duration.ofHours(5)), GRACE);
        assertEquals(f.id(), later.findings().get(0).id(), "the same silence, the same finding");
        var after = MissedSignals.check(p, Optional.of(NOW.minus(Duration.ofHours(27))), Optional.of(NOW), Optional.empty(), NOW, GRACE);
        assertNotEquals(f.id(), after.findings().get(0).id(), "a new silence, a new finding");
        assertEquals(List.of(), MissedSignals.check(p, Optional.of(NOW.minus(Duration.ofHours(26))), Optional.of(NOW), Optional.empty(), NOW, GRACE)
                .findings(), "exactly the expected time is not late");
        var monitor = MissedSignals.check(p, Optional.of(NOW), Optional.of(NOW.minus(Duration.ofHours(3))), Optional.empty(), NOW, GRACE);
        assertTrue(monitor.findings().get(0).reasons().get(0).startsWith("monitor_silent:"), monitor.toString());
        assertEquals(TriggerType.DRIFT, monitor.findings().get(0).triggerType());
    }

    @Test
    void nothingIsExpectedWhenNothingIsConfigured() {
        PipelineSettings p = pipeline(Map.of("retrain.pipelines.p.target", "dry-run"));
        var found = MissedSignals.check(p, Optional.of(Instant.EPOCH), Optional.of(Instant.EPOCH), Optional.of(Instant.EPOCH), NOW, GRACE);
        assertEquals(List.of(), found.findings());
        assertEquals(List.of(), found.fires());
        assertEquals(List.of(), MissedSignals.codes(p));
    }

    /** The codes counted from zero at startup (SignalWatch) are those of the findings a pipeline can have. */
    @Test
    void theCodesOfAPipelineAreTheCodesOfItsFindings() {
        PipelineSettings p = pipeline(Map.of("retrain.pipelines.p.expect.data-within", "1h", "retrain.pipelines.p.expect.monitor-within", "1h",
                "retrain.pipelines.p.schedule", "0 0 3 * * ?"));
        Instant longAgo = NOW.minus(Duration.ofDays(3));
        var found = MissedSignals.check(p, Optional.of(longAgo), Optional.of(longAgo), Optional.of(longAgo), NOW, GRACE);
        List<String> codes = found.findings().stream().map(f -> f.reasons().get(0).split(":", 2)[0]).toList();
        assertEquals(List.of("data_missing", "monitor_silent", "schedule_missed"), codes);
        assertEquals(codes, MissedSignals.codes(p));
    }

    private static MissedSignals.Found missedFires(String policy, Instant lastFire) {
        PipelineSettings p = pipeline(Map.of("retrain.pipelines.p.schedule", "0 0 * * * ?", "retrain.pipelines.p.schedule-catch-up", policy));
        return MissedSignals.check(p, Optional.empty(), Optional.empty(), Optional.of(lastFire), NOW, GRACE);
    }

    @Test
    void missedFiresAreCaughtUpAsThePolicySays() {
        Instant lastFire = NOW.minus(Duration.ofHours(4)); // 08:00; missed 09:00, 10:00, 11:00, 12:00 (the last within the grace: not yet)
        var each = missedFires("each", lastFire);
        assertEquals(List.of(NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(1))),
                each.fires().stream().map(f -> f.firedAt().toInstant()).toList());
        assertEquals(Optional.of(NOW.minus(Duration.ofHours(1))), each.scheduleCaughtUpTo());
        String reason = each.findings().get(0).reasons().get(0);
        assertTrue(reason.startsWith("schedule_missed: 3 fires of '0 0 * * * ?' missed from 2026-05-10T09:00:00Z to 2026-05-10T11:00:00Z"), reason);
        assertTrue(reason.endsWith("schedule-catch-up=each: each runs now, in turn"), reason);
        assertEquals(TriggerType.SCHEDULED, each.findings().get(0).triggerType());

        var once = missedFires("once", lastFire);
        assertEquals(List.of(Date.from(NOW.minus(Duration.ofHours(1)))), once.fires().stream().map(MissedSignals.Fire::firedAt).toList());
        assertEquals(each.findings().get(0).id(), once.findings().get(0).id(), "the finding is named by the outage, not the policy");

        var skip = missedFires("skip", lastFire);
        assertEquals(List.of(), skip.fires());
        assertEquals(Optional.of(NOW.minus(Duration.ofHours(1))), skip.scheduleCaughtUpTo(), "skipped fires are not found again");
        assertTrue(skip.findings().get(0).reasons().get(0).endsWith("none run"));

        assertEquals(List.of(), missedFires("each", NOW.minusSeconds(30)).findings(), "no fire missed");
    }

    @Test
    void aLongOutageRunsAtMostTheLastThousandFires() {
        var each = missedFires("each", NOW.minus(Duration.ofDays(60)));
        assertEquals(MissedSignals.MAX_FIRES, each.fires().size());
        assertEquals(NOW.minus(Duration.ofHours(1)), each.fires().get(each.fires().size() - 1).firedAt().toInstant());
        assertTrue(each.findings().get(0).reasons().get(0).contains("1439 fires"), each.findings().get(0).reasons().toString());
    }

    @Test
    void aBadPolicyOrDurationFailsAtStartupNamingTheKey() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> pipeline(Map.of("retrain.pipelines.p.schedule-catch-up", "twice")));
        assertTrue(e.getMessage().contains("retrain.pipelines.p.schedule-catch-up") && e.getMessage().contains("skip, once or each"), e.getMessage());
        var d = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> pipeline(Map.of("retrain.pipelines.p.expect.data-within", "0s")));
        assertTrue(d.getMessage().contains("retrain.pipelines.p.expect.data-within"), d.getMessage());
    }
}
