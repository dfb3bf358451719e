package io.retraintrigger.api;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** REST calls of the route tests, as the users of the API make them. */
public final class TestApi {
    public static final String ADMIN_PASSWORD = "test-admin";

    private TestApi() {
    }

    public static RequestSpecification admin() {
        return RestAssured.given().auth().preemptive().basic("admin", ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String user, String password) {
        return RestAssured.given().auth().preemptive().basic(user, password);
    }

    public static String newId() {
        return "ce-" + UUID.randomUUID();
    }

    /** A structured-mode CloudEvent. */
    public static String event(String id, String type, String dataJson) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/tests\",\"type\":\"" + type + "\",\"data\":" + dataJson + "}";
    }

    public static Response postEvent(String body) {
        return admin().contentType("application/cloudevents+json").body(body).post("/api/events");
    }

    public static Response dataArrived(String id, String uri, long size) {
        return postEvent(event(id, "io.retraintrigger.data.arrived", "{\"uri\":\"" + uri + "\",\"sizeBytes\":" + size + "}"));
    }

    public static Response drift(String pipeline, String feature, double score) {
        return postEvent(event(newId(), "io.retraintrigger.drift.detected",
                "{\"pipeline\":\"" + pipeline + "\",\"features\":[{\"name\":\"" + feature + "\",\"score\":" + score + "}]}"));
    }

    public static Response trigger(String pipeline, int priority) {
        return admin().contentType("application/json").body("{\"priority\":" + priority + ",\"reason\":\"test\"}")
                .post("/api/pipelines/" + pipeline + "/trigger");
    }

    public static List<Map<String, Object>> decisions(String pipeline) {
        return admin().queryParam("pipeline", pipeline).get("/api/decisions").then().statusCode(200).extract().jsonPath().getList("$");
    }
}
