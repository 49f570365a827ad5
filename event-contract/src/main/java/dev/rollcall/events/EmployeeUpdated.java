package dev.rollcall.events;

/**
 * The roster added or changed an employee of the envelope's site; the latest by event time is in force.
 * {@code active = false} deactivates (history stays; new signals no longer count).
 *
 * @param employeeId stable id chosen by the roster (e.g. a personnel number)
 */
public record EmployeeUpdated(String employeeId, String name, boolean active) implements RollcallEvent {

    public static final String TYPE = "rollcall.roster.employee-updated.v1";

    public EmployeeUpdated {
        employeeId = ContractChecks.requireEmployeeId(employeeId);
        name = ContractChecks.requireText("name", name, 200);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Topic topic() {
        return Topic.ROSTER;
    }
}
