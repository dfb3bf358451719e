package io.retraintrigger.model;

/** Drift severity, graded from the largest feature drift score. */
public enum Severity { LOW, MEDIUM, HIGH, CRITICAL }
