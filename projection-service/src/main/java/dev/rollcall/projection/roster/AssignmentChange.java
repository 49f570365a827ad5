package dev.rollcall.projection.roster;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * A roster event about one device (one MAC address at one site), as the assignment fold sees it: assigned to
 * an employee from {@code at} on, or released ({@code employeeId} null) from {@code at} on.
 *
 * <p>{@link #ORDER} is the one order the fold reads them in, whatever order they arrived in: by time, then by
 * id as text (which is the order PostgreSQL sorts uuids in), so two changes at the same instant always end
 * the same way.
 */
public record AssignmentChange(UUID id, Instant at, String employeeId, String label) {

    public static final Comparator<AssignmentChange> ORDER = Comparator.comparing(AssignmentChange::at)
            .thenComparing(c -> c.id().toString());

    public AssignmentChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
    }

    public static AssignmentChange assigned(UUID id, Instant at, String employeeId, String label) {
        return new AssignmentChange(id, at, Objects.requireNonNull(employeeId, "employeeId"), label);
    }

    public static AssignmentChange released(UUID id, Instant at) {
        return new AssignmentChange(id, at, null, null);
    }

    public boolean release() {
        return employeeId == null;
    }
}
