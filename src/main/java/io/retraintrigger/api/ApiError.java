package io.retraintrigger.api;

/** The error body of every 4xx and 5xx answer of the REST API. */
public record ApiError(String error) {
}
