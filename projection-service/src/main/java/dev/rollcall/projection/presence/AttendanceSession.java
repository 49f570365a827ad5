package dev.rollcall.projection.presence;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * An employee was present from {@code start} to {@code end} (null: still present): at least one of their
 * devices was online, with no gap longer than the grace period. It ends when the last device went offline,
 * not that plus the grace period: the grace period only decides whether two stretches are one session.
 */
public record AttendanceSession(Instant start, Instant end) {

    public AttendanceSession {
        Objects.requireNonNull(start, "start");
        if (end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("a session ends after it starts: " + start + " .. " + end);
        }
    }

    public boolean isOpen() {
        return end == null;
    }

    /** The site-local date it belongs to: the one it started on, even when it ends after midnight. */
    public LocalDate localDate(ZoneId zone) {
        return start.atZone(zone).toLocalDate();
    }

    /** Real elapsed time (a DST day has 23 or 25 hours); null while open. */
    public Duration length() {
        return end == null ? null : Duration.between(start, end);
    }
}
