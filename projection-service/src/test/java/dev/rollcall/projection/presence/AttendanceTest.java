package dev.rollcall.projection.presence;

import dev.rollcall.projection.presence.OnlineInterval.EndedBy;
import dev.rollcall.projection.roster.DeviceAssignment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The attendance fold: spans from devices and assignments, sessions with a grace period, days in the site's zone. */
class AttendanceTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Duration GRACE = Duration.ofMinutes(5);
    static final String PHONE_24 = "3c:22:fb:00:00:24";
    static final String PHONE_5 = "3c:22:fb:00:00:05";
    static final String LAPTOP = "3c:22:fb:00:00:99";

    @Test
    void presentWhileAnyDeviceIsOnlineTheTwoRadiosOfOnePhoneMakeOneSession() {
        // the 2.4 GHz radio drops at 12:00 while the 5 GHz one stays until 17:00
        List<AttendanceSession> sessions = sessionsOf(Map.of(
                        PHONE_24, List.of(closed("2026-11-20T08:00", "2026-11-20T12:00"), closed("2026-11-20T13:00", "2026-11-20T16:00")),
                        PHONE_5, List.of(closed("2026-11-20T08:03", "2026-11-20T17:00"))),
                assigned(PHONE_24, "2026-01-01T00:00", null), assigned(PHONE_5, "2026-01-01T00:00", null));
        assertThat(sessions).containsExactly(new AttendanceSession(berlin("2026-11-20T08:00"), berlin("2026-11-20T17:00")));
        assertThat(days(sessions).get(LocalDate.parse("2026-11-20")))
                .isEqualTo(new AttendanceDay(LocalDate.parse("2026-11-20"), berlin("2026-11-20T08:00"), berlin("2026-11-20T17:00"), 540, 1));
    }

    @Test
    void aPhoneFlappingWithinTheGracePeriodIsOneSessionThatEndsAtItsLastOfflineNotPlusTheGrace() {
        List<AttendanceSession> sessions = sessionsOf(Map.of(PHONE_24, List.of(
                        closed("2026-11-20T08:00", "2026-11-20T08:40"),
                        closed("2026-11-20T08:44", "2026-11-20T09:30"),   // 4 min gap
                        closed("2026-11-20T09:35", "2026-11-20T12:00"),   // exactly the grace period: still one session
                        closed("2026-11-20T12:05:01", "2026-11-20T12:30"))), // 5 min 1 s: a new session
                assigned(PHONE_24, "2026-01-01T00:00", null));
        assertThat(sessions).containsExactly(
                new AttendanceSession(berlin("2026-11-20T08:00"), berlin("2026-11-20T12:00")),
                new AttendanceSession(berlin("2026-11-20T12:05:01"), berlin("2026-11-20T12:30")));
        AttendanceDay day = days(sessions).get(LocalDate.parse("2026-11-20"));
        assertThat(day.sessions()).isEqualTo(2);
        assertThat(day.arrivedAt()).isEqualTo(berlin("2026-11-20T08:00"));
        assertThat(day.leftAt()).isEqualTo(berlin("2026-11-20T12:30"));
        // 4 h (gaps inside a session count as present) + 24 min 59 s, in whole minutes
        assertThat(day.minutesPresent()).isEqualTo(240 + 24);
    }

    @Test
    void aSessionCrossingMidnightBelongsWholeToTheDayItStarted() {
        List<AttendanceSession> sessions = sessionsOf(Map.of(PHONE_24, List.of(
                        closed("2026-11-20T22:00", "2026-11-20T23:58"),
                        closed("2026-11-21T00:01", "2026-11-21T02:00"),    // within the grace: the same session
                        closed("2026-11-21T09:00", "2026-11-21T10:00"))),
                assigned(PHONE_24, "2026-01-01T00:00", null));
        SortedMap<LocalDate, AttendanceDay> days = days(sessions);
        assertThat(days.get(LocalDate.parse("2026-11-20")))
                .isEqualTo(new AttendanceDay(LocalDate.parse("2026-11-20"), berlin("2026-11-20T22:00"), berlin("2026-11-21T02:00"), 240, 1));
        assertThat(days.get(LocalDate.parse("2026-11-21")))
                .isEqualTo(new AttendanceDay(LocalDate.parse("2026-11-21"), berlin("2026-11-21T09:00"), berlin("2026-11-21T10:00"), 60, 1));
    }

    @Test
    void theDaySummerTimeBeginsHas23HoursAndTheMinutesAreRealOnes() {
        // 29 March 2026: Berlin skips 02:00-03:00. 00:30 to 23:30 local is 22 real hours.
        Instant from = berlin("2026-03-29T00:30");
        Instant to = berlin("2026-03-29T23:30");
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofHours(22));
        List<AttendanceSession> sessions = sessionsOf(Map.of(LAPTOP, List.of(new OnlineInterval(from, to, EndedBy.OFFLINE))),
                assigned(LAPTOP, "2026-01-01T00:00", null));
        assertThat(days(sessions)).containsOnlyKeys(LocalDate.parse("2026-03-29"));
        assertThat(days(sessions).get(LocalDate.parse("2026-03-29")).minutesPresent()).isEqualTo(22 * 60);
        // 23:30 UTC on the 28th is already 00:30 on the 29th in Berlin (UTC+1 before the switch)
        assertThat(new AttendanceSession(Instant.parse("2026-03-28T23:30:00Z"), null).localDate(BERLIN)).isEqualTo(LocalDate.parse("2026-03-29"));
    }

    @Test
    void theDaySummerTimeEndsHas25Hours() {
        // 25 October 2026: Berlin repeats 02:00-03:00. 00:30 to 23:30 local is 24 real hours.
        Instant from = berlin("2026-10-25T00:30");
        Instant to = berlin("2026-10-25T23:30");
        List<AttendanceSession> sessions = sessionsOf(Map.of(LAPTOP, List.of(new OnlineInterval(from, to, EndedBy.OFFLINE))),
                assigned(LAPTOP, "2026-01-01T00:00", null));
        assertThat(days(sessions).get(LocalDate.parse("2026-10-25")).minutesPresent()).isEqualTo(24 * 60);
        // a session in the repeated hour: 02:30 CEST (00:30Z) to 02:30 CET (01:30Z) is one real hour
        List<AttendanceSession> repeated = sessionsOf(Map.of(LAPTOP, List.of(new OnlineInterval(
                        Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-25T01:30:00Z"), EndedBy.OFFLINE))),
                assigned(LAPTOP, "2026-01-01T00:00", null));
        assertThat(days(repeated).get(LocalDate.parse("2026-10-25")).minutesPresent()).isEqualTo(60);
    }

    @Test
    void aDeviceReassignedMidDayCountsForEachOwnerOnlyWhileItWasTheirs() {
        Map<String, List<OnlineInterval>> intervals = Map.of(PHONE_24, List.of(closed("2026-11-20T08:00", "2026-11-20T16:00")));
        DeviceAssignment ada = assigned(PHONE_24, "2026-01-01T00:00", "2026-11-20T12:00", "e-ada");
        DeviceAssignment bob = assigned(PHONE_24, "2026-11-20T12:00", null, "e-bob");
        assertThat(Attendance.sessions(Attendance.spans(intervals, List.of(ada)), GRACE))
                .containsExactly(new AttendanceSession(berlin("2026-11-20T08:00"), berlin("2026-11-20T12:00")));
        assertThat(Attendance.sessions(Attendance.spans(intervals, List.of(bob)), GRACE))
                .containsExactly(new AttendanceSession(berlin("2026-11-20T12:00"), berlin("2026-11-20T16:00")));
        // presence before a device was anyone's is nobody's
        assertThat(Attendance.spans(Map.of(PHONE_5, List.of(closed("2026-11-20T08:00", "2026-11-20T09:00"))),
                List.of(assigned(PHONE_5, "2026-11-20T10:00", null)))).isEmpty();
    }

    @Test
    void aDeviceStillOnlineMakesAnOpenSessionAndTheDayHasNotBeenLeft() {
        List<AttendanceSession> sessions = sessionsOf(Map.of(
                        PHONE_24, List.of(closed("2026-11-20T08:00", "2026-11-20T09:00"), OnlineInterval.open(berlin("2026-11-20T09:03"))),
                        PHONE_5, List.of(closed("2026-11-20T10:00", "2026-11-20T11:00"))),
                assigned(PHONE_24, "2026-01-01T00:00", null), assigned(PHONE_5, "2026-01-01T00:00", null));
        assertThat(sessions).containsExactly(new AttendanceSession(berlin("2026-11-20T08:00"), null));
        assertThat(days(sessions).get(LocalDate.parse("2026-11-20")))
                .isEqualTo(new AttendanceDay(LocalDate.parse("2026-11-20"), berlin("2026-11-20T08:00"), null, 0, 1));
        // an open interval of a device whose assignment ended is a closed span
        assertThat(Attendance.spans(Map.of(PHONE_24, List.of(OnlineInterval.open(berlin("2026-11-20T08:00")))),
                List.of(assigned(PHONE_24, "2026-01-01T00:00", "2026-11-20T12:00", "e-ada"))))
                .containsExactly(new PresenceSpan(berlin("2026-11-20T08:00"), berlin("2026-11-20T12:00")));
    }

    @Test
    void aZeroGracePeriodStillJoinsSpansThatTouch() {
        assertThat(Attendance.sessions(List.of(span("08:00", "09:00"), span("09:00", "10:00"), span("10:00:01", "11:00")), Duration.ZERO))
                .containsExactly(new AttendanceSession(berlin("2026-11-20T08:00"), berlin("2026-11-20T10:00")),
                        new AttendanceSession(berlin("2026-11-20T10:00:01"), berlin("2026-11-20T11:00")));
    }

    @Test
    void theSessionWindowWidensToStoredSessionsWithinTheGracePeriod() {
        AttendanceSession before = new AttendanceSession(berlin("2026-11-20T07:00"), berlin("2026-11-20T09:57"));
        AttendanceSession after = new AttendanceSession(berlin("2026-11-20T11:03"), null);
        SessionWindow reach = SessionWindow.reach(berlin("2026-11-20T10:00"), berlin("2026-11-20T11:00"), GRACE);
        assertThat(reach).isEqualTo(new SessionWindow(berlin("2026-11-20T09:55"), berlin("2026-11-20T11:05")));
        SessionWindow w = SessionWindow.around(berlin("2026-11-20T10:00"), berlin("2026-11-20T11:00"), List.of(before, after));
        assertThat(w).isEqualTo(new SessionWindow(berlin("2026-11-20T07:00"), null));
        assertThat(w.touches(berlin("2026-11-20T06:00"), berlin("2026-11-20T06:59"))).isFalse();
        assertThat(w.touches(berlin("2026-11-20T06:00"), null)).isTrue();
    }

    static List<AttendanceSession> sessionsOf(Map<String, List<OnlineInterval>> intervals, DeviceAssignment... assignments) {
        return Attendance.sessions(Attendance.spans(intervals, List.of(assignments)), GRACE);
    }

    static SortedMap<LocalDate, AttendanceDay> days(List<AttendanceSession> sessions) {
        return AttendanceDay.of(sessions, BERLIN);
    }

    static DeviceAssignment assigned(String mac, String from, String to) {
        return assigned(mac, from, to, "e-ada");
    }

    static DeviceAssignment assigned(String mac, String from, String to, String employee) {
        return new DeviceAssignment(mac, employee, null, berlin(from), to == null ? null : berlin(to));
    }

    static OnlineInterval closed(String from, String to) {
        return new OnlineInterval(berlin(from), berlin(to), EndedBy.OFFLINE);
    }

    static PresenceSpan span(String from, String to) {
        return new PresenceSpan(berlin("2026-11-20T" + from), berlin("2026-11-20T" + to));
    }

    /** A Berlin wall-clock time; in a repeated hour, the earlier of the two. */
    static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }
}
