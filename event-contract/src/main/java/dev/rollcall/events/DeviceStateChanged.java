package dev.rollcall.events;

import java.util.Objects;

/**
 * A network agent saw a device come online, or go offline (missed in consecutive scans). When it happened is
 * the envelope's {@code time}; the MAC address is also the envelope's {@code subject}. Which employee owns
 * the device is the roster's business, not the event's: the agent only knows addresses.
 *
 * @param mac the hardware address, normalised to lowercase {@code aa:bb:cc:dd:ee:ff}
 * @param ip  the address it answered on, or {@code null} when it went offline unseen
 */
public record DeviceStateChanged(String mac, String ip, DeviceState state) implements RollcallEvent {

    public static final String TYPE = "rollcall.presence.device-state-changed.v1";

    public DeviceStateChanged {
        Objects.requireNonNull(state, "state");
        mac = ContractChecks.requireMac(mac);
        ip = ip == null || ip.isBlank() ? null : ContractChecks.requireIp(ip);
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
