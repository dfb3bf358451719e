package io.retraintrigger.testing;

import io.retraintrigger.config.ConfigFiles;
import io.retraintrigger.config.RetrainConfig;

import java.util.Map;

/** The retrain.* configuration mapping as the service reads it, without Quarkus and without a profile. */
public final class TestConfig {
    private TestConfig() {
    }

    public static RetrainConfig retrainConfig(Map<String, String> properties) {
        return ConfigFiles.retrainConfig(properties, null);
    }
}
