package io.retraintrigger.config;

/** A configuration value that the service cannot start with; the message names the key. */
public class ConfigurationError extends RuntimeException {
    public ConfigurationError(String key, String message) {
        super("invalid configuration " + key + ": " + message);
    }
}
