package dev.rollcall.agent.network;

import dev.rollcall.events.DeviceState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns scans into state changes. A device is online from the first scan that sees it; it goes offline after
 * {@code offlineAfter} consecutive scans miss it (a sleeping phone may skip one), and the offline change is
 * dated at the last scan that saw it: that is the last moment it is known to have been there. Between scans
 * nothing is emitted, so the events are exactly the changes.
 *
 * <p>Pure: no clock and no I/O; the scan's time comes with the scan. Not thread-safe (one scan loop owns it).
 */
public final class PresenceTracker {

    /** What the tracker remembers of a device it considers online; also what survives a restart. */
    public record TrackedDevice(String mac, String ip, Instant lastSeen, int missedScans) {
    }

    private final int offlineAfter;
    private final Map<String, TrackedDevice> online = new TreeMap<>();

    public PresenceTracker(int offlineAfter) {
        this(offlineAfter, List.of());
    }

    /** Resumes from what an earlier run remembered, so a device that left while the agent was down goes offline. */
    public PresenceTracker(int offlineAfter, Collection<TrackedDevice> remembered) {
        if (offlineAfter < 1) {
            throw new IllegalArgumentException("offline-after must be at least 1 scan");
        }
        this.offlineAfter = offlineAfter;
        remembered.forEach(d -> online.put(d.mac(), d));
    }

    /** Folds one scan in and returns the changes it causes, ordered by time, then MAC. */
    public List<DeviceTransition> observe(Instant scanTime, Collection<Sighting> seen) {
        Map<String, String> ipByMac = new TreeMap<>();
        for (Sighting s : seen) {
            // A MAC answering on several addresses is one device: keep the lowest address, so it is stable.
            ipByMac.merge(s.mac(), s.ip(), (a, b) -> compareIp(a, b) <= 0 ? a : b);
        }
        List<DeviceTransition> changes = new ArrayList<>();
        for (var it = online.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            TrackedDevice d = entry.getValue();
            if (ipByMac.containsKey(d.mac())) {
                continue;
            }
            int missed = d.missedScans() + 1;
            if (missed >= offlineAfter) {
                it.remove();
                changes.add(new DeviceTransition(d.mac(), null, DeviceState.OFFLINE, d.lastSeen()));
            } else {
                entry.setValue(new TrackedDevice(d.mac(), d.ip(), d.lastSeen(), missed));
            }
        }
        ipByMac.forEach((mac, ip) -> {
            if (!online.containsKey(mac)) {
                changes.add(new DeviceTransition(mac, ip, DeviceState.ONLINE, scanTime));
            }
            online.put(mac, new TrackedDevice(mac, ip, scanTime, 0));
        });
        changes.sort(Comparator.comparing(DeviceTransition::time).thenComparing(DeviceTransition::mac));
        return changes;
    }

    /** The MACs the agent considers online (seen, or missed fewer than {@code offlineAfter} times), sorted. */
    public List<String> online() {
        return List.copyOf(online.keySet());
    }

    public List<TrackedDevice> snapshot() {
        return List.copyOf(online.values());
    }

    private static int compareIp(String a, String b) {
        try {
            return Integer.compareUnsigned(Subnet.parse(a + "/32").network(), Subnet.parse(b + "/32").network());
        } catch (IllegalArgumentException notIpv4) {
            return a.compareTo(b);
        }
    }
}
