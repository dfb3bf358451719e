package io.retraintrigger.store;

import io.retraintrigger.model.DeadLetter;

import java.time.Instant;
import java.util.List;

/**
 * Messages that could not be taken in, with the reason, bounded in age and count.
 */
public interface DeadLetterStore {

    void addDeadLetter(DeadLetter letter);

    /** Newest first. */
    List<DeadLetter> deadLetters(int limit);

    long deadLetterCount();

    /** Removes the dead letters received before {@code before}, then all but the newest {@code keep}; returns how many went. */
    int purgeDeadLetters(Instant before, int keep);
}
