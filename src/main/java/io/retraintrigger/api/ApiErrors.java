package io.retraintrigger.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;


/** The JSON error body of the REST API. */
@ApplicationScoped
@Named("apiErrors")
public class ApiErrors {
    public ApiError body(String message) {
        return new ApiError(message == null ? "error" : message);
    }
}
