package io.retraintrigger.security;

import io.retraintrigger.backtest.SimulatedClock;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule of the login throttle, on a clock of its own. */
class LoginThrottleTest {
    private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-12-02T10:00:00Z"));

    @Test
    void aKeyIsBlockedAtItsTenthFailureUntilItsWindowEnds() {
        LoginThrottle t = new LoginThrottle(10, Duration.ofMinutes(1), clock);
        for (int i = 1; i < 10; i++) {
            assertFalse(t.failed("address:10.0.0.1"), "failure " + i);
            assertEquals(Optional.empty(), t.blocked("address:10.0.0.1"));
            clock.advance(Duration.ofSeconds(1));
        }
        assertTrue(t.failed("address:10.0.0.1"), "the tenth failure blocks");
        assertEquals(Optional.of(Duration.ofSeconds(51)), t.blocked("address:10.0.0.1"));
        assertFalse(t.failed("address:10.0.0.1"), "only the tenth reports the block");
        assertEquals(Optional.empty(), t.blocked("address:10.0.0.2"), "keys apart");
        clock.advance(Duration.ofSeconds(51));
        assertEquals(Optional.empty(), t.blocked("address:10.0.0.1"), "the window ended");
        assertFalse(t.failed("address:10.0.0.1"), "a new window starts at one");
    }

    @Test
    void endedWindowsAreForgottenWhenManyKeysAreHeldAtMostOnceASecond() throws Exception {
        LoginThrottle t = new LoginThrottle(3, Duration.ofMillis(100), clock);
        Field f = LoginThrottle.class.getDeclaredField("windows");
        f.setAccessible(true);
        Map<?, ?> windows = (Map<?, ?>) f.get(t);
        for (int i = 0; i <= LoginThrottle.MAX_KEYS; i++) t.failed("address:a" + i);
        clock.advance(Duration.ofMillis(200));
        t.failed("address:x");
        assertEquals(1, windows.size(), "the ended windows went");
        for (int i = 0; i <= LoginThrottle.MAX_KEYS; i++) t.failed("address:b" + i);
        clock.advance(Duration.ofMillis(300));
        t.failed("address:y");
        assertEquals(LoginThrottle.MAX_KEYS + 3, windows.size(), "ended, but the last prune was less than a second ago");
        clock.advance(Duration.ofMillis(700));
        t.failed("address:z");
        assertEquals(1, windows.size());
    }

    @Test
    void theBasicUserNameIsReadForCountingOnly() {
        assertEquals("mallory", LoginThrottleFilter.basicUser("Basic " + Base64.getEncoder().encodeToString("mallory:guess".getBytes(StandardCharsets.UTF_8))));
        assertNull(LoginThrottleFilter.basicUser("Bearer abc.def.ghi"));
        assertNull(LoginThrottleFilter.basicUser("Basic %%%not-base64"));
    }
}
