package dev.rollcall.events;

/** From the envelope's {@code time} on, the device with this MAC address belongs to nobody. */
public record DeviceReleased(String mac) implements RollcallEvent {

    public static final String TYPE = "rollcall.roster.device-released.v1";

    public DeviceReleased {
        mac = ContractChecks.requireMac(mac);
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
