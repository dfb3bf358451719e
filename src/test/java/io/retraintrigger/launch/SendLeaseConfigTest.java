package io.retraintrigger.launch;

import io.quarkus.runtime.configuration.DurationConverter;
import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.RetrainConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The send lease must outlast the longest wait between retries, or the resend sweep would send a launch waiting for its retry. */
class SendLeaseConfigTest {

    private static RetrainConfig.Launch launch(Map<String, String> launchProperties) {
        Map<String, String> properties = new HashMap<>(launchProperties);
        properties.put("retrain.audit.uri", "log:audit");
        properties.put("retrain.notify.uri", "log:notify");
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(RetrainConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(RetrainConfig.class).launch();
    }

    @Test
    void theDefaultsPass() {
        assertEquals(Duration.ofMinutes(2), LaunchService.sendLease(launch(Map.of())));
    }

    @Test
    void aLeaseShorterThanTheLongestRetryWaitIsRefusedNamingTheKey() {
        ConfigurationError e = assertThrows(ConfigurationError.class, () -> LaunchService.sendLease(launch(Map.of(
                "retrain.launch.resend-after", "30s", "retrain.launch.max-retry-delay", "30000"))));
        assertTrue(e.getMessage().startsWith("invalid configuration retrain.launch.resend-after"), e.getMessage());
        assertTrue(e.getMessage().contains("retrain.launch.max-retry-delay=30000"), e.getMessage());
        assertEquals(Duration.ofSeconds(31), LaunchService.sendLease(launch(Map.of(
                "retrain.launch.resend-after", "31s", "retrain.launch.max-retry-delay", "30000"))));
    }
}
