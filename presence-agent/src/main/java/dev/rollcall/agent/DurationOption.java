package dev.rollcall.agent;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in options and environment files: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h}. */
public final class DurationOption {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    private DurationOption() {
    }

    /** Parses a duration; a bare number is seconds; ISO-8601 ({@code PT1M}) works too. */
    public static Duration parse(String option, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a duration like 500ms, 60s, 5m or 1h, got '"
                    + (value == null ? "" : value) + "'");
        }
    }
}
