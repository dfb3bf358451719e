package io.retraintrigger.launch;

import io.retraintrigger.config.ConfigurationError;
import io.retraintrigger.config.RetrainConfig;
import io.retraintrigger.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The send lease must outlast the longest wait between retries, or the resend sweep would send a launch waiting for its retry. */
class SendLeaseConfigTest {

    private static RetrainConfig.Launch launch(Map<String, String> launchProperties) {
        return TestConfig.retrainConfig(launchProperties).launch();
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
