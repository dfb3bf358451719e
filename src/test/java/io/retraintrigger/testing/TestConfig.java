package io.retraintrigger.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.retraintrigger.config.RetrainConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The retrain.* configuration mapping from properties alone, as the service reads it, without Quarkus. */
public final class TestConfig {
    private TestConfig() {
    }

    public static RetrainConfig retrainConfig(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        // the two keys without a default in the mapping (application.properties sets them)
        all.putIfAbsent("retrain.audit.uri", "log:audit");
        all.putIfAbsent("retrain.notify.uri", "log:notify");
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(RetrainConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .build()
                .getConfigMapping(RetrainConfig.class);
    }
}
