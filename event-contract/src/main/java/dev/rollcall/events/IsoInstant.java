package dev.rollcall.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;

/**
 * Reads instants as {@link Instant#toString()} writes them ({@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z}, years 0000 to
 * 9999) without {@code DateTimeFormatter}, which is most of the cost of {@link Instant#parse}. Any other text, even
 * one {@code Instant.parse} accepts ({@code z}, {@code +01:00}, {@code 24:00:00}, {@code 23:59:60}, a six-digit
 * year), goes to {@code Instant.parse}, so what is accepted, what it means and how a rejection reads stay exactly
 * {@code Instant.parse}'s.
 */
final class IsoInstant {

    private static final int SHORTEST = "0000-00-00T00:00:00Z".length();
    private static final int LONGEST = "0000-00-00T00:00:00.000000000Z".length();
    /** At index 9 - n: what a fraction of n digits is multiplied by to give nanoseconds. */
    private static final int[] PAD_TO_NINE_DIGITS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private IsoInstant() {
    }

    static Instant parse(String s) {
        Instant i = parseCanonical(s);
        return i != null ? i : Instant.parse(s);
    }

    /** The instant, or null when {@code s} is not in the form above or names no real date and time. */
    static Instant parseCanonical(String s) {
        int len = s.length();
        if (len < SHORTEST || len > LONGEST) {
            return null;
        }
        // a character beyond Latin-1 becomes '?', which is not in the form either
        return parseCanonical(s.getBytes(StandardCharsets.ISO_8859_1), 0, len);
    }

    /** As {@link #parseCanonical(String)}, for the ASCII text in {@code b[from, to)}. */
    static Instant parseCanonical(byte[] b, int from, int to) {
        int len = to - from;
        if (len < SHORTEST || len > LONGEST || len == SHORTEST + 1 || b[to - 1] != 'Z'
                || b[from + 4] != '-' || b[from + 7] != '-' || b[from + 10] != 'T'
                || b[from + 13] != ':' || b[from + 16] != ':') {
            return null;
        }
        int year = digits(b, from, from + 4);
        int month = digits(b, from + 5, from + 7);
        int day = digits(b, from + 8, from + 10);
        int hour = digits(b, from + 11, from + 13);
        int minute = digits(b, from + 14, from + 16);
        int second = digits(b, from + 17, from + 19);
        int nanos = 0;
        if (len > SHORTEST) {
            int fraction = digits(b, from + 20, to - 1);
            if (b[from + 19] != '.' || fraction < 0) {
                return null;
            }
            nanos = fraction * PAD_TO_NINE_DIGITS[LONGEST - len];
        }
        if ((year | month | day | hour | minute | second) < 0
                || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /** The decimal number in {@code b[from, to)}, or -1 when a byte there is not an ASCII digit. */
    private static int digits(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
