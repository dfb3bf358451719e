package io.retraintrigger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.retraintrigger.testing.QuietLogs;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.retraintrigger.api.TestApi.admin;
import static io.retraintrigger.api.TestApi.as;
import static io.retraintrigger.api.TestApi.event;
import static io.retraintrigger.api.TestApi.newId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI document at /q/openapi is the API's contract: every REST DSL verb is an operation in it, the
 * real answers of every operation (a happy path each, and their 4xx) have a documented status and a body
 * valid against the documented schema (networknt json-schema-validator, OpenAPI 3.1 dialect), and the role
 * each operation names is the one the HTTP permissions enforce.
 */
@QuarkusTest
class OpenApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String P = "contract";
    /** The users of the test profile with exactly one role each, and their passwords. */
    private static final Map<String, String> USERS = Map.of("viewer", "test-viewer", "ingester", "test-ingester", "operator", "test-operator",
            "approver", "test-approver", "evaluator", "test-evaluator");

    @Inject
    CamelContext camel;

    private JsonNode doc;
    private SchemaRegistry registry;
    /** operationId -> the statuses the test saw it answer, each checked against the document. */
    private final Map<String, Set<Integer>> seen = new LinkedHashMap<>();

    /** The events these tests refuse on purpose are dead letters, each logged at WARN: expected here, not on the console. */
    private QuietLogs quiet;

    @AfterEach
    void loud() {
        quiet.close();
    }

    @BeforeEach
    void load() throws Exception {
        quiet = QuietLogs.errorsOnly(QuietLogs.DEAD_LETTERS);
        Response r = RestAssured.given().accept("application/json").get("/q/openapi");
        assertEquals(200, r.statusCode(), "/q/openapi answers without a login");
        doc = JSON.readTree(r.asString());
        assertEquals("3.1.0", doc.path("openapi").asText(), "OpenAPI 3.1: role names in the security requirements of a basic scheme");
        // the OpenAPI 3.1 dialect; the document's components ride along in each schema (for its $refs), not a keyword to validate
        Dialect dialect = Dialect.builder(Dialects.getOpenApi31()).keyword(new NonValidationKeyword("components")).build();
        registry = SchemaRegistry.withDefaultDialect(dialect,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    // ---- the document and the REST DSL ---------------------------------------------------------------

    @Test
    void everyRestVerbIsADocumentedOperationWithItsRoleAndErrors() {
        List<RestDefinition> rests = camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions();
        Set<String> verbs = new TreeSet<>();
        for (RestDefinition rest : rests) {
            for (VerbDefinition v : rest.getVerbs()) {
                assertNotNull(v.getId(), "a REST verb without an id: " + v.getPath());
                verbs.add(v.getId());
                String path = (rest.getPath() + v.getPath()).replace("//", "/");
                JsonNode op = doc.path("paths").path(path).path(v.asVerb().toLowerCase(Locale.ROOT));
                assertFalse(op.isMissingNode(), "REST verb " + v.getId() + " (" + v.asVerb() + " " + path + ") is not in /q/openapi");
                assertEquals(v.getId(), op.path("operationId").asText());
            }
        }
        assertEquals(16, verbs.size(), "the REST API's verbs: " + verbs);
        assertEquals(verbs, new TreeSet<>(operations().keySet()), "the operations of /q/openapi are the REST DSL's verbs");

        JsonNode schemes = doc.path("components").path("securitySchemes");
        assertEquals("basic", schemes.path("basicAuth").path("scheme").asText());
        assertEquals("bearer", schemes.path("bearer").path("scheme").asText());
        operations().forEach((id, op) -> {
            String role = role(op);
            assertTrue(op.path("summary").asText().endsWith("(role: " + (role == null ? "any login" : role) + ")"), id + " names its role: " + op);
            assertTrue(op.path("responses").has("401") && op.path("responses").has("403"), id + " documents 401 and 403");
            assertTrue(op.path("responses").has("200") || op.path("responses").has("202"), id + " documents its success");
            op.path("responses").fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("4") && !e.getKey().equals("401") && !e.getKey().equals("403")) {
                    JsonNode schema = e.getValue().path("content").path("application/json").path("schema");
                    assertTrue(schema.path("$ref").asText().endsWith("/ApiError") || schema.path("$ref").asText().endsWith("/EventRejected"),
                            id + " " + e.getKey() + " is the {\"error\": ...} body: " + schema);
                }
            });
        });
    }

    @Test
    void theValidatorRejectsABodyThatBreaksTheSchema() throws Exception {
        String id = launched();
        JsonNode decision = JSON.readTree(call("get", "/api/decisions/{id}", admin(), "/api/decisions/" + id).asString());
        Schema schema = schemaOf("get", "/api/decisions/{id}", 200, "application/json");
        assertEquals(List.of(), schema.validate(decision), "a real decision is valid");

        ObjectNode missing = decision.deepCopy();
        missing.remove("outcome");
        assertFalse(schema.validate(missing).isEmpty(), "a decision without its required outcome is refused");
        ObjectNode wrongType = decision.deepCopy();
        wrongType.put("priority", "high");
        assertFalse(schema.validate(wrongType).isEmpty(), "a string priority is refused");
        ObjectNode nullId = decision.deepCopy();
        nullId.putNull("id");
        assertFalse(schema.validate(nullId).isEmpty(), "a null id (not nullable) is refused");
        ObjectNode badEnum = decision.deepCopy();
        badEnum.put("outcome", "MAYBE");
        assertFalse(schema.validate(badEnum).isEmpty(), "an outcome outside the enum is refused");
        ObjectNode badNested = decision.deepCopy();
        ((ObjectNode) badNested.path("launch")).put("sequence", "one");
        assertFalse(schema.validate(badNested).isEmpty(), "a nested field of the wrong type is refused");
        ObjectNode badTime = decision.deepCopy();
        badTime.put("decidedAt", "yesterday");
        assertFalse(schema.validate(badTime).isEmpty(), "a time that is not date-time is refused");
        ObjectNode nullable = decision.deepCopy();
        nullable.putNull("evaluation");
        assertEquals(List.of(), schema.validate(nullable), "evaluation is nullable");

        Schema error = schemaOf("get", "/api/decisions/{id}", 404, "application/json");
        assertFalse(error.validate(JSON.readTree("{\"message\":\"x\"}")).isEmpty(), "an error body without its error field is refused");
        assertFalse(schemaOf("get", "/api/decisions", 200, "application/json").validate(JSON.readTree("{}")).isEmpty(),
                "an object where the list is documented is refused");
    }

    // ---- real answers against the document -----------------------------------------------------------

    @Test
    void everyOperationAnswersAsDocumented() throws Exception {
        Instant from = Instant.now().minusSeconds(1);
        // events: accepted, and refused with its dead letter
        String uri = "s3://test-bucket/contract/" + newId() + ".csv";
        String dataEvent = event(newId(), "io.retraintrigger.data.arrived", "{\"uri\":\"" + uri + "\",\"sizeBytes\":1000}");
        checkRequest("post", "/api/events", "application/json", dataEvent);
        expect(202, call("post", "/api/events", admin().contentType("application/cloudevents+json").body(dataEvent), "/api/events"));
        expect(400, call("post", "/api/events", admin().contentType("application/cloudevents+json").body("{\"specversion\":"), "/api/events"));
        expect(422, call("post", "/api/events", admin().contentType("application/cloudevents+json")
                .body(event(newId(), "io.retraintrigger.data.arrived", "{\"sizeBytes\":1}")), "/api/events"));
        expect(415, call("post", "/api/events", admin().contentType("application/x-www-form-urlencoded").body("a=b"), "/api/events"));

        // a manual training, its decision, its data and its evaluation
        String trigger = "{\"priority\":2,\"reason\":\"contract\"}";
        checkRequest("post", "/api/pipelines/{name}/trigger", "application/json", trigger);
        Response t = expect(200, call("post", "/api/pipelines/{name}/trigger", as("operator", "test-operator").contentType("application/json").body(trigger),
                "/api/pipelines/" + P + "/trigger"));
        String id = t.jsonPath().getString("id");
        expect(422, call("post", "/api/pipelines/{name}/trigger", admin().contentType("application/json").body("{\"priority\":9}"),
                "/api/pipelines/" + P + "/trigger"));
        expect(400, call("post", "/api/pipelines/{name}/trigger", admin().contentType("application/json").body("[1"),
                "/api/pipelines/" + P + "/trigger"));
        expect(404, call("post", "/api/pipelines/{name}/trigger", admin().contentType("application/json").body("{}"), "/api/pipelines/no-such/trigger"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUBMITTED".equals(admin().get("/api/decisions/" + id).jsonPath().getString("launch.status")));

        expect(200, call("get", "/api/decisions", admin().queryParam("pipeline", P).queryParam("outcome", "launched").queryParam("limit", 5), "/api/decisions"));
        expect(400, call("get", "/api/decisions", admin().queryParam("limit", 0), "/api/decisions"));
        expect(400, call("get", "/api/decisions", admin().queryParam("outcome", "maybe"), "/api/decisions"));
        expect(200, call("get", "/api/decisions/{id}", admin(), "/api/decisions/" + id));
        expect(404, call("get", "/api/decisions/{id}", admin(), "/api/decisions/no-such"));
        expect(200, call("get", "/api/decisions/{id}/data", admin().queryParam("offset", 0).queryParam("limit", 10), "/api/decisions/" + id + "/data"));
        expect(400, call("get", "/api/decisions/{id}/data", admin().queryParam("offset", -1), "/api/decisions/" + id + "/data"));
        expect(404, call("get", "/api/decisions/{id}/data", admin(), "/api/decisions/no-such/data"));

        String report = "{\"model\":\"m-" + id + "\",\"goldenSet\":{\"accuracy\":0.95},\"candidate\":{\"accuracy\":0.9},\"baseline\":{\"accuracy\":0.88},"
                + "\"predictions\":{\"candidate\":{\"a\":0.5,\"b\":0.5},\"baseline\":{\"a\":0.5,\"b\":0.5}},\"errors\":{\"false_negative\":1}}";
        checkRequest("post", "/api/decisions/{id}/evaluation", "application/json", report);
        RequestSpecification evaluator = as("evaluator", "test-evaluator");
        expect(200, call("post", "/api/decisions/{id}/evaluation", evaluator.contentType("application/json").body(report), "/api/decisions/" + id + "/evaluation"));
        expect(409, call("post", "/api/decisions/{id}/evaluation", as("evaluator", "test-evaluator").contentType("application/json").body(report),
                "/api/decisions/" + id + "/evaluation"));
        expect(422, call("post", "/api/decisions/{id}/evaluation", as("evaluator", "test-evaluator").contentType("application/json").body("{\"goldenset\":{}}"),
                "/api/decisions/" + id + "/evaluation"));
        expect(404, call("post", "/api/decisions/{id}/evaluation", as("evaluator", "test-evaluator").contentType("application/json").body(report),
                "/api/decisions/no-such/evaluation"));

        // a review, approved, then approved again
        TestApi.drift(P, "amount", 0.8).then().statusCode(202);
        String approval = await().atMost(Duration.ofSeconds(10)).until(() -> admin().queryParam("pipeline", P).queryParam("status", "PENDING")
                .get("/api/approvals").jsonPath().getString("[0].id"), a -> a != null);
        expect(200, call("get", "/api/approvals", admin().queryParam("pipeline", P).queryParam("limit", 10), "/api/approvals"));
        expect(400, call("get", "/api/approvals", admin().queryParam("status", "maybe"), "/api/approvals"));
        String comment = "{\"comment\":\"contract\"}";
        checkRequest("post", "/api/approvals/{id}/{action}", "application/json", comment);
        expect(200, call("post", "/api/approvals/{id}/{action}", as("approver", "test-approver").contentType("application/json").body(comment),
                "/api/approvals/" + approval + "/approve"));
        expect(409, call("post", "/api/approvals/{id}/{action}", admin().contentType("application/json").body(comment), "/api/approvals/" + approval + "/reject"));
        expect(404, call("post", "/api/approvals/{id}/{action}", admin().contentType("application/json").body("{}"), "/api/approvals/no-such/approve"));
        expect(404, call("post", "/api/approvals/{id}/{action}", admin().contentType("application/json").body("{}"), "/api/approvals/" + approval + "/maybe"));
        expect(422, call("post", "/api/approvals/{id}/{action}", admin().contentType("application/json").body("{\"comment\":1}"), "/api/approvals/no-such/approve"));

        // pipelines, routes, dead letters, the caller
        expect(200, call("get", "/api/pipelines", admin(), "/api/pipelines"));
        expect(200, call("get", "/api/pipelines/{name}", admin(), "/api/pipelines/" + P));
        expect(404, call("get", "/api/pipelines/{name}", admin(), "/api/pipelines/no-such"));
        expect(200, call("get", "/api/routes", admin(), "/api/routes"));
        expect(200, call("post", "/api/routes/{id}/{action}", as("operator", "test-operator"), "/api/routes/api-me/start"));
        expect(404, call("post", "/api/routes/{id}/{action}", admin(), "/api/routes/no-such/start"));
        expect(404, call("post", "/api/routes/{id}/{action}", admin(), "/api/routes/api-me/maybe"));
        expect(200, call("get", "/api/dead-letters", admin().queryParam("limit", 5), "/api/dead-letters"));
        expect(400, call("get", "/api/dead-letters", admin().queryParam("limit", "many"), "/api/dead-letters"));
        expect(200, call("get", "/api/me", as("viewer", "test-viewer"), "/api/me"));

        // the export of the events above, and a backtest of them
        Instant to = Instant.now().plusSeconds(1);
        Response export = expect(200, call("get", "/api/events/export", admin().queryParam("from", from.toString()).queryParam("to", to.toString()),
                "/api/events/export"));
        assertTrue(export.asString().lines().count() >= 2, "the export has the events posted: " + export.asString());
        expect(400, call("get", "/api/events/export", admin().queryParam("from", from.toString()), "/api/events/export"));
        expect(406, call("get", "/api/events/export", admin().accept("text/csv").queryParam("from", from.toString()).queryParam("to", to.toString()),
                "/api/events/export"));
        String backtest = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"approveAfter\":\"never\","
                + "\"sweep\":\"retrain.pipelines." + P + ".coordinator.min-interval=0s,1h\"}";
        checkRequest("post", "/api/backtest", "application/json", backtest);
        expect(200, call("post", "/api/backtest", as("operator", "test-operator").contentType("application/json").body(backtest), "/api/backtest"));
        expect(400, call("post", "/api/backtest", admin().contentType("application/json").body("[]"), "/api/backtest"));
        expect(422, call("post", "/api/backtest", admin().contentType("application/json")
                .body("{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"candidate\":{\"retrain.auth.x\":\"1\"}}"), "/api/backtest"));

        // no login, and a login without the role
        for (String opId : operations().keySet()) {
            Harmless h = HARMLESS.get(opId);
            expect(401, call(h.method, h.template, RestAssured.given().contentType("application/json").body(h.body), h.path));
        }
        expect(403, call("get", "/api/decisions", as("ingester", "test-ingester"), "/api/decisions"));
        expect(403, call("post", "/api/backtest", as("viewer", "test-viewer").contentType("application/json").body("{}"), "/api/backtest"));

        Set<String> missing = new TreeSet<>(operations().keySet());
        seen.forEach((op, statuses) -> {
            if (statuses.stream().anyMatch(s -> s < 300)) missing.remove(op);
        });
        assertEquals(Set.of(), missing, "operations without a happy path in this test");
        for (String op : operations().keySet()) {
            if (op.equals("api-get-pipelines") || op.equals("api-get-routes") || op.equals("api-get-me")) continue; // take no input to refuse
            assertTrue(seen.get(op).stream().anyMatch(s -> s >= 400 && s != 401 && s != 403), op + " answered no 4xx of its own: " + seen.get(op));
        }
    }

    // ---- roles ---------------------------------------------------------------------------------------

    /** A call of each operation that changes nothing whatever the role (unknown ids, refused bodies). */
    private record Harmless(String method, String template, String path, String body) {
    }

    private static final Map<String, Harmless> HARMLESS = Map.ofEntries(
            Map.entry("api-get-decisions", new Harmless("get", "/api/decisions", "/api/decisions", "")),
            Map.entry("api-get-decision", new Harmless("get", "/api/decisions/{id}", "/api/decisions/no-such", "")),
            Map.entry("api-get-decision-data", new Harmless("get", "/api/decisions/{id}/data", "/api/decisions/no-such/data", "")),
            Map.entry("api-get-pipelines", new Harmless("get", "/api/pipelines", "/api/pipelines", "")),
            Map.entry("api-get-pipeline", new Harmless("get", "/api/pipelines/{name}", "/api/pipelines/" + P, "")),
            Map.entry("api-get-approvals", new Harmless("get", "/api/approvals", "/api/approvals", "")),
            Map.entry("api-get-dead-letters", new Harmless("get", "/api/dead-letters", "/api/dead-letters", "")),
            Map.entry("api-get-routes", new Harmless("get", "/api/routes", "/api/routes", "")),
            Map.entry("api-get-events-export", new Harmless("get", "/api/events/export", "/api/events/export", "")),
            Map.entry("api-get-me", new Harmless("get", "/api/me", "/api/me", "")),
            Map.entry("api-post-events", new Harmless("post", "/api/events", "/api/events", "[]")),
            Map.entry("api-post-trigger", new Harmless("post", "/api/pipelines/{name}/trigger", "/api/pipelines/no-such/trigger", "{}")),
            Map.entry("api-post-approval", new Harmless("post", "/api/approvals/{id}/{action}", "/api/approvals/no-such/approve", "{}")),
            Map.entry("api-post-evaluation", new Harmless("post", "/api/decisions/{id}/evaluation", "/api/decisions/no-such/evaluation", "{}")),
            Map.entry("api-post-route-control", new Harmless("post", "/api/routes/{id}/{action}", "/api/routes/no-such/start", "")),
            Map.entry("api-post-backtest", new Harmless("post", "/api/backtest", "/api/backtest", "[]")));

    @Test
    void theDocumentedRoleOfEachOperationIsTheOneEnforced() {
        assertEquals(new TreeSet<>(operations().keySet()), new TreeSet<>(HARMLESS.keySet()), "a harmless call for every operation");
        Map<String, String> roles = new LinkedHashMap<>();
        operations().forEach((opId, op) -> {
            String role = role(op);
            roles.put(opId, role);
            Harmless h = HARMLESS.get(opId);
            if (role == null) {
                for (Map.Entry<String, String> u : USERS.entrySet()) {
                    int s = call(h.method, h.template, as(u.getKey(), u.getValue()).contentType("application/json").body(h.body), h.path).statusCode();
                    assertTrue(s != 401 && s != 403, opId + " needs any login: " + u.getKey() + " got " + s);
                }
                return;
            }
            assertTrue(USERS.containsKey(role), opId + " names an unknown role " + role);
            int with = call(h.method, h.template, as(role, USERS.get(role)).contentType("application/json").body(h.body), h.path).statusCode();
            assertTrue(with != 401 && with != 403, opId + " documents role " + role + ", but a user with only that role got " + with);
            for (Map.Entry<String, String> u : USERS.entrySet()) {
                if (u.getKey().equals(role)) continue;
                int without = call(h.method, h.template, as(u.getKey(), u.getValue()).contentType("application/json").body(h.body), h.path).statusCode();
                assertEquals(403, without, opId + " documents role " + role + ", but " + u.getKey() + " (without it) got " + without);
            }
        });
        // the roles of the README's Security section
        assertEquals("ingester", roles.get("api-post-events"));
        assertEquals("operator", roles.get("api-post-trigger"));
        assertEquals("approver", roles.get("api-post-approval"));
        assertEquals("evaluator", roles.get("api-post-evaluation"));
        assertEquals(null, roles.get("api-get-me"));
    }

    // ---- Swagger UI ----------------------------------------------------------------------------------

    @Test
    void swaggerUiShowsTheDocument() {
        Response ui = RestAssured.given().get("/q/swagger-ui");
        assertEquals(200, ui.statusCode());
        assertTrue(ui.asString().contains("/q/openapi"), "Swagger UI reads /q/openapi: " + ui.asString());
        assertEquals(200, RestAssured.given().get("/q/swagger-ui/swagger-ui-bundle.js").statusCode(), "its assets are served");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> ops = new LinkedHashMap<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (m.getValue().has("operationId")) ops.put(m.getValue().get("operationId").asText(), m.getValue());
        }));
        return ops;
    }

    /** The role in the operation's basicAuth requirement; null when it asks for a login only. */
    private static String role(JsonNode op) {
        for (JsonNode requirement : op.path("security")) {
            JsonNode scopes = requirement.get("basicAuth");
            if (scopes != null) {
                assertTrue(scopes.size() <= 1, "one role an operation: " + op);
                return scopes.isEmpty() ? null : scopes.get(0).asText();
            }
        }
        fail("no basicAuth requirement: " + op);
        return null;
    }

    private JsonNode operation(String method, String template) {
        JsonNode op = doc.path("paths").path(template).path(method);
        assertFalse(op.isMissingNode(), method + " " + template + " is not in /q/openapi");
        return op;
    }

    /** The documented schema of an answer: the response's schema, its references resolved within the document. */
    private Schema schemaOf(String method, String template, int status, String mediaType) {
        JsonNode op = operation(method, template);
        JsonNode response = op.path("responses").get(Integer.toString(status));
        if (response == null) fail(op.path("operationId").asText() + " answered " + status + ", which /q/openapi does not document");
        JsonNode media = response.path("content").get(mediaType);
        if (media == null) fail(op.path("operationId").asText() + " " + status + " answered " + mediaType + ", not documented: " + response);
        return schema(media.path("schema"));
    }

    private Schema schema(JsonNode schema) {
        ObjectNode root = schema.deepCopy();
        root.set("components", doc.path("components"));
        return registry.getSchema(root);
    }

    /** A request body of ours, valid against the documented request schema. */
    private void checkRequest(String method, String template, String mediaType, String body) throws Exception {
        JsonNode s = operation(method, template).path("requestBody").path("content").path(mediaType).path("schema");
        assertFalse(s.isMissingNode(), method + " " + template + " documents no " + mediaType + " request");
        assertEquals(List.of(), schema(s).validate(JSON.readTree(body)), "the request sent to " + template);
    }

    /** Makes the call and checks its answer against the document: status documented, body valid. */
    private Response call(String method, String template, RequestSpecification request, String path) {
        JsonNode op = operation(method, template);
        Response r = method.equals("get") ? request.get(path) : request.post(path);
        int status = r.statusCode();
        String opId = op.path("operationId").asText();
        seen.computeIfAbsent(opId, k -> new TreeSet<>()).add(status);
        JsonNode response = op.path("responses").get(Integer.toString(status));
        if (response == null) fail(opId + " answered " + status + ", which /q/openapi does not document: " + r.asString());
        String body = r.asString();
        if (!response.has("content")) {
            assertTrue(body.isEmpty(), opId + " " + status + " documents no body, but answered " + body);
            return r;
        }
        String type = r.contentType() == null ? "" : r.contentType().split(";", 2)[0].trim();
        Schema schema = schemaOf(method, template, status, type);
        List<String> docs = type.equals("application/x-ndjson") ? body.lines().filter(l -> !l.isBlank()).toList() : List.of(body);
        for (String d : docs) {
            List<Error> errors;
            try {
                errors = schema.validate(JSON.readTree(d));
            } catch (Exception e) {
                throw new AssertionError(opId + " " + status + " answered no JSON: " + d, e);
            }
            assertEquals(List.of(), errors.stream().map(Error::toString).toList(), opId + " " + status + " answered against its schema: " + d);
        }
        return r;
    }

    private static Response expect(int status, Response r) {
        assertEquals(status, r.statusCode(), r.asString());
        return r;
    }

    /** A manual training of the contract pipeline, submitted: its decision id. */
    private static String launched() {
        String id = TestApi.trigger(P, 3).then().statusCode(200).extract().jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUBMITTED".equals(admin().get("/api/decisions/" + id).jsonPath().getString("launch.status")));
        return id;
    }
}
