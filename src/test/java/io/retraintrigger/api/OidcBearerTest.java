package io.retraintrigger.api;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Production OIDC: the default tenant on (application type service, as in application.properties),
 * against a local OpenID provider (WireMock on loopback serving the discovery document and a JWKS with
 * an RSA key generated at test start). Bearer tokens signed with that key authenticate, their
 * {@code groups} claim gives the roles; expired tokens, tokens signed by another key, for another
 * audience or from another issuer do not. HTTP Basic keeps working next to it.
 */
@QuarkusTest
@TestProfile(OidcBearerTest.Profile.class)
class OidcBearerTest {
    static final String CLIENT_ID = "retrain-trigger";
    static final String REALM_PATH = "/realms/retrain";

    /** Default OIDC tenant on; its auth-server-url comes from {@link OidcProviderStub}. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("quarkus.oidc.tenant-enabled", "true"),
                    Map.entry("quarkus.oidc.application-type", "service"),
                    Map.entry("quarkus.oidc.client-id", CLIENT_ID),
                    Map.entry("quarkus.oidc.discovery-enabled", "true"),
                    Map.entry("quarkus.oidc.token.audience", CLIENT_ID),
                    // own in-memory database: this profile triggers 'cooldown', whose state other tests expect fresh
                    Map.entry("retrain.store.jdbc.url",
                            "jdbc:h2:mem:retrain-oidc-test;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcProviderStub.class));
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectSigningJwk {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectIssuer {
    }

    /**
     * A minimal OpenID provider on a free loopback port: discovery document and JWKS (public half of an
     * RSA key generated at start). Gives the test the private key (JWK JSON) and the issuer.
     */
    public static class OidcProviderStub implements QuarkusTestResourceLifecycleManager {
        private WireMockServer server;
        private String privateJwk;
        private String issuer;

        @Override
        public Map<String, String> start() {
            try {
                RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
                key.setKeyId("test-key-1");
                key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
                key.setUse("sig");
                privateJwk = key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
                String jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);

                server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
                server.start();
                issuer = "http://127.0.0.1:" + server.port() + REALM_PATH;
                String discovery = "{\"issuer\":\"" + issuer + "\","
                        + "\"jwks_uri\":\"" + issuer + "/protocol/openid-connect/certs\","
                        + "\"authorization_endpoint\":\"" + issuer + "/protocol/openid-connect/auth\","
                        + "\"token_endpoint\":\"" + issuer + "/protocol/openid-connect/token\","
                        + "\"response_types_supported\":[\"code\"],"
                        + "\"subject_types_supported\":[\"public\"],"
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
                server.stubFor(get(urlEqualTo(REALM_PATH + "/.well-known/openid-configuration"))
                        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(discovery)));
                server.stubFor(get(urlEqualTo(REALM_PATH + "/protocol/openid-connect/certs"))
                        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(jwks)));
                return Map.of("quarkus.oidc.auth-server-url", issuer);
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(privateJwk, new TestInjector.AnnotatedAndMatchesType(InjectSigningJwk.class, String.class));
            testInjector.injectIntoFields(issuer, new TestInjector.AnnotatedAndMatchesType(InjectIssuer.class, String.class));
        }

        @Override
        public void stop() {
            if (server != null) server.stop();
        }
    }

    @InjectSigningJwk
    String signingJwk;

    @InjectIssuer
    String issuer;

    private RsaJsonWebKey key;

    @BeforeEach
    void parseKey() throws JoseException {
        key = (RsaJsonWebKey) JsonWebKey.Factory.newJwk(signingJwk);
    }

    @Test
    void viewerTokenReads() throws JoseException {
        bearer(token("oidc-viewer", List.of("viewer"))).get("/api/decisions").then().statusCode(200);
        bearer(token("oidc-viewer", List.of("viewer"))).get("/api/pipelines/cooldown").then().statusCode(200);
    }

    @Test
    void viewerTokenCannotTrigger() throws JoseException {
        bearer(token("oidc-viewer", List.of("viewer"))).contentType("application/json").body("{}")
                .post("/api/pipelines/cooldown/trigger").then().statusCode(403);
    }

    @Test
    void operatorTokenTriggersAndIsRecordedByName() throws JoseException {
        bearer(token("oidc-operator", List.of("operator"))).contentType("application/json").body("{\"priority\":3,\"reason\":\"oidc\"}")
                .post("/api/pipelines/cooldown/trigger").then().statusCode(200).body("pipeline", equalTo("cooldown"));
        // operator alone may not read
        bearer(token("oidc-operator", List.of("operator"))).get("/api/decisions").then().statusCode(403);
        bearer(token("oidc-both", List.of("viewer", "operator"))).queryParam("pipeline", "cooldown").get("/api/decisions")
                .then().statusCode(200).body("request.reason", hasItem("manual: by oidc-operator: oidc"));
    }

    @Test
    void expiredTokenIsUnauthorized() throws JoseException {
        long now = NumericDate.now().getValue();
        String expired = sign(claims("oidc-viewer", List.of("viewer"), issuer, CLIENT_ID, now - 1200, now - 600), key);
        bearer(expired).get("/api/decisions").then().statusCode(401);
    }

    @Test
    void tokenSignedByAnotherKeyIsUnauthorized() throws JoseException {
        RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
        other.setKeyId(key.getKeyId()); // same kid: only the signature differs
        long now = NumericDate.now().getValue();
        String forged = sign(claims("oidc-operator", List.of("viewer", "operator"), issuer, CLIENT_ID, now, now + 300), other);
        bearer(forged).get("/api/decisions").then().statusCode(401);
        bearer(forged).contentType("application/json").body("{}").post("/api/pipelines/cooldown/trigger").then().statusCode(401);
    }

    @Test
    void tokenForAnotherAudienceOrIssuerIsUnauthorized() throws JoseException {
        long now = NumericDate.now().getValue();
        bearer(sign(claims("oidc-viewer", List.of("viewer"), issuer, "some-other-client", now, now + 300), key))
                .get("/api/decisions").then().statusCode(401);
        bearer(sign(claims("oidc-viewer", List.of("viewer"), "http://127.0.0.1:1/realms/elsewhere", CLIENT_ID, now, now + 300), key))
                .get("/api/decisions").then().statusCode(401);
    }

    @Test
    void garbageBearerIsUnauthorized() {
        bearer("not-a-jwt").get("/api/decisions").then().statusCode(401);
    }

    @Test
    void noTokenIsUnauthorized() {
        RestAssured.given().get("/api/decisions").then().statusCode(401);
        RestAssured.given().post("/api/pipelines/cooldown/trigger").then().statusCode(401);
    }

    @Test
    void httpBasicStillWorks() {
        admin().get("/api/decisions").then().statusCode(200);
        admin().get("/api/pipelines/cooldown").then().statusCode(200);
        as("viewer", "test-viewer").get("/api/decisions").then().statusCode(200);
        as("viewer", "test-viewer").contentType("application/json").body("{}").post("/api/pipelines/cooldown/trigger").then().statusCode(403);
        as("admin", "not-the-password").get("/api/decisions").then().statusCode(401);
    }

    private static RequestSpecification bearer(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token);
    }

    private String token(String user, List<String> groups) throws JoseException {
        long now = NumericDate.now().getValue();
        return sign(claims(user, groups, issuer, CLIENT_ID, now, now + 300), key);
    }

    private static JwtClaims claims(String user, List<String> groups, String iss, String audience, long issuedAt, long expiresAt) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(iss);
        c.setAudience(audience);
        c.setSubject(user);
        c.setClaim("preferred_username", user);
        c.setStringListClaim("groups", groups);
        c.setIssuedAt(NumericDate.fromSeconds(issuedAt));
        c.setExpirationTime(NumericDate.fromSeconds(expiresAt));
        c.setGeneratedJwtId();
        return c;
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey signer) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getPrivateKey());
        jws.setKeyIdHeaderValue(signer.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        return jws.getCompactSerialization();
    }
}
