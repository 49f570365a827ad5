package dev.rollcall.projection.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The fold from one agent's heartbeats and self-reported outages to its downtimes. Pure: no clock (an outage
 * still going on is the reader's to show, against its own clock, from the last heartbeat).
 *
 * <p>Every gap between consecutive heartbeats longer than the offline threshold (700 s: more than two missed
 * 5-minute beats) is a downtime from the heartbeat before it to the one after it. Reported outages are
 * added; overlapping or touching downtimes are merged, a merged one counting as {@code GAP} if any part was
 * one. Order and repeats of the input do not matter.
 */
public final class Downtimes {

    public static final Duration OFFLINE_AFTER = Duration.ofSeconds(700);

    private Downtimes() {
    }

    public static List<Downtime> of(Collection<Instant> heartbeats, Collection<Downtime> reported, Duration offlineAfter) {
        List<Downtime> all = new ArrayList<>(reported);
        Instant previous = null;
        for (Instant beat : new TreeSet<>(heartbeats)) {
            if (previous != null && Duration.between(previous, beat).compareTo(offlineAfter) > 0) {
                all.add(new Downtime(previous, beat, Downtime.Cause.GAP));
            }
            previous = beat;
        }
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
