package io.retraintrigger.ingest;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a dead letter keeps of a message's headers and query parameters. */
class DeadLettersTest {

    @Test
    void credentialLikeHeadersAndQueryParametersAreRedactedInAnySpelling() {
        for (String name : new String[]{"Authorization", "proxy-authorization", "Cookie", "Set-Cookie", "X-Api-Key", "api_key", "apikey",
                "X-Amz-Security-Token", "x-amz-date", "token", "access_token", "X-Auth-Token", "client_secret", "password", "Passwd",
                "X-Goog-Credential", "sig", "X-Hub-Signature-256", "JSESSIONID", "private_key", "sas"}) {
            assertTrue(DeadLetters.secret(name), name);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put(name, "s3cret");
            assertEquals(Map.of(name, DeadLetters.REDACTED), DeadLetters.kept(h), name);
        }
        for (String name : new String[]{"Content-Type", "ce-id", "ce-source", "ce-type", "User-Agent", "SqsMessageId", "RetrainSource", "limit", "pipeline"}) {
            assertFalse(DeadLetters.secret(name), name);
        }
    }

    @Test
    void camelHeadersGoAndValuesAndTheirNumberAreBounded() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("CamelHttpUri", "/api/events");
        h.put("long", "v".repeat(5000));
        h.put("absent", null);
        for (int i = 0; i < 100; i++) h.put("h" + i, i);
        Map<String, String> kept = DeadLetters.kept(h);
        assertFalse(kept.containsKey("CamelHttpUri"));
        assertFalse(kept.containsKey("absent"));
        assertEquals(DeadLetters.MAX_HEADER_CHARS + 3, kept.get("long").length());
        assertEquals(DeadLetters.MAX_HEADERS, kept.size());
    }
}
