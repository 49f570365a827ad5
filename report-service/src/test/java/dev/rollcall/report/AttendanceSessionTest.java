package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Present at an instant by the sessions: open, or ended no longer than the grace period ago (the projection bridges
 * gaps up to the grace period, so the same session may still go on).
 */
class AttendanceSessionTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 10);
    private static final Duration GRACE = Duration.ofMinutes(5);

    @Test
    void presentUntilTheGracePeriodAfterTheEndHasPassed() {
        AttendanceSession s = new AttendanceSession("E1", DAY, t("08:00:00"), t("11:55:00"));
        assertThat(s.presentAt(t("07:59:59"), GRACE)).as("before it began").isFalse();
        assertThat(s.presentAt(t("08:00:00"), GRACE)).isTrue();
        assertThat(s.presentAt(t("11:59:59"), GRACE)).as("grace - 1 s").isTrue();
        assertThat(s.presentAt(t("12:00:00"), GRACE)).as("exactly the grace: a gap that long is still bridged").isTrue();
        assertThat(s.presentAt(t("12:00:01"), GRACE)).as("grace + 1 s").isFalse();
        assertThat(new AttendanceSession("E1", DAY, t("08:00:00"), null).presentAt(t("23:00:00"), GRACE)).isTrue();
    }

    @Test
    void hereSaysSinceTheSessionsStartAndSinceWhenEveryDeviceIsOffline() {
        List<AttendanceSession> sessions = List.of(
                new AttendanceSession("E1", DAY, t("08:00:00"), t("11:58:00")),   // in the grace period at 12:00
                new AttendanceSession("E2", DAY, t("07:00:00"), null),            // online
                new AttendanceSession("E3", DAY, t("07:00:00"), t("11:54:00")),   // gone
                new AttendanceSession("E4", DAY, t("09:00:00"), t("12:30:00")));  // ends after now: going on
        Map<String, PresenceReadModel.Here> here = PresenceReadModel.here(sessions, t("12:00:00"), GRACE);

        assertThat(here).containsOnlyKeys("E1", "E2", "E4");
        assertThat(here.get("E1").since()).isEqualTo(t("08:00:00"));
        assertThat(here.get("E1").offlineSince()).isEqualTo(t("11:58:00"));
        assertThat(here.get("E2").offlineSince()).isNull();
        assertThat(here.get("E4").offlineSince()).isNull();
    }

    private static Instant t(String time) {
        return Instant.parse("2026-03-10T" + time + "Z");
    }
}
