package io.retraintrigger.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The retrain.* configuration read without Quarkus, as the service reads it: given properties over the built-in
 * application.properties, where every default is set (its example pipeline left out). For the backtest, which
 * replays one configuration file after another in one process, and for tests.
 */
public final class ConfigFiles {
    private static final Map<String, String> DEFAULTS = defaults();

    private ConfigFiles() {
    }

    /**
     * @param properties the keys that override the defaults
     * @param profile    the profile whose {@code %profile.} keys apply (e.g. prod), or null for none
     * @throws ConfigurationError a key is invalid (SmallRye's message names it)
     */
    public static RetrainConfig retrainConfig(Map<String, String> properties, String profile) {
        return load(properties, profile).getConfigMapping(RetrainConfig.class);
    }

    /** The configuration itself, for {@link #retrainConfig} and {@link #resolved}. */
    public static SmallRyeConfig load(Map<String, String> properties, String profile) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(RetrainConfig.class)
                // every mapping of the retrain.* keys, so that each default in application.properties maps to one
                .withMapping(AwsConfig.class).withMapping(AzureConfig.class).withMapping(GcpConfig.class)
                .withMapping(AuthConfig.class).withMapping(DynamoDbStoreConfig.class)
                .withSources(new PropertiesConfigSource(DEFAULTS, "application.properties", 50))
                .withSources(new PropertiesConfigSource(properties, "given", 100));
        if (profile != null) builder.withProfile(profile);
        try {
            return builder.build();
        } catch (RuntimeException e) { // SmallRye's ConfigValidationException, a converter's IllegalArgumentException: each names its key
            throw new ConfigurationError("retrain.*", e.getMessage());
        }
    }

    /**
     * Every retrain.* key of a configuration with its value as resolved (profile applied, expressions expanded).
     * The keys are those a source other than the environment declares: SmallRye also lists each environment variable
     * as a dotted name (RETRAIN_ADMIN_PASSWORD as retrain.admin.password), a key that maps to nothing when it is only
     * an expression's variable. A variable that overrides a declared key is in that key's value all the same.
     */
    public static Map<String, String> resolved(SmallRyeConfig config) {
        Set<String> declared = new HashSet<>();
        for (ConfigSource source : config.getConfigSources()) {
            if (source instanceof EnvConfigSource) continue;
            for (String name : source.getPropertyNames()) declared.add(name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name);
        }
        Map<String, String> out = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith("retrain.") || !declared.contains(name)) continue;
            try {
                config.getOptionalValue(name, String.class).ifPresent(v -> out.put(name, v));
            } catch (RuntimeException unresolved) {
                // an expression whose variable is not set (a secret of a cloud the replay does not call): left out
            }
        }
        return out;
    }

    /** The properties of a file, as written (no profile applied). */
    public static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    private static Map<String, String> defaults() {
        Properties p = new Properties();
        try (InputStream in = Objects.requireNonNull(ConfigFiles.class.getClassLoader().getResourceAsStream("application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().stream().filter(k -> !k.startsWith("retrain.pipelines.")).forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
