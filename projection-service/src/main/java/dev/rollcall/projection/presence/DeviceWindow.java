package dev.rollcall.projection.presence;

import java.time.Instant;

/**
 * The stretch of one device's timeline that new observations can change, so that a late, re-sent or
 * out-of-order observation is folded by re-folding only that stretch, with the same result as folding
 * everything again in order.
 *
 * <p>For new observations between {@code lo} and {@code hi}:
 * <ul>
 *   <li>before {@code lo} nothing changes, so the fold starts in the state the stored intervals give just
 *       before {@code lo}: online since {@code openSince} when a stored interval starts before {@code lo} and
 *       reaches it, else offline;</li>
 *   <li>it ends at {@code to}, the first closing observation (offline change, or a scanning heartbeat not
 *       listing the device) at or after {@code hi} that was stored <em>before</em> this batch: after it the
 *       device was offline both in the stored intervals and in the new fold, and every later observation
 *       folds the same as before. No such observation: {@code to} is null, the window reaches the end.</li>
 * </ul>
 * The stored observations in {@code [lo, to]} are re-folded from that state, and the stored intervals starting
 * in {@code [openSince or lo, to]} are replaced by the result.
 */
public record DeviceWindow(Instant lo, Instant to, Instant openSince) {

    /**
     * @param storedAroundLo the stored interval that starts before {@code lo} and reaches it (or is open), if any
     * @param closingAfterHi the first closing observation at or after {@code hi} stored before the batch, if any
     */
    public static DeviceWindow of(Instant lo, Instant hi, OnlineInterval storedAroundLo, Instant closingAfterHi) {
        if (storedAroundLo != null && !(storedAroundLo.start().isBefore(lo)
                && (storedAroundLo.isOpen() || !storedAroundLo.end().isBefore(lo)))) {
            throw new IllegalArgumentException(storedAroundLo + " does not reach " + lo);
        }
        if (closingAfterHi != null && closingAfterHi.isBefore(hi)) {
            throw new IllegalArgumentException(closingAfterHi + " is before " + hi);
        }
        return new DeviceWindow(lo, closingAfterHi, storedAroundLo == null ? null : storedAroundLo.start());
    }

    /** Whether an observation at {@code t} is re-folded. */
    public boolean refolds(Instant t) {
        return !t.isBefore(lo) && (to == null || !t.isAfter(to));
    }

    /** The earliest start of a stored interval that the re-fold replaces. */
    public Instant replacesFrom() {
        return openSince == null ? lo : openSince;
    }

    /** Whether the stored interval starting at {@code start} is replaced. */
    public boolean replaces(Instant start) {
        return !start.isBefore(replacesFrom()) && (to == null || !start.isAfter(to));
    }
}
