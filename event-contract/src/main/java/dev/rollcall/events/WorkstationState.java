package dev.rollcall.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a workstation reports about its user: busy at the machine, or not. */
public enum WorkstationState {
    WORKING("working"),
    STOPPED("stopped");

    private final String wire;

    WorkstationState(String wire) {
        this.wire = wire;
    }

    /** The form on the wire and in the work-tracing API. */
    public String wire() {
        return wire;
    }

    /** Reads the wire form, case-insensitively; anything else is an {@link IllegalArgumentException} naming the choices. */
    public static WorkstationState fromWire(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (WorkstationState s : values()) {
                if (s.wire.equals(v)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("state must be one of " + choices() + ", got "
                + (value == null ? "nothing" : "'" + abbreviate(value) + "'"));
    }

    static String choices() {
        return Arrays.stream(values()).map(s -> "'" + s.wire + "'").collect(Collectors.joining(" or "));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
