package io.retraintrigger.model;

/** Where a launch stands: recorded before it is sent (PENDING), then answered by the launcher. */
public enum LaunchStatus { PENDING, SUBMITTED, FAILED }
