package io.retraintrigger.model;

/**
 * Input that cannot be taken in. {@code status} classifies it the HTTP way: 400 malformed, 404 unknown
 * pipeline, 413 too large, 415 unsupported media type, 422 well-formed but invalid.
 */
public class BadInputException extends RuntimeException {
    private final int status;

    public BadInputException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
