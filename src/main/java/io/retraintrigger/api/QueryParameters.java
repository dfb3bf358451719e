package io.retraintrigger.api;

import io.retraintrigger.model.BadInputException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The query parameters of the list endpoints, read the same way everywhere: absent or empty means the
 * default; anything else that is not what the parameter takes is a 400 that names the parameter.
 */
final class QueryParameters {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Longer than any name the API knows (pipeline names are bounded to 200 at configuration). */
    static final int MAX_TEXT = 200;

    private QueryParameters() {
    }

    static int limit(String limit) {
        return (int) wholeNumber("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
    }

    /** A whole number from {@code min} to {@code max}; {@code absent} when empty. */
    static long wholeNumber(String name, String value, long min, long max, long absent) {
        if (value == null || value.isBlank()) return absent;
        try {
            // strip(), not trim(): trim() would also drop control characters (a NUL)
            long n = Long.parseLong(value.strip());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new BadInputException(400, "invalid parameter " + name + ": must be a whole number from " + min
                    + (max == Long.MAX_VALUE ? "" : " to " + max) + ", was '" + shown(value) + "'");
        }
    }

    /** One of an enum's constants, in any case; null when empty. */
    static <E extends Enum<E>> E oneOf(Class<E> type, String name, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(400, "invalid parameter " + name + ": '" + shown(value) + "'; one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A name (a pipeline's, say): null when empty; at most MAX_TEXT characters, no control characters. */
    static String text(String name, String value) {
        if (value == null || value.isBlank()) return null;
        if (value.length() > MAX_TEXT) {
            throw new BadInputException(400, "invalid parameter " + name + ": longer than " + MAX_TEXT + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new BadInputException(400, "invalid parameter " + name + ": contains a control character");
        }
        return value;
    }

    /** RFC 3339 date-time: full date, T, time with seconds, optional fraction (at most nanoseconds), Z or an offset. */
    private static final Pattern RFC_3339 = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    /** A required RFC 3339 time, e.g. {@code 2026-12-01T00:00:00Z} or {@code 2026-12-01T01:00:00+01:00}. */
    static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new BadInputException(400, "missing parameter " + name + ": an RFC 3339 time such as 2026-12-01T00:00:00Z");
        }
        String v = value.strip();
        if (RFC_3339.matcher(v).matches()) {
            try {
                return OffsetDateTime.parse(v.toUpperCase(Locale.ROOT)).toInstant();
            } catch (DateTimeParseException e) {
                // a month 13, a day 32, an hour 25: refused below
            }
        }
        // a '+' of an offset that was not encoded reaches us as a space
        String hint = v.contains(" ") ? " (send the + of an offset as %2B)" : "";
        throw new BadInputException(400, "invalid parameter " + name + ": '" + shown(value) + "' is not an RFC 3339 time such as 2026-12-01T00:00:00Z" + hint);
    }

    /** A value as an error message may quote it: cut, control characters escaped. */
    private static String shown(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        StringBuilder b = new StringBuilder(cut.length());
        cut.chars().forEach(c -> {
            if (Character.isISOControl(c)) b.append(String.format("\\u%04x", c));
            else b.append((char) c);
        });
        return b.toString();
    }
}
