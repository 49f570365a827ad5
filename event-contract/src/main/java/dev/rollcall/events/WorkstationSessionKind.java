package dev.rollcall.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What happened to a workstation's session. Locking, suspending, logging off and shutting down end work at once. */
public enum WorkstationSessionKind {
    LOGON("logon"),
    LOGOFF("logoff"),
    LOCK("lock"),
    UNLOCK("unlock"),
    SUSPEND("suspend"),
    RESUME("resume"),
    BOOT("boot"),
    SHUTDOWN("shutdown");

    private final String wire;

    WorkstationSessionKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** True for the kinds after which the user cannot be working at this workstation. */
    public boolean endsWork() {
        return this == LOGOFF || this == LOCK || this == SUSPEND || this == SHUTDOWN;
    }

    /** Reads the wire form, case-insensitively; anything else is an {@link IllegalArgumentException} naming the choices. */
    public static WorkstationSessionKind fromWire(String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (WorkstationSessionKind k : values()) {
                if (k.wire.equals(v)) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("kind must be one of "
                + Arrays.stream(values()).map(k -> "'" + k.wire + "'").collect(Collectors.joining(", "))
                + ", got " + (value == null ? "nothing" : "'" + (value.length() <= 40 ? value : value.substring(0, 40) + "…") + "'"));
    }
}
