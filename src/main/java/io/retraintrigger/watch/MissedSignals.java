package io.retraintrigger.watch;

import io.retraintrigger.config.PipelineSettings;
import io.retraintrigger.model.Decision;
import io.retraintrigger.model.DecisionIds;
import io.retraintrigger.model.Expectations;
import io.retraintrigger.model.Outcome;
import io.retraintrigger.model.TriggerType;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The rules of signals that did not come, pure: from when a pipeline last had each signal, what is missing now.
 * A silence is one finding however long it lasts (its id is derived from the pipeline, the signal and the time
 * the silence began), so every replica and every check finds the same one.
 */
public final class MissedSignals {
    public static final String DATA = "data";
    public static final String MONITOR = "monitor";
    public static final String SCHEDULE = "schedule";
    /** The codes of the findings (the first word of their reason; retrain_missed_signals_total's signal label). */
    public static final String DATA_MISSING = "data_missing";
    public static final String MONITOR_SILENT = "monitor_silent";
    public static final String SCHEDULE_MISSED = "schedule_missed";
    /** At most this many missed fires are caught up one by one (each); the rest are counted in the finding. */
    static final int MAX_FIRES = 1000;

    private MissedSignals() {
    }

    /** A schedule fire to run now (catch-up), under the fire time it missed: the decision id of a tick at that time. */
    public record Fire(String pipeline, Date firedAt) {
    }

    /** What one check found for one pipeline: findings to record, fires to run. */
    public record Found(List<Decision> findings, List<Fire> fires, Optional<Instant> scheduleCaughtUpTo) {
    }

    /**
     * @param lastData     the last data arrival (or when watching began)
     * @param lastMonitor  the monitor's last word (or when watching began)
     * @param lastFire     the schedule's last fire recorded (or when watching began)
     * @param grace        how old a fire must be to count as missed (a fire in progress is not)
     */
    public static Found check(PipelineSettings p, Optional<Instant> lastData, Optional<Instant> lastMonitor, Optional<Instant> lastFire,
                              Instant now, Duration grace) {
        Expectations x = p.expect();
        List<Decision> findings = new ArrayList<>();
        silence(p, DATA, TriggerType.DATA_ARRIVAL, x.dataWithin(), lastData, now, DATA_MISSING + ": no data arrival", "expect.data-within")
                .ifPresent(findings::add);
        silence(p, MONITOR, TriggerType.DRIFT, x.monitorWithin(), lastMonitor, now, MONITOR_SILENT + ": no alarm, OK or report from the drift monitor",
                "expect.monitor-within").ifPresent(findings::add);
        List<Fire> fires = new ArrayList<>();
        Optional<Instant> caughtUp = Optional.empty();
        if (p.schedule().isPresent() && lastFire.isPresent()) {
            List<Instant> missed = new ArrayList<>();
            long count = fires(p.schedule().get(), lastFire.get(), now.minus(grace), missed);
            if (count > 0) {
                Instant firstMissed = missed.get(0);
                Instant lastMissed = missed.get(missed.size() - 1);
                List<Instant> run = switch (x.catchUp()) {
                    case SKIP -> List.of();
                    case ONCE -> List.of(lastMissed);
                    case EACH -> missed;
                };
                run.forEach(t -> fires.add(new Fire(p.name(), Date.from(t))));
                String what = switch (x.catchUp()) {
                    case SKIP -> "none run";
                    case ONCE -> "the last (" + lastMissed + ") runs now";
                    case EACH -> (count > missed.size() ? "the last " + missed.size() + " run now, in turn" : "each runs now, in turn");
                };
                String reason = SCHEDULE_MISSED + ": " + count + " fire" + (count == 1 ? "" : "s") + " of '" + p.schedule().get() + "' missed from "
                        + firstMissed + " to " + lastMissed + " (the service was down; last fire recorded " + lastFire.get() + "); "
                        + p.key() + ".schedule-catch-up=" + x.catchUp().name().toLowerCase() + ": " + what;
                findings.add(finding(p, SCHEDULE, TriggerType.SCHEDULED, lastFire.get(), reason, now));
                caughtUp = Optional.of(lastMissed);
            }
        }
        return new Found(findings, fires, caughtUp);
    }

    /** The codes of the findings a pipeline can have: one per signal it expects. */
    public static List<String> codes(PipelineSettings p) {
        List<String> codes = new ArrayList<>(3);
        if (p.expect().dataWithin().isPresent()) codes.add(DATA_MISSING);
        if (p.expect().monitorWithin().isPresent()) codes.add(MONITOR_SILENT);
        if (p.schedule().isPresent()) codes.add(SCHEDULE_MISSED);
        return codes;
    }

    private static Optional<Decision> silence(PipelineSettings p, String signal, TriggerType type, Optional<Duration> within, Optional<Instant> last,
                                              Instant now, String what, String key) {
        if (within.isEmpty() || last.isEmpty()) return Optional.empty();
        Duration silent = Duration.between(last.get(), now);
        if (silent.compareTo(within.get()) <= 0) return Optional.empty();
        return Optional.of(finding(p, signal, type, last.get(), what + " since " + last.get() + " (" + human(silent) + "; " + p.key() + "." + key
                + "=" + human(within.get()) + ")", now));
    }

    private static Decision finding(PipelineSettings p, String signal, TriggerType type, Instant since, String reason, Instant now) {
        String id = DecisionIds.forFinding(p.name() + ":" + signal + ":" + since);
        return new Decision(id, p.name(), type, 5, Outcome.MISSED_SIGNAL, List.of(reason), now, null, 0, null, null);
    }

    /**
     * The fires of {@code cron} (UTC) after {@code after} up to {@code until}, the last {@link #MAX_FIRES} of them in
     * {@code out}, oldest first.
     *
     * @return how many there are
     */
    static long fires(String cron, Instant after, Instant until, List<Instant> out) {
        CronExpression c;
        try {
            c = new CronExpression(cron);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a valid Quartz cron expression: '" + cron + "'", e);
        }
        c.setTimeZone(TimeZone.getTimeZone("UTC"));
        long count = 0;
        java.util.ArrayDeque<Instant> last = new java.util.ArrayDeque<>();
        for (Date d = c.getNextValidTimeAfter(Date.from(after)); d != null && !d.toInstant().isAfter(until); d = c.getNextValidTimeAfter(d)) {
            count++;
            last.addLast(d.toInstant());
            if (last.size() > MAX_FIRES) last.removeFirst();
        }
        out.addAll(last);
        return count;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) return s + "s";
        if (s < 7200) return (s / 60) + "m";
        if (s < 172800) return (s / 3600) + "h";
        return (s / 86400) + "d";
    }
}
