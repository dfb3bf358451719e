package io.retraintrigger.it;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The packaged application (not only the test and dev modes) serves its OpenAPI document at /q/openapi
 * and Swagger UI at /q/swagger-ui, both without a login, while the API itself still asks for one.
 */
class OpenApiIT {

    @Test
    void thePackagedAppServesItsOpenApiAndSwaggerUi() throws Exception {
        Path dir = Files.createTempDirectory("retrain-openapi");
        try (AppProcess app = new AppProcess("openapi", Map.of(), dir).start()) {
            RestAssured.given().port(app.port()).accept("application/json").get("/q/openapi").then().statusCode(200)
                    .body("openapi", equalTo("3.1.0"))
                    .body("paths.'/api/decisions'.get.operationId", equalTo("api-get-decisions"))
                    .body("paths.'/api/events'.post.security.basicAuth.flatten()", hasItem("ingester"))
                    // required and nullable fields (OpenApiSchemas) in the packaged app too
                    .body("components.schemas.Decision.required", hasItem("outcome"))
                    .body("components.schemas.Decision.properties.launch.anyOf.type.flatten()", hasItem("null"));
            Response ui = RestAssured.given().port(app.port()).get("/q/swagger-ui");
            ui.then().statusCode(200).body(containsString("/q/openapi"));
            RestAssured.given().port(app.port()).get("/q/swagger-ui/swagger-ui-bundle.js").then().statusCode(200);
            RestAssured.given().port(app.port()).get("/api/decisions").then().statusCode(401);
            app.api().get("/api/decisions").then().statusCode(200);
        }
    }
}
