package io.retraintrigger.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;

/**
 * The name of the caller, for the record (who approved, who triggered): the principal of the identity
 * that Quarkus's authentication verified for the request (platform-http hands the request's Vert.x user
 * over in the header CamelVertxPlatformHttpAuthenticatedUser). Never read again from the request's
 * headers: a second Authorization header, or an unverified token, must not name the caller.
 */
@ApplicationScoped
@Named("principals")
public class Principals {
    static final String UNKNOWN = "unknown";

    public String name(Object authenticatedUser) {
        SecurityIdentity identity = identity(authenticatedUser);
        return identity == null ? UNKNOWN : identity.getPrincipal().getName();
    }

    /** The caller and their roles, sorted; anonymous: unknown with none (the path needs a login anyway). */
    public Caller caller(Object authenticatedUser) {
        SecurityIdentity identity = identity(authenticatedUser);
        if (identity == null) return new Caller(UNKNOWN, List.of());
        return new Caller(identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList());
    }

    private static SecurityIdentity identity(Object authenticatedUser) {
        if (authenticatedUser instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (identity != null && !identity.isAnonymous() && identity.getPrincipal() != null) return identity;
        }
        return null;
    }
}
