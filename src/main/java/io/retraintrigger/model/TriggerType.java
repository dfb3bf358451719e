package io.retraintrigger.model;

/** Why a training is asked for: the four triggering patterns plus a human. */
public enum TriggerType { SCHEDULED, DATA_ARRIVAL, DRIFT, MANUAL }
