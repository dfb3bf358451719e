package io.retraintrigger.model;

public enum Cloud { LOCAL, AWS, GCP, AZURE }
