package io.retraintrigger.store;

/** The approval item was resolved already (by someone else, or earlier). */
public class ApprovalConflictException extends RuntimeException {
    public ApprovalConflictException(String message) {
        super(message);
    }
}
