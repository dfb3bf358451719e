package io.retraintrigger.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.retraintrigger.config.AuthConfig;
import io.retraintrigger.metrics.RetrainMetrics;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Password guessing throttled in front of Quarkus's authentication (a Vert.x filter that runs before
 * it): a request with credentials that is answered 401 counts as a failed login for its client address
 * and, for HTTP Basic, for the user name it tried; a blocked address or name is answered 429 with
 * Retry-After and a JSON error, before its credentials are checked. Counted in
 * retrain_auth_failures_total and retrain_auth_throttled_total; logged (never the password) when a key
 * gets blocked. Quarkus has no such limit of its own for Basic authentication.
 */
@ApplicationScoped
public class LoginThrottleFilter {
    private static final Logger LOG = Logger.getLogger(LoginThrottleFilter.class);

    private final LoginThrottle throttle;
    private final RetrainMetrics metrics;

    @Inject
    public LoginThrottleFilter(AuthConfig auth, RetrainMetrics metrics, Clock clock) {
        this.throttle = new LoginThrottle(auth.throttle().maxFailures(), auth.throttle().window(), clock);
        this.metrics = metrics;
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, SecurityHandlerPriorities.CORS + 100);
    }

    private void handle(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization == null) {
            ctx.next();
            return;
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        String user = basicUser(authorization);
        Optional<Duration> wait = throttle.blocked("address:" + address).or(() -> user == null ? Optional.empty() : throttle.blocked("user:" + user));
        if (wait.isPresent()) {
            metrics.loginThrottled();
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.response().setStatusCode(429)
                    .putHeader("Retry-After", Long.toString(seconds))
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"too many failed logins from this address or for this user: retry after " + seconds + " s\"}");
            return;
        }
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() != 401) return;
            metrics.loginFailed();
            if (throttle.failed("address:" + address)) LOG.warnf("failed logins: address %s blocked for the rest of its window", address);
            if (user != null && throttle.failed("user:" + user)) LOG.warnf("failed logins: user '%s' blocked for the rest of its window", user);
        });
        ctx.next();
    }

    /** The user name an HTTP Basic header tries (not verified: only to count its failures). */
    static String basicUser(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String name = colon < 0 ? decoded : decoded.substring(0, colon);
            return name.length() > 200 ? name.substring(0, 200) : name;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
