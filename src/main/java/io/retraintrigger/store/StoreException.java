package io.retraintrigger.store;

/** The database failed; the caller's message or exchange is not acknowledged and will be retried. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
