package io.retraintrigger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** HTTP Basic users of the embedded default (OIDC bearer tokens are configured under quarkus.oidc.*). */
@ConfigMapping(prefix = "retrain.auth")
public interface AuthConfig {

    /** Password of user admin (all roles); from RETRAIN_ADMIN_PASSWORD. Generated and kept in password-file when empty. */
    @WithName("admin-password")
    Optional<String> adminPassword();

    @WithName("password-file")
    String passwordFile();

    /** Further users: retrain.auth.users.NAME.password / .roles (viewer, ingester, operator, approver). */
    Map<String, User> users();

    /** Failed logins per client address and per user name: over max-failures in a window, 429 until it ends. */
    Throttle throttle();

    interface Throttle {
        @WithName("max-failures")
        int maxFailures();

        Duration window();
    }

    interface User {
        String password();

        Set<String> roles();
    }
}
