package io.retraintrigger.store;



/**
 * Which states of a decision went to the audit sink, so that each goes once.
 */
public interface AuditMarks {

    /**
     * Notes that {@code state} of a decision went to the audit sink: true the first time for that decision
     * and state, false for every later caller (concurrent ones included).
     */
    boolean markAudited(String decisionId, String state);
}
