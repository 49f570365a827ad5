package dev.rollcall.projection;

import dev.rollcall.projection.WorkstationEventRow.UserTimeline;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a loading workstation-day generation has stored, kept in memory as well while it fits its budget
 * ({@code projection.workstation.load-memory}), so that the load's end folds from it instead of reading every piece
 * back. Only a batch whose transaction committed is added ({@link Projection.Load#stored}), and the table only ever
 * grows while loading, so this holds exactly what the table holds when it holds as many pieces as were given to the
 * table ({@link #holdsAll}). After a restart, another replica's batches, a batch rolled back, or once it outgrew its
 * budget it does not, and the end reads the table as before. Used on the consumer's thread only.
 */
final class LoadedPieces {

    /** A piece as stored: a user-day's reports of one batch, packed as they came. */
    record Piece(LocalDate day, ByteBuffer reports) {
    }

    private final long budget;
    private final Map<UserTimeline, List<Piece>> users = new HashMap<>();
    private long pieces;
    private long bytes;
    private boolean outgrown;

    LoadedPieces(long budget) {
        this.budget = budget;
    }

    /** A piece whose batch has committed, in commit order. */
    void add(String site, String username, LocalDate day, Piece piece) {
        if (outgrown) {
            return;
        }
        bytes += piece.reports().limit();
        if (bytes > budget) {
            outgrown = true; // read back at the end, as a load this long always was
            users.clear();
            return;
        }
        users.computeIfAbsent(new UserTimeline(site, username), u -> new ArrayList<>()).add(piece);
        pieces++;
    }

    /** Whether these are all of the table's pieces, given how many the table was given (its sequence). */
    boolean holdsAll(long given) {
        return !outgrown && pieces == given;
    }

    /**
     * The users by site and user name (the order matters to nothing but how the rows lie in the tables), each with their
     * pieces by day and, within a day, in the order stored, as the table's read gives them.
     */
    List<Map.Entry<UserTimeline, List<Piece>>> byUser() {
        List<Map.Entry<UserTimeline, List<Piece>>> out = new ArrayList<>(users.entrySet());
        out.sort(Map.Entry.comparingByKey(Comparator.comparing(UserTimeline::site).thenComparing(UserTimeline::username)));
        out.forEach(e -> e.getValue().sort(Comparator.comparing(Piece::day))); // stable: a day's pieces stay in stored order
        return out;
    }
}
