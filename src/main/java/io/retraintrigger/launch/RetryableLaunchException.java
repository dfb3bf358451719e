package io.retraintrigger.launch;

/** Throttling, 5xx, unavailable: the same launch may succeed later. */
public class RetryableLaunchException extends RuntimeException {
    public RetryableLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
