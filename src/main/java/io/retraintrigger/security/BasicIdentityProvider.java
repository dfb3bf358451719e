package io.retraintrigger.security;

import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.retraintrigger.config.AuthConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Checks HTTP Basic credentials against {@link BasicUsers}. */
@ApplicationScoped
@Startup
public class BasicIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    private final BasicUsers users;

    @Inject
    public BasicIdentityProvider(AuthConfig config) {
        this.users = new BasicUsers(config);
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        String user = request.getUsername();
        return users.authenticate(user, request.getPassword().getPassword())
                .<Uni<SecurityIdentity>>map(roles -> Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(user)).addRoles(roles).build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("bad credentials")));
    }
}
