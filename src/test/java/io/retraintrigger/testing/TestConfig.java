package io.retraintrigger.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.retraintrigger.config.AuthConfig;
import io.retraintrigger.config.AwsConfig;
import io.retraintrigger.config.AzureConfig;
import io.retraintrigger.config.DynamoDbStoreConfig;
import io.retraintrigger.config.GcpConfig;
import io.retraintrigger.config.RetrainConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The retrain.* configuration mapping as the service reads it, without Quarkus: the given properties
 * over the built-in application.properties, where every default is set (without its example pipeline).
 */
public final class TestConfig {
    private TestConfig() {
    }

    public static RetrainConfig retrainConfig(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(RetrainConfig.class)
                // every mapping of the retrain.* keys, so that each default in application.properties maps to one
                .withMapping(AwsConfig.class).withMapping(AzureConfig.class).withMapping(GcpConfig.class)
                .withMapping(AuthConfig.class).withMapping(DynamoDbStoreConfig.class)
                .withSources(new PropertiesConfigSource(DEFAULTS, "application.properties", 50))
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(RetrainConfig.class);
    }

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Properties p = new Properties();
        try (InputStream in = Objects.requireNonNull(TestConfig.class.getClassLoader().getResourceAsStream("application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().stream().filter(k -> !k.startsWith("retrain.pipelines.")).forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
