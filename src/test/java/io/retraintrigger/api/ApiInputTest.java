package io.retraintrigger.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.retraintrigger.api.TestApi.ADMIN_PASSWORD;
import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.event;
import static io.retraintrigger.api.TestApi.newId;
import static io.retraintrigger.api.TestApi.postEvent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the API does with input it does not take: a 4xx with a JSON error that names the problem, never a 5xx. */
@QuarkusTest
class ApiInputTest {

    private static final List<String> LISTS = List.of("/api/decisions", "/api/approvals", "/api/dead-letters", "/api/decisions/dec-none/data");

    @Test
    void everyListEndpointRefusesABadLimitTheSameWay() {
        for (String path : LISTS) {
            for (String limit : List.of("abc", "1e3", "99999999999", "0", "-1", "1.5", "\u0000", "10\u0000")) {
                Response r = admin().urlEncodingEnabled(true).queryParam("limit", limit).get(path);
                if (path.endsWith("/data")) {
                    // the decision is looked up first: unknown, whatever the limit
                    assertTrue(r.statusCode() == 400 || r.statusCode() == 404, path + " limit=" + limit + ": " + r.statusCode());
                } else {
                    assertEquals(400, r.statusCode(), path + " limit=" + limit + ": " + r.asString());
                }
                assertTrue(r.contentType().startsWith("application/json"), path + ": " + r.contentType());
                if (r.statusCode() == 400) assertTrue(r.jsonPath().getString("error").startsWith("invalid parameter limit"), r.asString());
            }
            admin().queryParam("limit", "").get(path).then().statusCode(path.endsWith("/data") ? 404 : 200);
        }
    }

    @Test
    void aControlCharacterOrAHugeNameInAQueryIs400() {
        for (String path : List.of("/api/decisions", "/api/approvals")) {
            admin().queryParam("pipeline", "sized\u0000").get(path).then().statusCode(400)
                    .body("error", containsString("invalid parameter pipeline: contains a control character"));
            admin().queryParam("pipeline", "p".repeat(201)).get(path).then().statusCode(400)
                    .body("error", containsString("longer than 200"));
        }
        admin().urlEncodingEnabled(false).get("/api/decisions/dec-%01x").then().statusCode(400).body("error", startsWith("invalid parameter id"));
    }

    @Test
    void formsAreRefusedWith415OnEveryPost() {
        for (String path : List.of("/api/events", "/api/pipelines/api-input/trigger", "/api/approvals/none/approve")) {
            admin().contentType("application/x-www-form-urlencoded").formParam("priority", "1").post(path)
                    .then().statusCode(415).contentType(startsWith("application/json"))
                    .body("error", containsString("application/x-www-form-urlencoded"));
            admin().multiPart("file", "x.json", "{\"priority\":1}".getBytes(StandardCharsets.UTF_8), "application/json").post(path)
                    .then().statusCode(415).contentType(startsWith("application/json"))
                    .body("error", containsString("multipart/form-data"));
        }
    }

    @Test
    void overTheHttpLimitsTheAnswerIsStillTheApisJson() throws java.io.IOException {
        // a URI over 8192 characters (the codec's own limit is above it)
        admin().queryParam("pipeline", "p".repeat(9000)).get("/api/decisions").then().statusCode(414)
                .contentType(startsWith("application/json")).body("error", startsWith("URI too long"));
        // a declared body over quarkus.http.limits.max-body-size (16M): refused before it is read
        byte[] big = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        admin().contentType("application/cloudevents+json").body(big).post("/api/events").then().statusCode(413)
                .contentType(startsWith("application/json")).body("error", containsString("quarkus.http.limits.max-body-size"));
        // the same body chunked (no Content-Length to check first): cut by the body handler at the limit, answered in JSON
        String chunked = postChunked("/api/events", 17);
        assertTrue(chunked.startsWith("HTTP/1.1 413"), chunked);
        assertTrue(chunked.contains("Content-Type: application/json"), chunked);
        assertTrue(chunked.contains("quarkus.http.limits.max-body-size"), chunked);
        RestAssured.get("/q/health/live").then().statusCode(200);
    }

    /** POSTs {@code mebibytes} of JSON-ish bytes in 1 MiB chunks over a raw socket; returns the start of the answer. */
    private static String postChunked(String path, int mebibytes) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(30_000);
            var out = s.getOutputStream();
            String auth = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + auth
                    + "\r\nContent-Type: application/cloudevents+json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            try {
                for (int i = 0; i < mebibytes; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedByServer) {
                // the server answers and closes once the limit is passed; the answer is still there to read
            }
            // the status line, the headers and the JSON error (the connection may stay open: read up to the body's end)
            var in = s.getInputStream();
            StringBuilder answer = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && answer.length() < 2000) {
                answer.append((char) c);
                if (c == '}' && answer.indexOf("\r\n\r\n") > 0) break;
            }
            return answer.toString();
        }
    }

    @Test
    void anOverlongEventIdIsRefusedWithItsLimit() {
        String data = "{\"uri\":\"s3://test-bucket/api-input/long-id.parquet\",\"sizeBytes\":1}";
        postEvent(event("e".repeat(513), "io.retraintrigger.data.arrived", data)).then().statusCode(422)
                .body("error", containsString("invalid field id: 513 characters, at most 512"));
        postEvent(event(newId(), "io.retraintrigger.data.arrived", "{\"uri\":\"s3://test-bucket/api-input/" + "u".repeat(5000) + "\"}"))
                .then().statusCode(422).body("error", containsString("invalid field data.uri: 5027 characters, at most 2048"));
        postEvent(event("e".repeat(512), "io.retraintrigger.data.arrived", data)).then().statusCode(202);
        // a long id that is taken is kept by its hash: a second delivery of it is a duplicate
        postEvent(event("e".repeat(512), "io.retraintrigger.data.arrived", data)).then().statusCode(202).body("duplicate", org.hamcrest.Matchers.is(true));
        postEvent(event(newId(), "io.retraintrigger.data.arrived", "{\"pipeline\":\"" + "p".repeat(201) + "\",\"uri\":\"s3://x/y\"}"))
                .then().statusCode(422).body("error", containsString("data.pipeline: 201 characters, at most 200"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeadLetterKeepsNoCredentialAndABoundedPayload() {
        String marker = "s3cret-" + newId();
        String body = "{not json " + "x".repeat(100_000);
        Response r = admin().header("X-Api-Key", marker).queryParam("access_token", marker)
                .contentType("application/cloudevents+json").body(body).post("/api/events");
        assertEquals(400, r.statusCode(), r.asString());
        String id = r.jsonPath().getString("deadLetterId");
        Response letters = admin().get("/api/dead-letters?limit=1000");
        assertFalse(letters.asString().contains(marker), "a credential reached the dead letters");
        Map<String, Object> letter = letters.jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(l -> id.equals(l.get("id"))).findFirst().orElseThrow();
        Map<String, String> headers = (Map<String, String>) letter.get("headers");
        assertEquals("[redacted]", headers.get("X-Api-Key"), headers.toString());
        assertEquals("[redacted]", headers.get("access_token"), headers.toString());
        assertEquals("[redacted]", headers.get("Authorization"), headers.toString());
        assertEquals(65536, ((String) letter.get("payload")).length());
        assertEquals(Integer.toString(body.length()), headers.get("RetrainPayloadBytes"));
    }

    @Test
    void theRecordedCallerIsTheVerifiedOneEvenWithASecondAuthorizationHeader() {
        String admin = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        String other = "Basic " + Base64.getEncoder().encodeToString("mallory:guess".getBytes(StandardCharsets.UTF_8));
        RestAssured.given().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()))
                .header("Authorization", admin).header("Authorization", other)
                .contentType("application/json").body("{\"priority\":2,\"reason\":\"two headers\"}")
                .post("/api/pipelines/api-input/trigger")
                .then().statusCode(200).body("request.reason", equalTo("manual: by admin: two headers"));
    }
}
