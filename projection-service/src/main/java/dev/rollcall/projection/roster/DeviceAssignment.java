package dev.rollcall.projection.roster;

import java.time.Instant;
import java.util.Objects;

/**
 * A device belonged to an employee from {@code validFrom} (inclusive) to {@code validTo} (exclusive; null: it
 * still does).
 */
public record DeviceAssignment(String mac, String employeeId, String label, Instant validFrom, Instant validTo) {

    public DeviceAssignment {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(employeeId, "employeeId");
        Objects.requireNonNull(validFrom, "validFrom");
        if (validTo != null && !validTo.isAfter(validFrom)) {
            throw new IllegalArgumentException("an assignment ends after it starts: " + validFrom + " .. " + validTo);
        }
    }

    public boolean open() {
        return validTo == null;
    }

    /** A locally administered (randomised, per-network) address: it may change, so the roster flags it. */
    public boolean randomised() {
        return (Integer.parseInt(mac.substring(0, 2), 16) & 0x02) != 0;
    }
}
