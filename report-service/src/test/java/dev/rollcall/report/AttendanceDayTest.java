package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Time present as of now: the projection's minutes for a finished day, sessions summed again for an open one. */
class AttendanceDayTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 10);
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @Test
    void aDayWithoutAnOpenSessionKeepsTheProjectionsMinutes() {
        AttendanceDay day = new AttendanceDay("E1", DAY, t("06:00"), t("11:00"), 290, 2);
        List<AttendanceSession> sessions = List.of(session("E1", "06:00", "08:00"), session("E1", "08:10", "11:00"));

        assertThat(day.presentSecondsAsOf(sessions, NOW)).isEqualTo(290 * 60);
        assertThat(day.presentIn(sessions)).isFalse();
    }

    @Test
    void anOpenSessionCountsUpToNowNotUpToWhenItWasFolded() {
        // stored at 09:00: 30 + 110 minutes; at 12:00 the open session has run 4 h 50 min
        AttendanceDay day = new AttendanceDay("E1", DAY, t("06:00"), null, 140, 2);
        List<AttendanceSession> sessions = List.of(session("E1", "06:00", "06:30"), session("E1", "07:10", null),
                session("E2", "05:00", null), new AttendanceSession("E1", DAY.minusDays(1), t("01:00"), null));

        assertThat(day.presentSecondsAsOf(sessions, NOW)).isEqualTo((30 + 290) * 60);
        assertThat(day.presentIn(sessions)).isTrue();
        // the same when the projection leaves the open session out of its minutes
        assertThat(new AttendanceDay("E1", DAY, t("06:00"), null, 30, 2).presentSecondsAsOf(sessions, NOW))
                .isEqualTo((30 + 290) * 60);
    }

    @Test
    void aDayTheProjectionLeftWithoutDepartureIsPresentEvenWithoutItsSessionsAtHand() {
        AttendanceDay day = new AttendanceDay("E1", DAY, t("06:00"), null, 140, 2);

        assertThat(day.presentIn(List.of())).isTrue();
        assertThat(day.presentSecondsAsOf(List.of(), NOW)).isEqualTo(140 * 60);
    }

    @Test
    void anOpenSessionIsASpanThatRunsUntilNowAndNeverBackwards() {
        AttendanceSession open = session("E1", "07:10", null);
        assertThat(open.asOf(NOW)).isEqualTo(new AttendanceSession.Span(t("07:10"), NOW, true, 290 * 60, false));
        assertThat(open.secondsAsOf(t("07:00"))).isZero(); // a clock behind the projection's
        AttendanceSession closed = session("E1", "06:00", "06:30");
        assertThat(closed.asOf(NOW)).isEqualTo(new AttendanceSession.Span(t("06:00"), t("06:30"), false, 1800, false));
    }

    @Test
    void whilePresenceIsUnknownAnOpenSessionEndsWhenItStoppedBeingKnownAndIsNotRunning() {
        AttendanceSession open = session("E1", "08:00", null);
        assertThat(open.asOf(NOW, t("10:00"))).isEqualTo(new AttendanceSession.Span(t("08:00"), t("10:00"), false, 2 * 3600, true));
        // a closed one is what was observed, whenever it ended
        AttendanceSession closed = session("E1", "06:00", "10:30");
        assertThat(closed.asOf(NOW, t("10:00"))).isEqualTo(new AttendanceSession.Span(t("06:00"), t("10:30"), false, 4 * 3600 + 1800, false));
        AttendanceDay day = new AttendanceDay("E1", DAY, t("06:00"), null, 270, 2);
        assertThat(day.presentSecondsAsOf(List.of(closed, open), t("10:00"))).isEqualTo((270 + 120) * 60);
    }

    private static AttendanceSession session(String employee, String start, String end) {
        return new AttendanceSession(employee, DAY, t(start), end == null ? null : t(end));
    }

    private static Instant t(String hhmm) {
        return Instant.parse("2026-03-10T" + hhmm + ":00Z");
    }
}
