package io.retraintrigger.model;

public enum ApprovalStatus { PENDING, APPROVED, REJECTED }
