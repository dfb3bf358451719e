package io.retraintrigger.config;

import io.retraintrigger.model.CoordinatorSettings;
import io.retraintrigger.model.GuardrailSettings;
import io.retraintrigger.model.Expectations;
import io.retraintrigger.model.ScheduleSource;
import io.retraintrigger.model.Severity;
import io.retraintrigger.model.SeverityPolicy;
import io.retraintrigger.model.StaticParameters;
import io.retraintrigger.model.TriggerType;
import io.retraintrigger.model.Thresholds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.quartz.CronExpression;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configured pipelines, checked at startup: a bad value stops the service with the key named.
 */
@ApplicationScoped
public class PipelineRegistry {
    private static final String OBJECT_URI = "(s3|gs)://[^/]+.*|https://[^/]+\\.blob\\.core\\.windows\\.net/.+";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Map<String, PipelineSettings> pipelines;

    /** The target of each pipeline and its section are checked by its launcher (LaunchService, at startup). */
    @Inject
    public PipelineRegistry(RetrainConfig config) {
        this.pipelines = build(config);
    }

    public static Map<String, PipelineSettings> build(RetrainConfig config) {
        Map<String, PipelineSettings> out = new TreeMap<>();
        RetrainConfig.Coordinator dc = config.coordinator();
        RetrainConfig.Drift dd = config.drift();
        Thresholds defaults = thresholds("retrain.drift.thresholds", dd.thresholds().medium(), dd.thresholds().high(), dd.thresholds().critical());
        for (var e : config.pipelines().entrySet()) {
            String name = e.getKey();
            String key = "retrain.pipelines." + name;
            RetrainConfig.Pipeline p = e.getValue();
            require(NAME.matcher(name).matches(), key, "pipeline name must be lower-case letters, digits and '-' (at most 63), was '" + name + "'");
            p.schedule().ifPresent(cron -> require(CronExpression.isValidExpression(cron), key + ".schedule", "not a valid Quartz cron expression: '" + cron + "'"));
            List<String> sources = p.dataSources().orElse(List.of());
            for (String s : sources) {
                require(s.matches(OBJECT_URI + "|file:/.+"), key + ".data-sources",
                        "'" + s + "' is not an s3://, gs:// or https://<account>.blob.core.windows.net/ prefix");
            }
            for (String s : p.scheduleSources().orElse(List.of())) {
                require(!s.startsWith(ScheduleSource.PUBSUB_SUBSCRIPTION) || s.length() > ScheduleSource.PUBSUB_SUBSCRIPTION.length(), key + ".schedule-sources",
                        "'" + s + "' names no subscription (pubsub-subscription:<subscription>)");
                require(!s.startsWith(ScheduleSource.PUBSUB_ATTRIBUTE) || s.substring(ScheduleSource.PUBSUB_ATTRIBUTE.length()).matches("[^=]+=.+"), key + ".schedule-sources",
                        "'" + s + "' is not pubsub-attribute:<key>=<value>");
            }
            int size = p.batch().size().orElse(config.batch().size());
            require(size >= 1, key + ".batch.size", "must be at least 1, was " + size);
            Duration window = p.batch().window().orElse(config.batch().window());
            require(!window.isNegative() && !window.isZero(), key + ".batch.window", "must be positive, was " + window);

            CoordinatorSettings cs;
            try {
                cs = new CoordinatorSettings(
                        p.coordinator().minInterval().orElse(dc.minInterval()),
                        p.coordinator().maxDailyTrainings().orElse(dc.maxDailyTrainings()),
                        p.coordinator().dailyBudget().orElse(dc.dailyBudget()),
                        p.coordinator().baseCost().orElse(dc.baseCost()));
            } catch (IllegalArgumentException ex) {
                throw new ConfigurationError(key + ".coordinator", ex.getMessage());
            }

            Thresholds pt = levels(key + ".drift.thresholds", p.drift().thresholds(), defaults);
            Map<String, Thresholds> perFeature = new LinkedHashMap<>();
            for (var f : p.drift().features().entrySet()) {
                perFeature.put(f.getKey(), levels(key + ".drift.features." + f.getKey(), f.getValue(), pt));
            }
            Map<String, Severity> perMonitor = new LinkedHashMap<>();
            for (var m : p.drift().monitors().entrySet()) {
                String k = key + ".drift.monitors." + m.getKey() + ".severity";
                String v = m.getValue().severity().map(String::trim).orElse("");
                Optional<Severity> s = Arrays.stream(Severity.values()).filter(x -> x.name().equalsIgnoreCase(v)).findFirst();
                require(s.isPresent(), k, "'" + v + "' is not a severity (low, medium, high or critical)");
                perMonitor.put(m.getKey(), s.get());
            }
            out.put(name, new PipelineSettings(name, p.target(), p.schedule(), sources, p.monitors().orElse(List.of()), p.scheduleSources().orElse(List.of()),
                    size, window, cs, new SeverityPolicy(pt, perFeature, perMonitor), p.drift().autoRetrain().orElse(dd.autoRetrain()),
                    guardrails(key + ".guardrails", p.guardrails(), config.guardrails()), parameters(key + ".parameters", p.parameters()),
                    expectations(key, p, config.expect()), p.sagemaker(), p.vertex(), p.azureMl()));
        }
        return out;
    }

    /** parameters.NAME and parameters.TRIGGER_TYPE.NAME, the names checked. */
    private static StaticParameters parameters(String key, Map<String, String> configured) {
        Map<String, String> common = new TreeMap<>();
        Map<TriggerType, Map<String, String>> byTrigger = new java.util.EnumMap<>(TriggerType.class);
        configured.forEach((k, v) -> {
            String[] parts = k.split("\\.", 2);
            TriggerType t = parts.length == 2 ? StaticParameters.triggerOf(parts[0]) : null;
            require(parts.length == 1 || t != null, key + "." + k, "'" + parts[0] + "' is not a trigger type (scheduled, data-arrival, drift, manual)");
            String name = parts.length == 1 ? parts[0] : parts[1];
            require(StaticParameters.NAME.matcher(name).matches(), key + "." + k,
                    "'" + name + "' is not a parameter name (a letter, then up to 127 letters, digits, '_' or '-')");
            (t == null ? common : byTrigger.computeIfAbsent(t, x -> new TreeMap<>())).put(name, v);
        });
        return new StaticParameters(common, byTrigger);
    }

    private static GuardrailSettings guardrails(String key, RetrainConfig.Pipeline.PipelineGuardrails g, RetrainConfig.Guardrails d) {
        for (var uri : List.of(Map.entry("golden-set-uri", g.goldenSetUri()), Map.entry("baseline-holdout-uri", g.baselineHoldoutUri()))) {
            uri.getValue().ifPresent(u -> require(u.matches(OBJECT_URI), key + "." + uri.getKey(),
                    "'" + u + "' is not an s3://, gs:// or https://<account>.blob.core.windows.net/ URI"));
        }
        // a report is read by the service itself: also from a Blob endpoint of another name (private endpoint, emulator)
        g.reportUri().ifPresent(u -> require(u.matches(OBJECT_URI + "|https://[^/]+/[^/]+/.+"), key + ".report-uri",
                "'" + u + "' is not an s3://bucket/key, gs://bucket/object or https://<account>.blob.core.windows.net/<container>/<blob> URI"));
        g.reportUri().ifPresent(u -> require(u.replaceAll("\\{(decisionId|executionId|pipeline)}", "").matches("[^{}]*"), key + ".report-uri",
                "'" + u + "' names a placeholder other than {decisionId}, {executionId} and {pipeline}"));
        try {
            return new GuardrailSettings(g.enabled().orElse(d.enabled()), g.metric().orElse(d.metric()),
                    or(g.minGoldenSet(), d.minGoldenSet()), or(g.maxBaselineGap(), d.maxBaselineGap()), or(g.maxKlDivergence(), d.maxKlDivergence()),
                    or(g.klFloor(), d.klFloor()), or(g.maxErrorShare(), d.maxErrorShare()), or(g.requireHumanApproval(), d.requireHumanApproval()),
                    g.reportUri(), g.reportTimeout().orElse(d.reportTimeout()),
                    g.fallingTrainings().orElse(d.breaker().fallingTrainings()), g.rejectionsInARow().orElse(d.breaker().rejectionsInARow()),
                    new GuardrailSettings.TrainingInputs(g.goldenSetUri(), g.baselineHoldoutUri(), or(g.holdoutFraction(), d.holdoutFraction())));
        } catch (IllegalArgumentException ex) {
            throw new ConfigurationError(key, ex.getMessage());
        }
    }

    private static Thresholds levels(String key, RetrainConfig.Pipeline.OptionalLevels l, Thresholds fallback) {
        return thresholds(key, or(l.medium(), fallback.medium()), or(l.high(), fallback.high()), or(l.critical(), fallback.critical()));
    }

    private static double or(OptionalDouble v, double d) {
        return v.isPresent() ? v.getAsDouble() : d;
    }

    private static Thresholds thresholds(String key, double m, double h, double c) {
        try {
            return new Thresholds(m, h, c);
        } catch (IllegalArgumentException ex) {
            throw new ConfigurationError(key, ex.getMessage());
        }
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) throw new ConfigurationError(key, message);
    }

    /** The pipeline's expected signals, checked: positive durations, a known catch-up policy. */
    static Expectations expectations(String key, RetrainConfig.Pipeline p, RetrainConfig.Expect defaults) {
        require(defaults.checkInterval().toMillis() > 0, "retrain.expect.check-interval", "must be positive, was " + defaults.checkInterval());
        p.expect().dataWithin().ifPresent(d -> require(d.toMillis() > 0, key + ".expect.data-within", "must be positive, was " + d));
        p.expect().monitorWithin().ifPresent(d -> require(d.toMillis() > 0, key + ".expect.monitor-within", "must be positive, was " + d));
        String catchUpKey = p.scheduleCatchUp().isPresent() ? key + ".schedule-catch-up" : "retrain.expect.schedule-catch-up";
        String v = p.scheduleCatchUp().orElse(defaults.scheduleCatchUp()).trim();
        Optional<Expectations.CatchUp> c = Arrays.stream(Expectations.CatchUp.values()).filter(x -> x.name().equalsIgnoreCase(v)).findFirst();
        require(c.isPresent(), catchUpKey, "'" + v + "' is not a catch-up policy (skip, once or each)");
        return new Expectations(p.expect().dataWithin(), p.expect().monitorWithin(), c.get());
    }

    public Optional<PipelineSettings> find(String name) {
        return Optional.ofNullable(name == null ? null : pipelines.get(name));
    }

    public PipelineSettings get(String name) {
        return find(name).orElseThrow(() -> new UnknownPipelineException(name));
    }

    public Collection<PipelineSettings> all() {
        return pipelines.values();
    }

    /** Pipelines whose data-sources prefix the URI; the longest prefix wins, ties are all returned. */
    public List<PipelineSettings> matchingDataSource(String uri) {
        int best = -1;
        List<PipelineSettings> out = new ArrayList<>();
        for (PipelineSettings p : pipelines.values()) {
            for (String prefix : p.dataSources()) {
                if (uri.startsWith(prefix)) {
                    if (prefix.length() > best) {
                        best = prefix.length();
                        out.clear();
                        out.add(p);
                    } else if (prefix.length() == best && !out.contains(p)) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    /** Pipelines that list the schedule (rule name or ARN, job name) in schedule-sources. */
    public List<PipelineSettings> byScheduleSource(String source) {
        return pipelines.values().stream().filter(p -> p.scheduleSources().contains(source)).toList();
    }

    /** Pipelines that list the monitor name. */
    public List<PipelineSettings> byMonitor(String monitor) {
        return pipelines.values().stream().filter(p -> p.monitors().contains(monitor)).toList();
    }
}
