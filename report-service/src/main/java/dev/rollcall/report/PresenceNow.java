package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Who is at a site now: every employee with an open session, since when, and how long they have been present
 * today; every other active employee, with when they were last seen. As of {@code generatedAt}.
 *
 * @param sites every site the roster knows, to switch between them
 */
public record PresenceNow(RosterSite site, Instant generatedAt, LocalDate today, List<Present> present,
                          List<Absent> absent, List<RosterSite> sites, Coverage coverage) {

    /** Without coverage: before the agents' downtimes were looked at. */
    public PresenceNow(RosterSite site, Instant generatedAt, LocalDate today, List<Present> present, List<Absent> absent,
                       List<RosterSite> sites) {
        this(site, generatedAt, today, present, absent, sites, Coverage.NONE);
    }

    /** The same report with the downtimes that overlap its period and the days they make incomplete. */
    public PresenceNow withCoverage(Coverage coverage) {
        return new PresenceNow(site, generatedAt, today, present, absent, sites, coverage);
    }

    /**
     * Present now. {@code since}: the start of the open session (it may have begun on an earlier day);
     * {@code arrivedToday}: the first arrival of today (null if the session began before today);
     * {@code todaySeconds}: present today so far, the open session up to now.
     */
    public record Present(Employee employee, Instant since, Instant arrivedToday, long todaySeconds) {
    }

    /**
     * An active employee without an open session. {@code lastSeen}: when they last left (null: never seen);
     * {@code seenToday}: that was today; {@code devices}: how many devices are registered to them now (0: none,
     * so they cannot be seen at all).
     */
    public record Absent(Employee employee, Instant lastSeen, boolean seenToday, int devices) {
    }

    public int presentCount() {
        return present.size();
    }

    public int absentCount() {
        return absent.size();
    }
}
