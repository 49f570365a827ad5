package dev.rollcall.projection.presence;

import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Something a network agent told about one device (one MAC address at one site), as the interval fold sees it.
 *
 * <p>{@link #ORDER} is the one order the fold reads observations in, whatever order they arrived in: by time,
 * then what opens before what closes (so an online and an offline at the same instant make nothing, and the
 * device is offline after that instant), then by id.
 *
 * @param id the event's id; for a heartbeat, the heartbeat's (one heartbeat is one observation of each device)
 */
public record DeviceObservation(UUID id, Instant at, Kind kind) {

    public enum Kind {
        /** A state change: the agent saw the device come online. */
        ONLINE,
        /** A heartbeat listed the device among those online (corrects a lost online change). */
        SEEN,
        /** A state change: the agent missed the device in consecutive scans. */
        OFFLINE,
        /** A scanning agent's heartbeat did not list the device (corrects a lost offline change). */
        MISSING;

        public boolean opens() {
            return this == ONLINE || this == SEEN;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Comparator<DeviceObservation> ORDER = Comparator.comparing(DeviceObservation::at)
            .thenComparing(DeviceObservation::kind)
            .thenComparing(o -> o.id().toString());

    public DeviceObservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
    }

    public boolean closes() {
        return !kind.opens();
    }
}
