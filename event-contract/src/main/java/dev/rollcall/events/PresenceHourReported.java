package dev.rollcall.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * An agent that keeps its own device-to-employee mapping (StaffTrace's) summarised one employee's presence in
 * one hour of the site's local day. A re-sent summary is the same event (its id is derived from its content);
 * a corrected one supersedes the earlier summary of that hour (the latest by event time counts).
 *
 * @param hour          0 to 23, local to the site
 * @param minutesOnline 0 to 60
 */
public record PresenceHourReported(String employeeId, LocalDate date, int hour, Instant firstSeen, Instant lastSeen,
                                   int minutesOnline) implements RollcallEvent {

    public static final String TYPE = "rollcall.presence.hour-reported.v1";

    public PresenceHourReported {
        employeeId = ContractChecks.requireEmployeeId(employeeId);
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour must be 0 to 23, got " + hour);
        }
        if (minutesOnline < 0 || minutesOnline > 60) {
            throw new IllegalArgumentException("minutesOnline must be 0 to 60, got " + minutesOnline);
        }
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("lastSeen " + lastSeen + " is before firstSeen " + firstSeen);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Topic topic() {
        return Topic.PRESENCE;
    }
}
