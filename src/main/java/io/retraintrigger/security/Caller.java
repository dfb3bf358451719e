package io.retraintrigger.security;

import java.util.List;

/** Who is calling and which roles they hold (GET /api/me: the console shows what a role may do). */
public record Caller(String user, List<String> roles) {}
