package io.retraintrigger.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The name of the caller, for the record (who approved, who triggered). Only called behind Quarkus's
 * authentication, which has already verified the credentials this reads the name from.
 */
@ApplicationScoped
@Named("principals")
public class Principals {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public String name(String authorization) {
        if (authorization == null) return "unknown";
        try {
            if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            }
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String[] parts = authorization.substring(7).trim().split("\\.");
                if (parts.length >= 2) {
                    JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
                    for (String claim : new String[] {"preferred_username", "upn", "email", "sub"}) {
                        if (claims.hasNonNull(claim)) return claims.get(claim).asText();
                    }
                }
            }
        } catch (Exception e) {
            return "unknown";
        }
        return "unknown";
    }
}
