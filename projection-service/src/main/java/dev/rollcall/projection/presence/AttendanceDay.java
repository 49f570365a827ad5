package dev.rollcall.projection.presence;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One employee's attendance on one site-local date, from the sessions that started that date (whole, even
 * when they end after midnight).
 *
 * @param arrivedAt      the start of the day's first session
 * @param leftAt         the end of its last session; null while that session is open (still present)
 * @param minutesPresent the closed sessions' real elapsed time in whole minutes (rounded down); an open
 *                       session counts from its start to "now", which only a reader with a clock knows
 * @param sessions       how many sessions
 */
public record AttendanceDay(LocalDate date, Instant arrivedAt, Instant leftAt, long minutesPresent, int sessions) {

    /** The days these sessions make in the site's zone. Days without a session are absent. */
    public static SortedMap<LocalDate, AttendanceDay> of(Collection<AttendanceSession> sessions, ZoneId zone) {
        SortedMap<LocalDate, Acc> acc = new TreeMap<>();
        for (AttendanceSession s : sessions) {
            acc.computeIfAbsent(s.localDate(zone), d -> new Acc()).add(s);
        }
        SortedMap<LocalDate, AttendanceDay> days = new TreeMap<>();
        acc.forEach((d, a) -> days.put(d, new AttendanceDay(d, a.first, a.open ? null : a.last, a.seconds / 60, a.count)));
        return days;
    }

    private static final class Acc {
        Instant first;
        Instant last;
        boolean open;
        long seconds;
        int count;

        void add(AttendanceSession s) {
            count++;
            first = first == null || s.start().isBefore(first) ? s.start() : first;
            if (s.isOpen()) {
                open = true;
            } else {
                seconds += s.length().toSeconds();
                last = last == null || s.end().isAfter(last) ? s.end() : last;
            }
        }
    }
}
