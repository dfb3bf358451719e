package io.retraintrigger.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract every {@link AuditMarks} adapter passes (H2, PostgreSQL, dynalite), a nested class of each store's test. */
public abstract class AuditMarksContract {
    protected AuditMarks store;

    /** Marks on the adapter's backing database (already migrated / created). Called before each test. */
    protected abstract AuditMarks newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    private static String newId() {
        return "dec-" + UUID.randomUUID();
    }

    /** Of concurrent callers marking one state of a decision audited, one is first; another state is first again. */
    @Test
    void aDecisionStateIsAuditedOnce() throws Exception {
        String id = newId();
        List<Object> marks = StateContractFixtures.runConcurrently(8, i -> store.markAudited(id, "LAUNCHED/PENDING"));
        assertEquals(1, marks.stream().filter(Boolean.TRUE::equals).count());
        assertFalse(store.markAudited(id, "LAUNCHED/PENDING"));
        assertTrue(store.markAudited(id, "LAUNCHED/SUBMITTED"));
        assertTrue(store.markAudited(newId(), "LAUNCHED/PENDING"), "another decision");
    }
}
