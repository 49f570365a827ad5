package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** A site's workstation activity on one local day: what the page and the JSON show. */
public record WorkstationReport(String site, LocalDate date, ZoneId zone, Instant generatedAt, List<UserActivity> users) {

    /** One user's day: a summary and the changes of state in time order. */
    public record UserActivity(String username, String currentState, Instant firstAt, Instant lastAt, int reports,
                               List<StateChange> changes) {
    }

    /** The user became {@code state} at {@code at}; repeated reports of the same state are folded into one. */
    public record StateChange(Instant at, String state) {
    }

    public int working() {
        return (int) users.stream().filter(u -> "working".equals(u.currentState())).count();
    }
}
