package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Downtimes as a reader shows them (merged, the silent agent's open one) and which days they make incomplete. */
class CoverageTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z"); // Tuesday 13:00 in Berlin
    static final LocalDate MONDAY = LocalDate.of(2026, 3, 9);
    static final LocalDate TUESDAY = LocalDate.of(2026, 3, 10);

    static AgentDowntimes.Stored stored(String agent, String start, String end, String cause) {
        return new AgentDowntimes.Stored(agent, Instant.parse(start), Instant.parse(end), cause);
    }

    @Test
    void overlappingGapsAndReportedOutagesOfOneAgentAreOneDowntimeOthersStaySeparate() {
        List<AgentDowntime> d = AgentDowntimes.asOf(List.of(
                        stored("net-1", "2026-03-09T08:00:00Z", "2026-03-09T09:00:00Z", "gap"),
                        stored("net-1", "2026-03-09T08:30:00Z", "2026-03-09T09:30:00Z", "reported"),
                        stored("net-2", "2026-03-09T08:30:00Z", "2026-03-09T08:45:00Z", "gap")),
                Map.of("net-1", NOW.minusSeconds(10), "net-2", NOW.minusSeconds(10)), a -> true, NOW, AgentHealth.Thresholds.DEFAULT);
        assertThat(d).containsExactly(
                new AgentDowntime("net-1", Instant.parse("2026-03-09T08:00:00Z"), Instant.parse("2026-03-09T09:30:00Z"), "gap", true),
                new AgentDowntime("net-2", Instant.parse("2026-03-09T08:30:00Z"), Instant.parse("2026-03-09T08:45:00Z"), "gap", true));
    }

    @Test
    void anAgentSilentForMoreThanTheOfflineThresholdIsAnOpenDowntimeFromItsLastHeartbeat() {
        Instant last = NOW.minusSeconds(701);
        assertThat(AgentDowntimes.asOf(List.of(), Map.of("net-1", last), a -> true, NOW, AgentHealth.Thresholds.DEFAULT))
                .containsExactly(new AgentDowntime("net-1", last, null, "silent", true));
        // 700 s is DEGRADED, not yet down
        assertThat(AgentDowntimes.asOf(List.of(), Map.of("net-1", NOW.minusSeconds(700)), a -> true, NOW,
                AgentHealth.Thresholds.DEFAULT)).isEmpty();
        // an open downtime swallows a stored one that starts inside it
        assertThat(AgentDowntimes.asOf(List.of(stored("net-1", "2026-03-10T11:00:00Z", "2026-03-10T11:30:00Z", "reported")),
                Map.of("net-1", Instant.parse("2026-03-10T10:00:00Z")), a -> true, NOW, AgentHealth.Thresholds.DEFAULT))
                .containsExactly(new AgentDowntime("net-1", Instant.parse("2026-03-10T10:00:00Z"), null, "silent", true));
    }

    @Test
    void aPresenceAgentsDowntimeMakesTheLocalDaysItTouchesIncompleteNotOthers() {
        // 23:30 Monday to 00:30 Tuesday in Berlin (22:30-23:30 UTC): both days, in the site's zone
        AgentDowntime overMidnight = new AgentDowntime("net-1", Instant.parse("2026-03-09T22:30:00Z"),
                Instant.parse("2026-03-09T23:30:00Z"), "gap", true);
        Coverage c = Coverage.of(List.of(overMidnight), MONDAY.minusDays(1), TUESDAY, BERLIN, NOW);
        assertThat(c.incompleteDates()).containsExactly(MONDAY, TUESDAY);
        assertThat(c.downtimes()).containsExactly(overMidnight);
        // the same instants in UTC are all Monday
        assertThat(Coverage.of(List.of(overMidnight), MONDAY, TUESDAY, ZoneId.of("UTC"), NOW).incompleteDates()).containsExactly(MONDAY);
        // a day the downtime does not touch has neither banner nor mark
        Coverage sunday = Coverage.of(List.of(overMidnight), MONDAY.minusDays(1), MONDAY.minusDays(1), BERLIN, NOW);
        assertThat(sunday.gaps()).isFalse();
        assertThat(sunday.isIncomplete()).isFalse();
    }

    @Test
    void aWorkstationAgentsDowntimeIsShownButLeavesAttendanceComplete() {
        AgentDowntime workstation = new AgentDowntime("ws-7", Instant.parse("2026-03-10T08:00:00Z"),
                Instant.parse("2026-03-10T09:00:00Z"), "gap", false);
        Coverage c = Coverage.of(List.of(workstation), TUESDAY, TUESDAY, BERLIN, NOW);
        assertThat(c.gaps()).isTrue();
        assertThat(c.isIncomplete()).isFalse();
    }

    @Test
    void anOngoingDowntimeMakesTodayIncompleteButNoDayAfterNow() {
        AgentDowntime silent = new AgentDowntime("net-1", Instant.parse("2026-03-10T10:00:00Z"), null, "silent", true);
        Coverage c = Coverage.of(List.of(silent), TUESDAY, LocalDate.of(2026, 3, 31), BERLIN, NOW);
        assertThat(c.incompleteDates()).containsExactly(TUESDAY);
        assertThat(c.incompleteOn(TUESDAY.plusDays(1))).isFalse();
    }

    @Test
    void presenceIsKnownUpToNowOrUpToTheSilenceOfAPresenceAgentWhateverPeriodTheReportShows() {
        AgentDowntime silent = new AgentDowntime("net-1", Instant.parse("2026-03-10T10:00:00Z"), null, "silent", true);
        AgentDowntime earlierGap = new AgentDowntime("net-2", Instant.parse("2026-03-10T08:00:00Z"),
                Instant.parse("2026-03-10T09:00:00Z"), "gap", true);
        AgentDowntime workstation = new AgentDowntime("ws-1", Instant.parse("2026-03-10T07:00:00Z"), null, "silent", false);
        Coverage today = Coverage.of(List.of(earlierGap, silent, workstation), TUESDAY, TUESDAY, BERLIN, NOW);
        assertThat(today.presenceUnknown()).isTrue();
        assertThat(today.presenceUnknownSince()).isEqualTo(silent.start());
        assertThat(today.presenceKnownUntil(NOW)).isEqualTo(silent.start());
        // Monday's page does not show Tuesday's silence, but a session open since Monday still stops counting at it
        Coverage monday = Coverage.of(List.of(silent), MONDAY, MONDAY, BERLIN, NOW);
        assertThat(monday.gaps()).isFalse();
        assertThat(monday.presenceKnownUntil(NOW)).isEqualTo(silent.start());
        // a workstation's silence, or a presence gap that has ended, leaves presence known up to now
        Coverage known = Coverage.of(List.of(earlierGap, workstation), TUESDAY, TUESDAY, BERLIN, NOW);
        assertThat(known.presenceUnknown()).isFalse();
        assertThat(known.presenceKnownUntil(NOW)).isEqualTo(NOW);
        assertThat(Coverage.NONE.presenceKnownUntil(NOW)).isEqualTo(NOW);
        // the stretches a timeline draws unknown: clipped to the day, the ongoing one up to now, no workstation's
        Instant from = TUESDAY.atStartOfDay(BERLIN).toInstant();
        Instant to = TUESDAY.plusDays(1).atStartOfDay(BERLIN).toInstant();
        assertThat(today.presenceUnknownWithin(from, to, NOW)).extracting(AgentDowntime::agentId, AgentDowntime::start, AgentDowntime::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("net-2", earlierGap.start(), earlierGap.end()),
                        org.assertj.core.groups.Tuple.tuple("net-1", silent.start(), NOW));
    }
}
