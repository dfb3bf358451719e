package io.retraintrigger.launch;

/** The target refused the launch (validation error): retrying it cannot help. */
public class LaunchRejectedException extends RuntimeException {
    public LaunchRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
