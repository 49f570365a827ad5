package dev.rollcall.projection.presence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fold from one device's observations to its online intervals. Pure: no clock, no I/O.
 *
 * <p>Observations are read in {@link DeviceObservation#ORDER} after dropping repeated ids, so any permutation
 * or duplication of the same observations gives the same intervals. Rules:
 * <ul>
 *   <li>an online change, or a heartbeat listing the device, opens an interval, or continues the open one;</li>
 *   <li>an offline change closes the open interval at its time ({@code ended_by = offline});</li>
 *   <li>a heartbeat of a scanning agent that does not list the device closes the open interval at the
 *       heartbeat's time ({@code ended_by = heartbeat}): the offline change was lost, and the heartbeat is when
 *       the absence was observed, at most one heartbeat period after it began;</li>
 *   <li>an interval of zero length (online and offline at the same instant) is no interval.</li>
 * </ul>
 * After any closing observation the device is offline, whatever came before: that is what lets the projection
 * re-fold only a window of a device's history (see {@link DeviceWindow}).
 */
public final class OnlineIntervals {

    private OnlineIntervals() {
    }

    public static List<OnlineInterval> fold(Collection<DeviceObservation> observations) {
        return fold(null, observations);
    }

    /**
     * @param openSince where the fold starts: online since then, or (null) offline
     */
    public static List<OnlineInterval> fold(Instant openSince, Collection<DeviceObservation> observations) {
        Map<UUID, DeviceObservation> once = new LinkedHashMap<>();
        observations.forEach(o -> once.putIfAbsent(o.id(), o));
        List<DeviceObservation> ordered = new ArrayList<>(once.values());
        ordered.sort(DeviceObservation.ORDER);

        List<OnlineInterval> out = new ArrayList<>();
        Instant start = openSince;
        for (DeviceObservation o : ordered) {
            if (o.kind().opens()) {
                if (start == null) {
                    start = o.at();
                }
            } else if (start != null) {
                if (o.at().isAfter(start)) {
                    out.add(new OnlineInterval(start, o.at(), o.kind() == DeviceObservation.Kind.OFFLINE
                            ? OnlineInterval.EndedBy.OFFLINE : OnlineInterval.EndedBy.HEARTBEAT));
                }
                start = null;
            }
        }
        if (start != null) {
            out.add(OnlineInterval.open(start));
        }
        return out;
    }
}
