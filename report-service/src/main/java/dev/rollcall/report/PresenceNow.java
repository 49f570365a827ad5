package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Who is at a site now: every employee present (a device online, or the last one offline for no longer than the
 * site's grace period), since when, and how long they have been present today; every other active employee, with
 * when they were last seen. As of {@code generatedAt}.
 *
 * <p>While a presence agent of the site is silent (OFFLINE now), nobody is present or absent: presence since
 * {@code unknownSince} was not observed, so everyone is in {@code unknown} with what was known when the agent went
 * silent, and {@code present} and {@code absent} are empty.
 *
 * @param graceMinutes the grace period applied (the site's, else the configured default)
 * @param unknownSince null: the site's presence agents are observing; else since when they are not (the start of
 *                     the earliest ongoing downtime of a presence agent, its last heartbeat)
 * @param silentAgents the presence agents silent now
 * @param sites        every site the roster knows, to switch between them
 */
public record PresenceNow(RosterSite site, Instant generatedAt, LocalDate today, int graceMinutes, List<Present> present,
                          List<Absent> absent, Instant unknownSince, List<String> silentAgents, List<Unknown> unknown,
                          List<RosterSite> sites, Coverage coverage) {

    /**
     * Present now. {@code since}: the start of the session (it may have begun on an earlier day);
     * {@code offlineSince}: null while a device is online, else when the last one went offline (less than the grace
     * period ago: they count as present until it has passed); {@code arrivedToday}: the first arrival of today (null
     * if the session began before today); {@code todaySeconds}: present today so far, an open session up to now.
     */
    public record Present(Employee employee, Instant since, Instant offlineSince, Instant arrivedToday, long todaySeconds) {
    }

    /**
     * An active employee not present. {@code lastSeen}: when they last left (null: never seen);
     * {@code seenToday}: that was today; {@code devices}: how many devices are registered to them now (0: none,
     * so they cannot be seen at all).
     */
    public record Absent(Employee employee, Instant lastSeen, boolean seenToday, int devices) {
    }

    /**
     * An active employee whose presence now is unknown (a presence agent is silent), with what was known at
     * {@code unknownSince}: {@code presentSince} non-null, they were present then (since that time), and
     * {@code todaySeconds} counts them up to {@code unknownSince}, not to now; else {@code lastSeen} and
     * {@code seenToday} as for {@link Absent}.
     */
    public record Unknown(Employee employee, Instant presentSince, Instant arrivedToday, long todaySeconds,
                          Instant lastSeen, boolean seenToday, int devices) {
    }

    /** The same report with the downtimes that overlap today and the days they make incomplete. */
    public PresenceNow withCoverage(Coverage coverage) {
        return new PresenceNow(site, generatedAt, today, graceMinutes, present, absent, unknownSince, silentAgents, unknown,
                sites, coverage);
    }

    public int presentCount() {
        return present.size();
    }

    public int absentCount() {
        return absent.size();
    }

    public int unknownCount() {
        return unknown.size();
    }
}
