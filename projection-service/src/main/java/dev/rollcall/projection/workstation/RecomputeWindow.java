package dev.rollcall.projection.workstation;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * The stretch of one user's timeline that new reports can change, so that a late or re-delivered report is
 * folded by recomputing only that stretch, with the same result as folding everything again in order.
 *
 * <p>Reports between {@code from} and {@code to} (inclusive) are re-folded and the stored intervals starting in
 * that range replaced. Why that is enough: a report at {@code t} can only continue, cut or join intervals that
 * reach within the auto-timeout of {@code t}. So the range is {@code [min - timeout, max + timeout]} widened to
 * the whole of every stored interval touching it. At {@code from} no stored interval is open, and after
 * {@code to} no stored report is within the timeout of a re-folded one: the fold can start closed at
 * {@code from} and the timeline beyond {@code to} stays as it was.
 */
public record RecomputeWindow(Instant from, Instant to) {

    /** The stored intervals to ask for before calling {@link #around}: those touching this range. */
    public static RecomputeWindow reach(Instant earliest, Instant latest, Duration autoTimeout) {
        return new RecomputeWindow(earliest.minus(autoTimeout), latest.plus(autoTimeout));
    }

    /**
     * @param earliest the earliest new report's time
     * @param latest   the latest new report's time
     * @param touching the stored intervals touching {@link #reach}; others are ignored
     */
    public static RecomputeWindow around(Instant earliest, Instant latest, Collection<WorkingInterval> touching,
                                         Duration autoTimeout) {
        RecomputeWindow reach = reach(earliest, latest, autoTimeout);
        Instant from = reach.from();
        Instant to = reach.to();
        for (WorkingInterval i : touching) {
            if (i.touches(reach.from(), reach.to())) {
                from = i.start().isBefore(from) ? i.start() : from;
                to = i.end().isAfter(to) ? i.end() : to;
            }
        }
        return new RecomputeWindow(from, to);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && !t.isAfter(to);
    }
}
