package io.retraintrigger.config;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ConfigFilesTest {

    /** The service's configuration as the backtest copies it: an expression's variable is no key of its own. */
    @Test
    void resolvedKeepsDeclaredKeysWithTheEnvironmentsValuesAndNoVariableAsAKey() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of(
                        "retrain.auth.admin-password", "${RETRAIN_ADMIN_PASSWORD:}",
                        "retrain.events.retention", "90d",
                        "%prod.retrain.pipelines.fraud.target", "dry-run"), "application.properties", 250))
                .withSources(new EnvConfigSource(Map.of(
                        "RETRAIN_ADMIN_PASSWORD", "s3cret",
                        "RETRAIN_EVENTS_RETENTION", "30d"), 300))
                .withProfile("prod")
                .build();
        Map<String, String> resolved = ConfigFiles.resolved(config);
        assertFalse(resolved.containsKey("retrain.admin.password"), resolved.keySet().toString());
        assertEquals("s3cret", resolved.get("retrain.auth.admin-password"));
        assertEquals("30d", resolved.get("retrain.events.retention"), "the variable overrides the declared key");
        assertEquals("dry-run", resolved.get("retrain.pipelines.fraud.target"), "a profile's key");
        // and the copy is a configuration the backtest can load: no key that maps to nothing
        ConfigFiles.load(resolved, "prod");
    }
}
