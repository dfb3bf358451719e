package io.retraintrigger.model;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pipeline's static launch parameters ({@code retrain.pipelines.NAME.parameters.*}): those of every launch,
 * and those of one trigger type, which override them. The computed parameters override both
 * ({@link LaunchParameters#of}).
 */
public record StaticParameters(Map<String, String> common, Map<TriggerType, Map<String, String>> byTrigger) {
    /** A parameter name a pipeline can declare on every target: a letter, then letters, digits, '_' or '-'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,127}");
    public static final StaticParameters NONE = new StaticParameters(Map.of(), Map.of());

    public StaticParameters {
        common = Map.copyOf(common);
        Map<TriggerType, Map<String, String>> copy = new EnumMap<>(TriggerType.class);
        byTrigger.forEach((t, m) -> copy.put(t, Map.copyOf(m)));
        byTrigger = java.util.Collections.unmodifiableMap(copy);
    }

    /** The static parameters of a launch of {@code type}: the common ones, overridden by those of the type, in name order. */
    public Map<String, String> forTrigger(TriggerType type) {
        Map<String, String> out = new java.util.TreeMap<>(common);
        if (type != null) out.putAll(byTrigger.getOrDefault(type, Map.of()));
        return new LinkedHashMap<>(out);
    }

    /**
     * The trigger type a key's first segment names (scheduled, data-arrival or data_arrival, drift, manual;
     * any case), or null when it names none.
     */
    public static TriggerType triggerOf(String segment) {
        String s = segment.replace('-', '_');
        for (TriggerType t : TriggerType.values()) {
            if (t.name().equalsIgnoreCase(s)) return t;
        }
        return null;
    }
}
