package dev.rollcall.events;

/**
 * From the envelope's {@code time} on, the device with this MAC address belongs to the employee (until a
 * later {@link DeviceAssigned} or {@link DeviceReleased} of the same MAC). Effective-dated, so presence before
 * it is not attributed to the new owner.
 */
public record DeviceAssigned(String mac, String employeeId, String label) implements RollcallEvent {

    public static final String TYPE = "rollcall.roster.device-assigned.v1";

    public DeviceAssigned {
        mac = ContractChecks.requireMac(mac);
        employeeId = ContractChecks.requireEmployeeId(employeeId);
        label = label == null || label.isBlank() ? null : ContractChecks.requireText("label", label, 100);
    }

    /** A locally administered address (a phone's per-network random MAC): it may change, so say so when registered. */
    public boolean randomised() {
        return ContractChecks.locallyAdministered(mac);
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
