package dev.rollcall.projection.roster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fold from one device's roster changes to its effective-dated assignments. Pure: no clock, no I/O.
 *
 * <p>Changes are read in {@link AssignmentChange#ORDER} after dropping repeated ids, so a late or re-sent
 * roster event gives the same assignments as if it had come in order. Each change ends the assignment in
 * force at its time; an assignment opens a new one. An assignment ended at the instant it began (two changes
 * at the same time) is no assignment.
 */
public final class DeviceAssignments {

    private DeviceAssignments() {
    }

    public static List<DeviceAssignment> fold(String mac, Collection<AssignmentChange> changes) {
        Map<UUID, AssignmentChange> once = new LinkedHashMap<>();
        changes.forEach(c -> once.putIfAbsent(c.id(), c));
        List<AssignmentChange> ordered = new ArrayList<>(once.values());
        ordered.sort(AssignmentChange.ORDER);

        List<DeviceAssignment> out = new ArrayList<>();
        AssignmentChange open = null;
        for (AssignmentChange c : ordered) {
            if (open != null && c.at().isAfter(open.at())) {
                out.add(new DeviceAssignment(mac, open.employeeId(), open.label(), open.at(), c.at()));
            }
            open = c.release() ? null : c;
        }
        if (open != null) {
            out.add(new DeviceAssignment(mac, open.employeeId(), open.label(), open.at(), null));
        }
        return out;
    }
}
