package io.retraintrigger.launch;

import io.retraintrigger.model.Decision;
import io.retraintrigger.model.LaunchParameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * What the launchers derive alike from a decision's launch parameters: which parameters are sent, in
 * canonical order; their renaming by a pipeline's {@code parameter-names} ({@value #OMIT}: not sent); the
 * cut of a value over a target's limit; the choice between DataPaths inline and a {@link DataManifest};
 * and ids made stable by SHA-256. Each launcher keeps its target's limits, types and wire format.
 */
public final class LaunchInputs {
    /** Sent with DataPaths: whether DataPaths is the URI of a manifest rather than the URIs themselves. */
    public static final String DATA_MANIFEST = "DataManifest";
    /** A parameter name mapped to this is not sent. */
    public static final String OMIT = "-";

    /** The parameters a launcher sends as text values, by their canonical names, in this order. */
    public static final List<String> SENT = List.of(
            LaunchParameters.TRIGGER_TYPE,
            LaunchParameters.TRIGGER_REASON,
            LaunchParameters.PRIORITY,
            LaunchParameters.REQUIRE_APPROVAL,
            LaunchParameters.EVENT_COUNT,
            LaunchParameters.DRIFT_SEVERITY,
            LaunchParameters.DRIFT_SCORE,
            LaunchParameters.DRIFTED_FEATURES,
            LaunchParameters.DATA_PATHS,
            DATA_MANIFEST,
            LaunchParameters.GOLDEN_SET_URI,
            LaunchParameters.BASELINE_HOLDOUT_URI,
            LaunchParameters.HOLDOUT_FRACTION,
            LaunchParameters.PRODUCTION_FRACTION);

    /** Told of a value that was cut: its canonical name and its length before the cut. */
    @FunctionalInterface
    public interface CutListener {
        void cut(String name, int length);
    }

    private LaunchInputs() {
    }

    /**
     * What a launcher sends: its own list, then the launch's static parameters (retrain.pipelines.NAME.parameters.*,
     * those retrain-trigger does not compute), in their order, as they are (not renamed).
     */
    public static List<String> withStatic(List<String> sent, Map<String, String> launchParameters) {
        List<String> out = new ArrayList<>(sent);
        launchParameters.keySet().stream().filter(k -> !LaunchParameters.COMPUTED.contains(k) && !sent.contains(k)).forEach(out::add);
        return out;
    }

    /**
     * The values of the {@code sent} parameters present in {@code given}, by canonical name, in {@code sent}
     * order. DataPaths of at most {@code maxValue} characters goes as it is with DataManifest=false; a longer
     * one is replaced by what {@code writeManifest} returns for it (the manifest's URI) with DataManifest=true.
     * Any other value over {@code maxValue} is {@link #fit cut}. A given DataManifest is ignored.
     */
    public static Map<String, String> select(List<String> sent, Map<String, String> given, int maxValue,
                                             UnaryOperator<String> writeManifest, CutListener onCut) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : sent) {
            String value = given.get(name);
            if (value == null) continue;
            if (name.equals(LaunchParameters.DATA_PATHS)) {
                boolean manifest = needsManifest(value, maxValue);
                values.put(name, manifest ? writeManifest.apply(value) : value);
                values.put(DATA_MANIFEST, Boolean.toString(manifest));
            } else if (!name.equals(DATA_MANIFEST)) {
                values.put(name, fit(name, value, maxValue, onCut));
            }
        }
        return values;
    }

    /** Whether DataPaths is too long to pass inline. */
    public static boolean needsManifest(String dataPaths, int maxInline) {
        return dataPaths.length() > maxInline;
    }

    /**
     * The values in {@code order} (canonical names) present in {@code values}, each under the pipeline's name
     * for it ({@code parameterNames}, else the canonical name) and converted by {@code convert(canonical name,
     * value)}; a name mapped to {@value #OMIT} is left out (and not converted).
     */
    public static <V> List<Map.Entry<String, V>> rename(Iterable<String> order, Map<String, String> values,
                                                        Map<String, String> parameterNames, BiFunction<String, String, V> convert) {
        List<Map.Entry<String, V>> out = new ArrayList<>();
        for (String name : order) {
            String value = values.get(name);
            if (value == null) continue;
            String theirs = parameterNames.getOrDefault(name, name);
            if (OMIT.equals(theirs)) continue;
            out.add(Map.entry(theirs, convert.apply(name, value)));
        }
        return out;
    }

    /** {@link #rename} as an ordered map, the pipeline's name to the value. */
    public static Map<String, String> renamed(Iterable<String> order, Map<String, String> values, Map<String, String> parameterNames) {
        Map<String, String> out = new LinkedHashMap<>();
        rename(order, values, parameterNames, (name, value) -> value).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Whether the pipeline takes the parameter at all (it is not renamed to {@value #OMIT}). */
    public static boolean isSent(Map<String, String> parameterNames, String name) {
        return !OMIT.equals(parameterNames.get(name));
    }

    /** A value of at most {@code max} characters as it is; a longer one cut to {@code max} (not between the halves of a surrogate pair), {@code onCut} told. */
    public static String fit(String name, String value, int max, CutListener onCut) {
        if (value.length() <= max) return value;
        int end = max;
        if (Character.isHighSurrogate(value.charAt(end - 1))) end--;
        onCut.cut(name, value.length());
        return value.substring(0, end);
    }

    /** The SHA-256 of the UTF-8 of {@code s}, 64 lower-case hex digits: a stable stand-in for an id a target does not take. */
    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decision's trigger type in lower case with '-' for '_' ({@code data-arrival}), {@code training} without one. */
    public static String triggerSlug(Decision decision) {
        return decision.triggerType() == null ? "training" : decision.triggerType().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code retrain-trigger decision <id> (<trigger type>, priority <p>, training <sequence>)}, cut to {@code max} characters. */
    public static String description(Decision decision, int max) {
        String d = "retrain-trigger decision " + decision.id() + " (" + decision.triggerType() + ", priority " + decision.priority()
                + ", training " + decision.launch().sequence() + ")";
        return d.length() <= max ? d : d.substring(0, max);
    }
}
