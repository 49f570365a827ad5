package dev.rollcall.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Function;

/** What every reader of the read models does the same way: one snapshot per report, instants, the live rules. */
final class ReadModelSql {

    private ReadModelSql() {
    }

    /** Runs the reads in one read-only transaction that sees a single snapshot of the read model. */
    static <T> Uni<T> snapshot(Pool pool, Function<SqlConnection, Uni<T>> reads) {
        return pool.withTransaction(c -> c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute().flatMap(ignored -> reads.apply(c)));
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    /** What the live generation of {@code projection} was computed with: one row of generation and rules, or none. */
    static String liveRules(String projection) {
        return "SELECT generation, rules FROM projection_generation WHERE projection = '" + projection
                + "' AND status = 'live'";
    }

    /** {@code auto-timeout 10 min, … (projection generation 3)}, or empty when no generation is live. */
    static String rules(RowSet<Row> liveRules) {
        for (Row r : liveRules) {
            return r.getString("rules") + " (projection generation " + r.getInteger("generation") + ")";
        }
        return "";
    }
}
