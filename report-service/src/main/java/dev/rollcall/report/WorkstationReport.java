package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * A site's workstation activity on one local day: what the day page, its JSON and its CSV show. Working time
 * and real work hours are as of {@code generatedAt}: an interval still running counts up to then. {@code rules}:
 * what the projection computed them with (its live generation), empty when unknown.
 */
public record WorkstationReport(String site, LocalDate date, ZoneId zone, Instant generatedAt, boolean today,
                                double hoursInDay, List<UserActivity> users, String rules, Coverage coverage) {

    /** Without coverage: before the agents' downtimes were looked at. */
    public WorkstationReport(String site, LocalDate date, ZoneId zone, Instant generatedAt, boolean today,
                             double hoursInDay, List<UserActivity> users, String rules) {
        this(site, date, zone, generatedAt, today, hoursInDay, users, rules, Coverage.NONE);
    }

    /** The same report with the downtimes that overlap its period and the days they make incomplete. */
    public WorkstationReport withCoverage(Coverage coverage) {
        return new WorkstationReport(site, date, zone, generatedAt, today, hoursInDay, users, rules, coverage);
    }

    /**
     * One user's day: reports, working time, real work hours (whole 40-minute blocks of continuous working),
     * the working intervals in time order and the changes of state. {@code firstActivity} is the start of the
     * first working interval, {@code lastActivity} the end of the last (now while it runs); both null when the
     * user reported but never worked.
     */
    public record UserActivity(String username, String currentState, Instant firstAt, Instant lastAt, int reports,
                               Instant firstActivity, Instant lastActivity, long workingSeconds, long workingMinutes,
                               int realWorkHours, boolean running, List<ReportedInterval> intervals,
                               List<StateChange> changes) {
    }

    /** The user became {@code state} at {@code at}; repeated reports of the same state are folded into one. */
    public record StateChange(Instant at, String state) {
    }

    public int runningNow() {
        return (int) users.stream().filter(UserActivity::running).count();
    }
}
