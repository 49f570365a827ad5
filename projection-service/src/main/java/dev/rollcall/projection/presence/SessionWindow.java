package dev.rollcall.projection.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * The stretch of one employee's sessions to recompute when their presence spans changed between {@code a} and
 * {@code b} (null: no end). A changed span can only join or split sessions within the grace period of it, so
 * the stretch is {@code [a, b]} widened to the whole of every stored session within the grace period of it.
 * Stored sessions are more than the grace period apart, so no session outside the stretch can join one inside
 * it: recomputing the spans in the stretch and replacing its sessions gives the sessions of a full recompute.
 *
 * @param from the earliest instant recomputed
 * @param to   the latest, or null: to the end
 */
public record SessionWindow(Instant from, Instant to) {

    /** The stored sessions to ask for before calling {@link #around}: those touching this range. */
    public static SessionWindow reach(Instant a, Instant b, Duration grace) {
        return new SessionWindow(a.minus(grace), b == null ? null : b.plus(grace));
    }

    /** {@code [a, b]} widened to the given stored sessions (those touching {@link #reach}). */
    public static SessionWindow around(Instant a, Instant b, Collection<AttendanceSession> touching) {
        Instant from = a;
        Instant to = b;
        boolean open = b == null;
        for (AttendanceSession s : touching) {
            from = s.start().isBefore(from) ? s.start() : from;
            if (s.isOpen()) {
                open = true;
            } else if (!open && s.end().isAfter(to)) {
                to = s.end();
            }
        }
        return new SessionWindow(from, open ? null : to);
    }

    /** Whether a session or span from {@code start} to {@code end} (null: open) shares an instant with this stretch. */
    public boolean touches(Instant start, Instant end) {
        return (end == null || !end.isBefore(from)) && (to == null || !start.isAfter(to));
    }
}
