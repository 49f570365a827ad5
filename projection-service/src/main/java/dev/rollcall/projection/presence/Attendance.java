package dev.rollcall.projection.presence;

import dev.rollcall.projection.roster.DeviceAssignment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * From devices' online intervals and an employee's effective-dated device assignments to that employee's
 * attendance sessions. Pure: no clock, no I/O.
 *
 * <p>An employee is present while ANY of their devices is online (a phone's 2.4 and 5 GHz addresses are two
 * devices), counting a device only while it was assigned to them; they are absent once all have been offline
 * for longer than the grace period. Phones sleep: gaps up to the grace period do not split a session.
 */
public final class Attendance {

    private Attendance() {
    }

    /**
     * The employee's presence spans: each online interval of each of their devices, clipped to each assignment
     * of that device to them.
     *
     * @param intervalsByMac the online intervals of (at least) the assigned devices, by MAC address
     * @param assignments    the employee's assignments
     */
    public static List<PresenceSpan> spans(Map<String, ? extends Collection<OnlineInterval>> intervalsByMac,
                                           Collection<DeviceAssignment> assignments) {
        List<PresenceSpan> out = new ArrayList<>();
        for (DeviceAssignment a : assignments) {
            Collection<OnlineInterval> intervals = intervalsByMac.get(a.mac());
            for (OnlineInterval i : intervals == null ? List.<OnlineInterval>of() : intervals) {
                Instant start = later(i.start(), a.validFrom());
                Instant end = earlier(i.end(), a.validTo());
                if (end == null || end.isAfter(start)) {
                    out.add(new PresenceSpan(start, end));
                }
            }
        }
        out.sort(Comparator.comparing(PresenceSpan::start));
        return out;
    }

    /** The sessions of these spans: overlapping spans, and spans apart by at most {@code grace}, are one session. */
    public static List<AttendanceSession> sessions(Collection<PresenceSpan> spans, Duration grace) {
        List<PresenceSpan> ordered = new ArrayList<>(spans);
        ordered.sort(Comparator.comparing(PresenceSpan::start));
        List<AttendanceSession> out = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        boolean open = false;
        for (PresenceSpan s : ordered) {
            if (start != null && (open || Duration.between(end, s.start()).compareTo(grace) <= 0)) {
                if (!open) {
                    if (s.end() == null) {
                        open = true;
                    } else if (s.end().isAfter(end)) {
                        end = s.end();
                    }
                }
                continue;
            }
            if (start != null) {
                out.add(new AttendanceSession(start, end));
            }
            start = s.start();
            end = s.end();
            open = s.end() == null;
        }
        if (start != null) {
            out.add(new AttendanceSession(start, open ? null : end));
        }
        return out;
    }

    /** The latest of two instants. */
    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The earliest of two ends, null meaning none. */
    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isBefore(b) ? a : b;
    }
}
