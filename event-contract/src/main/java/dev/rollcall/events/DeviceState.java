package dev.rollcall.events;

import java.util.Locale;

/** Whether a device answered on the network in the agent's last scans. */
public enum DeviceState {
    ONLINE, OFFLINE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeviceState fromWire(String value) {
        if (value != null) {
            for (DeviceState s : values()) {
                if (s.wire().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("state must be one of 'online' or 'offline', got "
                + (value == null ? "nothing" : "'" + value + "'"));
    }
}
