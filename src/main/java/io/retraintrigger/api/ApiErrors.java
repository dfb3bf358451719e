package io.retraintrigger.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.Map;

/** The JSON error body of the REST API. */
@ApplicationScoped
@Named("apiErrors")
public class ApiErrors {
    public Map<String, Object> body(String message) {
        return Map.of("error", message == null ? "error" : message);
    }
}
