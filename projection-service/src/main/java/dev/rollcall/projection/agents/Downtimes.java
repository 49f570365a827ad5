package dev.rollcall.projection.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fold from one agent's heartbeats and self-reported outages to its downtimes. Pure: no clock (an outage
 * still going on is the reader's to show, against its own clock, from the last heartbeat).
 *
 * <p>Every gap between consecutive heartbeats longer than the offline threshold (700 s: more than two missed
 * 5-minute beats) is a downtime from the heartbeat before it to the one after it, unless the one before was a
 * workstation agent's last before a deliberate stop ({@link Beat#signedOff}: its PC was switched off after a logoff
 * or shutdown, which is no outage). Reported outages are added; overlapping or touching downtimes are merged, a
 * merged one counting as {@code GAP} if any part was one. Order and repeats of the input do not matter.
 */
public final class Downtimes {

    public static final Duration OFFLINE_AFTER = Duration.ofSeconds(700);

    private Downtimes() {
    }

    /**
     * A heartbeat as the gap fold sees it.
     *
     * @param signedOff a workstation agent's heartbeat marked {@code stopping}: the silence after it was chosen
     */
    public record Beat(Instant at, boolean signedOff) {
    }

    public static List<Downtime> of(Collection<Instant> heartbeats, Collection<Downtime> reported, Duration offlineAfter) {
        return ofBeats(heartbeats.stream().map(t -> new Beat(t, false)).toList(), reported, offlineAfter);
    }

    public static List<Downtime> ofBeats(Collection<Beat> heartbeats, Collection<Downtime> reported, Duration offlineAfter) {
        List<Downtime> all = new ArrayList<>(reported);
        all.addAll(gaps(heartbeats, offlineAfter));
        return merged(all);
    }

    /** The gaps between consecutive heartbeats, unmerged: each from a heartbeat to the next, in order. */
    private static List<Downtime> gaps(Collection<Beat> heartbeats, Duration offlineAfter) {
        List<Downtime> gaps = new ArrayList<>();
        TreeMap<Instant, Boolean> beats = new TreeMap<>();
        heartbeats.forEach(b -> beats.merge(b.at(), b.signedOff(), Boolean::logicalOr));
        Map.Entry<Instant, Boolean> previous = null;
        for (Map.Entry<Instant, Boolean> beat : beats.entrySet()) {
            if (previous != null && !previous.getValue()
                    && Duration.between(previous.getKey(), beat.getKey()).compareTo(offlineAfter) > 0) {
                gaps.add(new Downtime(previous.getKey(), beat.getKey(), Downtime.Cause.GAP));
            }
            previous = beat;
        }
        return gaps;
    }

    /**
     * Downtimes with the overlapping and touching ones merged, in order; a merged one counts as {@code GAP} if any part
     * was one. Two gaps around a lone heartbeat touch: they are one downtime.
     */
    public static List<Downtime> merged(Collection<Downtime> downtimes) {
        List<Downtime> all = new ArrayList<>(downtimes);
        all.sort(Comparator.comparing(Downtime::start).thenComparing(Downtime::end));
        List<Downtime> merged = new ArrayList<>();
        for (Downtime d : all) {
            Downtime last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && !d.start().isAfter(last.end())) {
                merged.set(merged.size() - 1, new Downtime(last.start(), d.end().isAfter(last.end()) ? d.end() : last.end(),
                        last.cause() == Downtime.Cause.GAP || d.cause() == Downtime.Cause.GAP ? Downtime.Cause.GAP : Downtime.Cause.REPORTED));
            } else {
                merged.add(d);
            }
        }
        return merged;
    }
}
