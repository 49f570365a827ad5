package dev.rollcall.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The live workstation generation's rules in words, and the rules it folded the site with
     * ({@code workstation_site_rules}: one row per set of rules, since when; the newest is in force), oldest first.
     * Parameter {@code $1}: the site.
     */
    static final String WORKSTATION_SITE_RULES = """
            SELECT g.generation, g.rules, r.auto_timeout_seconds, r.real_work_block_seconds, r.zone, r.source, r.since
            FROM projection_generation g LEFT JOIN workstation_site_rules r ON r.site = $1
            WHERE g.projection = 'workstation-day' AND g.status = 'live' ORDER BY r.since""";

    /**
     * What a site's workstation numbers were computed with: the rules the live generation folded the site with,
     * e.g. {@code hq: auto-timeout 10 min, real work hour = 60 min block (from the roster), days in UTC (projection
     * generation 3)}; where the site's rules changed since the generation was built, the earlier ones too, as days
     * folded before the change keep them until a rebuild. The generation's configured rules when it has not folded
     * the site yet; empty when no generation is live.
     */
    static String siteRules(String site, RowSet<Row> rows) {
        String generation = null;
        List<String> used = new ArrayList<>();
        Instant newestSince = null;
        String configured = null;
        for (Row r : rows) {
            generation = " (projection generation " + r.getInteger("generation") + ")";
            configured = r.getString("rules");
            if (r.getInteger("auto_timeout_seconds") != null) {
                used.add("auto-timeout " + minutes(r.getInteger("auto_timeout_seconds")) + ", real work hour = "
                        + minutes(r.getInteger("real_work_block_seconds")) + " block (" + switch (r.getString("source")) {
                            case "roster" -> "from the roster";
                            case "configuration" -> "as configured";
                            default -> "from the roster and configuration";
                        } + "), days in " + r.getString("zone"));
                newestSince = instant(r, "since");
            }
        }
        if (generation == null) {
            return "";
        }
        if (used.isEmpty()) {
            return configured + generation;
        }
        StringBuilder b = new StringBuilder(site).append(": ").append(used.getLast());
        if (used.size() > 1) {
            b.append("; days folded before ").append(newestSince.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .append(" may still carry ").append(String.join(", then ", used.subList(0, used.size() - 1)))
                    .append(" until a rebuild");
        }
        return b.append(generation).toString();
    }

    private static String minutes(int seconds) {
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    /** {@code auto-timeout 10 min, … (projection generation 3)}, or empty when no generation is live. */
    static String rules(RowSet<Row> liveRules) {
        for (Row r : liveRules) {
            return r.getString("rules") + " (projection generation " + r.getInteger("generation") + ")";
        }
        return "";
    }
}
