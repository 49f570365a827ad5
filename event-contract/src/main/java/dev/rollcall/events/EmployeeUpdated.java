package dev.rollcall.events;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The roster added or changed an employee of the envelope's site; the latest by event time is in force.
 * {@code active = false} deactivates (history stays; new signals no longer count).
 *
 * @param employeeId       stable id chosen by the roster (e.g. a personnel number)
 * @param workstationUsers the user names the employee's workstations report (as work-tracing sends them:
 *                         {@code ACME\jdoe} or {@code jdoe}), at most {@value #MAX_WORKSTATION_USERS}; {@code null}
 *                         (absent, as in every event written before this field) leaves the roster's ones unchanged,
 *                         an empty list removes them
 * @param staffTraceIds    the ids StaffTrace's agent reports the employee by (its {@code employeeId}), at most
 *                         {@value #MAX_STAFFTRACE_IDS}; {@code null} (absent) leaves the roster's ones unchanged, an
 *                         empty list removes them
 */
public record EmployeeUpdated(String employeeId, String name, boolean active, List<String> workstationUsers,
                              List<String> staffTraceIds) implements RollcallEvent {

    public static final String TYPE = "rollcall.roster.employee-updated.v1";
    public static final int MAX_WORKSTATION_USERS = 8;
    public static final int MAX_STAFFTRACE_IDS = 8;

    public EmployeeUpdated {
        employeeId = ContractChecks.requireEmployeeId(employeeId);
        name = ContractChecks.requireText("name", name, 200);
        workstationUsers = workstationUsers == null ? null : requireWorkstationUsers(workstationUsers);
        staffTraceIds = staffTraceIds == null ? null : requireStaffTraceIds(staffTraceIds);
    }

    /** An employee whose StaffTrace ids this event leaves as they are. */
    public EmployeeUpdated(String employeeId, String name, boolean active, List<String> workstationUsers) {
        this(employeeId, name, active, workstationUsers, null);
    }

    /** An employee whose workstation user names this event leaves as they are. */
    public EmployeeUpdated(String employeeId, String name, boolean active) {
        this(employeeId, name, active, null, null);
    }

    private static List<String> requireWorkstationUsers(List<String> users) {
        if (users.size() > MAX_WORKSTATION_USERS) {
            throw new IllegalArgumentException("workstationUsers may name at most " + MAX_WORKSTATION_USERS
                    + " user names, got " + users.size());
        }
        Set<String> seen = new HashSet<>();
        List<String> out = new java.util.ArrayList<>(users.size());
        for (String u : users) {
            String v = ContractChecks.requireText("workstationUsers", u, WorkstationStateChanged.MAX_USER_LENGTH);
            if (v.contains(",")) {
                // Windows forbids ',' in user names; refusing it keeps the admin form's comma-separated list unambiguous.
                throw new IllegalArgumentException("workstationUsers may not contain ',': '" + abbreviate(v) + "'");
            }
            if (!seen.add(v)) {
                throw new IllegalArgumentException("workstationUsers names '" + abbreviate(v) + "' twice");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** A StaffTrace id, stripped: checked like an employee id, as StaffTrace's summaries carry it in one. */
    public static String requireStaffTraceId(String id) {
        try {
            return ContractChecks.requireEmployeeId(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("staffTraceIds must be 1 to 64 letters, digits, '.', '_' or '-', got '"
                    + abbreviate(String.valueOf(id)) + "'");
        }
    }

    /** Each is an employee id as StaffTrace's summaries carry it (PresenceHourReported checks theirs the same way). */
    private static List<String> requireStaffTraceIds(List<String> ids) {
        if (ids.size() > MAX_STAFFTRACE_IDS) {
            throw new IllegalArgumentException("staffTraceIds may name at most " + MAX_STAFFTRACE_IDS + " ids, got " + ids.size());
        }
        Set<String> seen = new HashSet<>();
        List<String> out = new java.util.ArrayList<>(ids.size());
        for (String id : ids) {
            String v = requireStaffTraceId(id);
            if (!seen.add(v)) {
                throw new IllegalArgumentException("staffTraceIds names '" + v + "' twice");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static String abbreviate(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "…" : v;
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
