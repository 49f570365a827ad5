package dev.rollcall.projection.workstation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * The fold from one user's reports to their working intervals. Pure: no clock, no I/O.
 *
 * <p>Reports are read in {@link StateReport#ORDER} after dropping repeated reports (the same id at the same time:
 * a report delivered again; the first is kept), so any permutation or duplication of the same reports gives the same
 * intervals. Rules:
 * <ul>
 *   <li>{@code working} opens an interval, or continues the open one when it comes within the auto-timeout of
 *       the previous {@code working};</li>
 *   <li>{@code stopped} within the auto-timeout closes the open interval at its own time; a {@code stopped}
 *       while stopped changes nothing;</li>
 *   <li>with no report for the auto-timeout the interval ends at its last {@code working} plus the timeout;</li>
 *   <li>an interval of zero length (start and stop at the same instant) is no interval.</li>
 * </ul>
 */
public final class WorkingIntervals {

    private WorkingIntervals() {
    }

    public static List<WorkingInterval> fold(Collection<StateReport> reports, Duration autoTimeout) {
        record Delivered(UUID id, Instant at) {
        }
        Map<Delivered, StateReport> once = new LinkedHashMap<>();
        reports.forEach(r -> once.putIfAbsent(new Delivered(r.id(), r.at()), r));
        List<StateReport> ordered = new ArrayList<>(once.values());
        ordered.sort(StateReport.ORDER);
        return foldOrdered(ordered, autoTimeout);
    }

    /**
     * The same fold over reports already without repeats and in {@link StateReport#ORDER} (a whole history read back in
     * order need not be copied, hashed and sorted again).
     */
    public static List<WorkingInterval> foldOrdered(List<StateReport> ordered, Duration autoTimeout) {
        List<WorkingInterval> out = new ArrayList<>();
        Instant start = null;
        Instant last = null;
        int count = 0;
        for (StateReport r : ordered) {
            if (start != null && Duration.between(last, r.at()).compareTo(autoTimeout) > 0) {
                out.add(new WorkingInterval(start, last.plus(autoTimeout), WorkingInterval.EndedBy.TIMEOUT, last, count));
                start = null;
            }
            if (r.working()) {
                if (start == null) {
                    start = r.at();
                    count = 0;
                }
                last = r.at();
                count++;
            } else if (start != null) {
                if (r.at().isAfter(start)) {
                    out.add(new WorkingInterval(start, r.at(), WorkingInterval.EndedBy.STOPPED, last, count));
                }
                start = null;
            }
        }
        if (start != null) {
            out.add(new WorkingInterval(start, last.plus(autoTimeout), WorkingInterval.EndedBy.TIMEOUT, last, count));
        }
        return out;
    }

    /**
     * The same fold over {@code n} reports given by position, in {@link StateReport#ORDER} and without repeats: each
     * one's time in microseconds since 1970 (as reports are stored) and whether it is {@code working}. A bulk load folds
     * a million packed reports this way without making an object of each ({@code WorkingIntervalsTest} holds it to
     * {@link #fold}).
     */
    public static List<WorkingInterval> foldOrdered(int n, IntToLongFunction micros, IntPredicate working, Duration autoTimeout) {
        // a gap of whole microseconds is longer than the timeout exactly when it is longer than its whole microseconds
        long timeout = Math.floorDiv(autoTimeout.toNanos(), 1_000);
        List<WorkingInterval> out = new ArrayList<>();
        boolean open = false;
        long start = 0;
        long last = 0;
        int count = 0;
        for (int k = 0; k < n; k++) {
            long at = micros.applyAsLong(k);
            if (open && at - last > timeout) {
                out.add(new WorkingInterval(instant(start), instant(last).plus(autoTimeout), WorkingInterval.EndedBy.TIMEOUT, instant(last), count));
                open = false;
            }
            if (working.test(k)) {
                if (!open) {
                    open = true;
                    start = at;
                    count = 0;
                }
                last = at;
                count++;
            } else if (open) {
                if (at > start) {
                    out.add(new WorkingInterval(instant(start), instant(at), WorkingInterval.EndedBy.STOPPED, instant(last), count));
                }
                open = false;
            }
        }
        if (open) {
            out.add(new WorkingInterval(instant(start), instant(last).plus(autoTimeout), WorkingInterval.EndedBy.TIMEOUT, instant(last), count));
        }
        return out;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
