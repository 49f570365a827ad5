package dev.rollcall.projection;

import dev.rollcall.projection.workstation.LocalDays;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A loading batch's workstation reports packed into one piece per user-day ({@link ReportPacking}), in the order they
 * came, re-deliveries too: what the load appends. Built report by report on the decoder thread with nothing made per
 * report (a user's piece of the day is found again without a key object, the local date from {@link LocalDays}).
 */
final class ReportPieces {

    private final Function<String, ZoneRules> zoneOf;
    private final Map<String, SitePieces> sites = new HashMap<>();
    /** The site of the report added last: most batches are one site's (the topic is keyed by site). */
    private SitePieces lastSite;
    private int reports;

    /** @param zoneOf a site's zone, whose dates the user-days are */
    ReportPieces(Function<String, ZoneRules> zoneOf) {
        this.zoneOf = zoneOf;
    }

    void add(String site, String user, long idHigh, long idLow, Instant at, boolean working) {
        SitePieces s = lastSite;
        if (s == null || !s.site.equals(site)) {
            s = sites.computeIfAbsent(site, id -> new SitePieces(id, new LocalDays(zoneOf.apply(id))));
            lastSite = s;
        }
        s.add(user, s.days.epochDay(at)).put(idHigh, idLow, ReportPacking.micros(at), working);
        reports++;
    }

    int reports() {
        return reports;
    }

    /** The sites the reports came from. */
    Set<String> sites() {
        return sites.keySet();
    }

    /** The pieces, each packed to its length. */
    ReportPacking.Days days() {
        ReportPacking.Days days = new ReportPacking.Days();
        forEach((site, user, day, packed) -> days.add(site, day, user, packed.reports()));
        return days;
    }

    /** Hands over each piece, packed to its length (the same buffer each time). */
    void forEach(PieceConsumer to) {
        sites.values().forEach(s -> s.users.forEach((user, pieces) -> pieces.forEach(p -> to.accept(s.site, user, p.day(), p.piece()))));
    }

    @FunctionalInterface
    interface PieceConsumer {
        void accept(String site, String user, LocalDate day, LoadedPieces.Piece piece);
    }

    private record SitePieces(String site, LocalDays days, Map<String, List<Piece>> users) {
        SitePieces(String site, LocalDays days) {
            this(site, days, new HashMap<>());
        }

        /** The user's piece of that day (a user's reports of a batch are on one day or two, seldom more). */
        Piece add(String user, long epochDay) {
            List<Piece> pieces = users.get(user);
            if (pieces == null) {
                pieces = new ArrayList<>(2);
                users.put(user, pieces);
            }
            for (int k = pieces.size() - 1; k >= 0; k--) {
                Piece p = pieces.get(k);
                if (p.epochDay == epochDay) {
                    return p;
                }
            }
            Piece p = new Piece(epochDay);
            pieces.add(p);
            return p;
        }
    }

    /** A user-day's reports of the batch, packed as they came. */
    private static final class Piece {
        final long epochDay;
        private ByteBuffer packed = ReportPacking.allocate(16);
        private int count;
        /** Once handed over: packed to its length. */
        private LoadedPieces.Piece piece;

        Piece(long epochDay) {
            this.epochDay = epochDay;
        }

        LocalDate day() {
            return LocalDate.ofEpochDay(epochDay);
        }

        LoadedPieces.Piece piece() {
            if (piece == null) {
                piece = new LoadedPieces.Piece(day(), packed());
            }
            return piece;
        }

        void put(long idHigh, long idLow, long micros, boolean working) {
            if ((count + 1) * ReportPacking.BYTES > packed.capacity()) {
                ByteBuffer larger = ReportPacking.allocate(count * 2);
                larger.put(0, packed, 0, count * ReportPacking.BYTES);
                packed = larger;
            }
            ReportPacking.put(packed, count++, idHigh, idLow, micros, working);
        }

        ByteBuffer packed() {
            return packed.capacity() == count * ReportPacking.BYTES ? packed
                    : ByteBuffer.wrap(java.util.Arrays.copyOf(packed.array(), count * ReportPacking.BYTES));
        }
    }
}
