package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.projection.WorkstationEventRow.UserTimeline;
import dev.rollcall.projection.workstation.RecomputeWindow;
import dev.rollcall.projection.workstation.StateReport;
import dev.rollcall.projection.workstation.WorkRules;
import dev.rollcall.projection.workstation.WorkingDay;
import dev.rollcall.projection.workstation.WorkingInterval;
import dev.rollcall.projection.workstation.WorkingIntervals;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Folds workstation reports into one generation of the read model (tables suffixed {@code _g<N>}, see
 * {@code db/read-model.sql}), in the caller's transaction:
 * <ol>
 *   <li>{@code workstation_event}: every report once, by event id; with {@code workstation_user_day}'s report
 *       count, first and last report and latest state (a commutative merge, so arrival order does not matter);</li>
 *   <li>{@code working_interval}: per user, the stretch of timeline the batch can change ({@link RecomputeWindow})
 *       is re-folded from the stored reports with {@link WorkingIntervals} and its intervals replaced;</li>
 *   <li>{@code workstation_user_day}'s working time and real work hours, re-summed for every day whose
 *       intervals were replaced.</li>
 * </ol>
 * Steps 2 and 3 run for re-delivered reports too: they are idempotent, and so a replay into existing tables
 * still ends in the same rows.
 *
 * <p>A new generation loads in bulk ({@code projection.workstation.bulk-load}): while it reads the history,
 * {@link #load} only appends the reports to {@code workstation_event}, which has neither key nor index then;
 * once caught up, {@link #finishLoading} drops repeated ids, builds the key and index, and folds every user's
 * whole timeline with the same {@link WorkingIntervals} and day sums as above, so the rows are the same.
 */
@ApplicationScoped
public class WorkstationDayProjection implements Projection {

    public static final String NAME = "workstation-day";
    /** The fold code's version, recorded with each generation. 2: working intervals and real work hours. */
    public static final int VERSION = 2;

    /** The batch's reports, once each by event id, in one statement (arrays, one element per report): answers the new ones. */
    static final String STORE_REPORTS = """
            INSERT INTO workstation_event_g{g} (event_id, site, username, host, state, occurred_at, local_date, source)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::date[], $8::text[])
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id""";

    /** While loading: the batch's reports appended, repeated ids and all (the load's end drops them). */
    static final String LOAD_REPORTS = """
            INSERT INTO workstation_event_g{g} (event_id, site, username, host, state, occurred_at, local_date, source)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::date[], $8::text[])""";

    /**
     * The load's end, when a report's id turned out to be taken by another report (not a re-send, which is caught
     * cheaper, see {@link #LOADED_REPORTS}): first, every report whose id came before (in the order stored) is
     * dropped, as the first delivery wins in {@link #STORE_REPORTS}; answers how many.
     */
    static final String DROP_REPEATED_IDS = """
            DELETE FROM workstation_event_g{g} WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY event_id ORDER BY ctid) AS n
                                  FROM workstation_event_g{g}) x
                WHERE n > 1))""";

    /**
     * Every report, in the order of the index by day (just built; read through it, no sort): each user's reports
     * come in time order as long as the site's zone stayed the same, and a re-sent report's copies (same id, time
     * and user) among the reports of their instant. The fold skips them and names them for {@link #DROP_REPEATS}.
     */
    static final String LOADED_REPORTS_BY_DAY = """
            SELECT site, username, local_date, event_id, occurred_at, state FROM workstation_event_g{g}
            ORDER BY site, local_date, username, occurred_at""";

    /** The same, sorted user by user, for a load whose local dates are not in time order (a zone changed meanwhile). */
    static final String LOADED_REPORTS_BY_USER = """
            SELECT site, username, local_date, event_id, occurred_at, state FROM workstation_event_g{g}
            ORDER BY site, username, occurred_at, event_id""";

    /**
     * The copies of the re-sent reports but the first stored, found through the day index (one probe per re-sent
     * report: id, site, local date, user, time, each report once); answers how many.
     */
    static final String DROP_REPEATS = """
            DELETE FROM workstation_event_g{g} WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM (
                    SELECT e.ctid, row_number() OVER (PARTITION BY e.event_id ORDER BY e.ctid) AS n
                    FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[], $5::timestamptz[])
                         AS r(id, site, local_date, username, occurred_at)
                    CROSS JOIN LATERAL (
                        SELECT ctid, event_id FROM workstation_event_g{g} e
                        WHERE e.site = r.site AND e.local_date = r.local_date AND e.username = r.username
                          AND e.occurred_at = r.occurred_at AND e.event_id = r.id OFFSET 0) e) x
                WHERE n > 1))""";

    /** The sites the load met (each load batch records its sites' rules, as a fold does). */
    static final String LOADED_SITES = """
            SELECT DISTINCT site FROM workstation_site_rules_g{g}""";

    /** Last, every day's working time, real work blocks, first and last work, summed from its intervals (as {@link #RESUM_DAYS}). */
    static final String SUM_ALL_DAYS = """
            UPDATE workstation_user_day_g{g} d
            SET working_seconds = s.working_seconds, real_work_blocks = s.real_work_blocks,
                first_work_at = s.first_work_at, last_work_at = s.last_work_at
            FROM (SELECT site, username, local_date,
                         coalesce(floor(sum(extract(epoch FROM end_at - start_at))), 0)::bigint AS working_seconds,
                         coalesce(sum(real_work_blocks), 0)::integer AS real_work_blocks,
                         min(start_at) AS first_work_at, max(end_at) AS last_work_at
                  FROM working_interval_g{g} GROUP BY site, username, local_date) s
            WHERE d.site = s.site AND d.username = s.username AND d.local_date = s.local_date""";

    /**
     * The new reports merged into their user-days (summed per user-day in memory first: an upsert may touch each
     * row once): a commutative merge, so arrival order does not matter.
     */
    static final String MERGE_DAYS = """
            INSERT INTO workstation_user_day_g{g} AS d (site, local_date, username, reports, first_at, last_at, last_state)
            SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::integer[], $5::timestamptz[], $6::timestamptz[], $7::text[])
            ON CONFLICT (site, local_date, username) DO UPDATE SET
                reports = d.reports + excluded.reports,
                first_at = LEAST(d.first_at, excluded.first_at),
                last_at = GREATEST(d.last_at, excluded.last_at),
                last_state = CASE
                    WHEN excluded.last_at > d.last_at THEN excluded.last_state
                    WHEN excluded.last_at = d.last_at THEN GREATEST(excluded.last_state, d.last_state)
                    ELSE d.last_state END""";

    /**
     * The rules of the batch's sites, once per batch: the roster's where its {@code SiteConfigured} gives them
     * (answered per site, null where it does not), the configuration's otherwise ($2, $3 in seconds, with the zone).
     * A site whose rules differ from the ones this generation last folded it with gets a row in
     * {@code workstation_site_rules}, so that pages can say what a day was computed with.
     */
    static final String SITE_RULES = """
            WITH t AS (SELECT * FROM unnest($1::text[], $2::integer[], $3::integer[], $4::text[])
                       AS t(site, config_timeout_seconds, config_block_seconds, zone)),
            r AS (
                SELECT t.site, t.zone, ro.auto_timeout_minutes, ro.real_work_block_minutes,
                       coalesce(ro.auto_timeout_minutes * 60, t.config_timeout_seconds) AS auto_timeout_seconds,
                       coalesce(ro.real_work_block_minutes * 60, t.config_block_seconds) AS real_work_block_seconds,
                       CASE WHEN ro.auto_timeout_minutes IS NOT NULL AND ro.real_work_block_minutes IS NOT NULL THEN 'roster'
                            WHEN ro.auto_timeout_minutes IS NOT NULL OR ro.real_work_block_minutes IS NOT NULL
                                THEN 'roster and configuration'
                            ELSE 'configuration' END AS source
                FROM t LEFT JOIN rollcall_roster_work_rules($1::text[]) ro ON ro.site = t.site),
            newest AS (
                SELECT DISTINCT ON (site) site, auto_timeout_seconds, real_work_block_seconds, zone, source
                FROM workstation_site_rules_g{g} WHERE site = ANY($1::text[]) ORDER BY site, since DESC),
            recorded AS (
                INSERT INTO workstation_site_rules_g{g} AS s (site, auto_timeout_seconds, real_work_block_seconds, zone, source)
                SELECT r.site, r.auto_timeout_seconds, r.real_work_block_seconds, r.zone, r.source
                FROM r LEFT JOIN newest n ON n.site = r.site
                WHERE n.site IS NULL OR (n.auto_timeout_seconds, n.real_work_block_seconds, n.zone, n.source)
                      IS DISTINCT FROM (r.auto_timeout_seconds, r.real_work_block_seconds, r.zone, r.source)
                ON CONFLICT (site, auto_timeout_seconds, real_work_block_seconds, zone, source) DO UPDATE SET since = now())
            SELECT site, auto_timeout_minutes, real_work_block_minutes FROM r""";

    /** The per-user statements take arrays, one element per user timeline of the batch: a few round trips per batch. */
    static final String TIMELINE_WINDOWS = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS t(site, username, lo, hi, i)""";

    /*
     * The lookups join each user's window to an index with a LATERAL subquery that OFFSET 0 keeps from being
     * flattened: for a few hundred users the planner otherwise hashes the whole table (make bench: 15.8 ms per
     * batch on a month of intervals, where the index probes take 3.6).
     */
    static final String INTERVALS_TOUCHING = """
            SELECT t.i, w.ctid::text AS row_id, w.start_at, w.end_at, w.ended_by, w.last_report_at, w.reports, w.local_date,
                   w.block_seconds
            FROM %s CROSS JOIN LATERAL (
                SELECT ctid, * FROM working_interval_g{g} w
                WHERE w.site = t.site AND w.username = t.username AND w.end_at >= t.lo AND w.start_at <= t.hi OFFSET 0) w""".formatted(TIMELINE_WINDOWS);

    /**
     * The stored reports in each window, read before the batch's own are stored (those the fold has in memory).
     * Through the readers' index by day, one probe per user and local day: the window's days, and one more on
     * each side in case the site's zone was changed without a rebuild (a day is at most a day off then).
     */
    static final String REPORTS_BETWEEN = """
            SELECT t.i, e.event_id, e.occurred_at, e.state
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::date[], $6::date[])
                 WITH ORDINALITY AS t(site, username, lo, hi, first_day, last_day, i)
            CROSS JOIN LATERAL generate_series(0, t.last_day - t.first_day + 2) AS d(n)
            CROSS JOIN LATERAL (
                SELECT event_id, occurred_at, state FROM workstation_event_g{g} e
                WHERE e.site = t.site AND e.local_date = t.first_day - 1 + d.n
                  AND e.username = t.username AND e.occurred_at BETWEEN t.lo AND t.hi OFFSET 0) e""";

    /** The replaced intervals, by the row ids the lookup found them at (in this transaction: they cannot move). */
    static final String DELETE_INTERVALS = """
            DELETE FROM working_interval_g{g} WHERE ctid = ANY($1::text[]::tid[])""";

    static final String INSERT_INTERVALS = """
            INSERT INTO working_interval_g{g} (site, username, start_at, end_at, ended_by, last_report_at, reports,
                                               local_date, real_work_blocks, block_seconds)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::timestamptz[],
                                 $7::integer[], $8::date[], $9::integer[], $10::integer[])""";

    /** The changed days' working time, real work blocks, first and last work, summed again from their intervals. */
    static final String RESUM_DAYS = """
            UPDATE workstation_user_day_g{g} d
            SET working_seconds = s.working_seconds, real_work_blocks = s.real_work_blocks,
                first_work_at = s.first_work_at, last_work_at = s.last_work_at
            FROM (SELECT k.site, k.username, k.local_date,
                         coalesce(floor(sum(extract(epoch FROM w.end_at - w.start_at))), 0)::bigint AS working_seconds,
                         coalesce(sum(w.real_work_blocks), 0)::integer AS real_work_blocks,
                         min(w.start_at) AS first_work_at, max(w.end_at) AS last_work_at
                  FROM unnest($1::text[], $2::text[], $3::date[]) AS k(site, username, local_date)
                  LEFT JOIN LATERAL (
                      SELECT start_at, end_at, real_work_blocks FROM working_interval_g{g} w
                      WHERE w.site = k.site AND w.username = k.username AND w.local_date = k.local_date OFFSET 0) w ON true
                  GROUP BY k.site, k.username, k.local_date) s
            WHERE d.site = s.site AND d.username = s.username AND d.local_date = s.local_date""";

    private final ProjectionConfig config;
    private final Map<Integer, Statements> statements = new ConcurrentHashMap<>();
    /** Generations whose load met an id taken by two different reports: their load's end drops repeats table-wide. */
    private final Set<Integer> idsTakenTwice = ConcurrentHashMap.newKeySet();
    /** Generations whose load's local dates were out of time order for a user: their load's end sorts user by user. */
    private final Set<Integer> datesOutOfOrder = ConcurrentHashMap.newKeySet();

    public WorkstationDayProjection(ProjectionConfig config) {
        this.config = config;
    }

    /** The statements of one generation: the same SQL against that generation's own tables. */
    record Statements(String siteRules, String storeReports, String mergeDays, String intervalsTouching, String reportsBetween,
                      String deleteIntervals, String insertIntervals, String resumDays, String loadReports, String dropRepeatedIds,
                      String loadedSites, String loadedReportsByDay, String loadedReportsByUser, String dropRepeats,
                      String sumAllDays, String analyze) {
        static Statements of(int g) {
            UnaryOperator<String> in = sql -> sql.replace("{g}", Integer.toString(g));
            return new Statements(in.apply(SITE_RULES), in.apply(STORE_REPORTS), in.apply(MERGE_DAYS), in.apply(INTERVALS_TOUCHING),
                    in.apply(REPORTS_BETWEEN), in.apply(DELETE_INTERVALS), in.apply(INSERT_INTERVALS), in.apply(RESUM_DAYS),
                    in.apply(LOAD_REPORTS), in.apply(DROP_REPEATED_IDS), in.apply(LOADED_SITES), in.apply(LOADED_REPORTS_BY_DAY),
                    in.apply(LOADED_REPORTS_BY_USER), in.apply(DROP_REPEATS), in.apply(SUM_ALL_DAYS), in.apply("ANALYZE workstation_event_g{g}, working_interval_g{g}, workstation_user_day_g{g}"));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int codeVersion() {
        return VERSION;
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.WORKSTATION);
    }

    @Override
    public String rules() {
        return config.describeWorkRules();
    }

    @Override
    public ProjectionConfig.Consuming consuming() {
        return config.workstation();
    }

    @Override
    public void checkRules() {
        config.workRulesOf("any-site");
        config.workstation().sites().keySet().forEach(config::workRulesOf);
    }

    @Override
    public Uni<Folded> fold(SqlConnection tx, int generation, PartitionBatch batch) {
        List<WorkstationEventRow> rows = rows(batch);
        return fold(tx, generation, rows).map(fresh -> new Folded(fresh, rows.size() - fresh));
    }

    private List<WorkstationEventRow> rows(PartitionBatch batch) {
        List<WorkstationEventRow> rows = new ArrayList<>(batch.events().size());
        for (EventEnvelope e : batch.events()) {
            if (e.data() instanceof WorkstationStateChanged w) {
                rows.add(WorkstationEventRow.of(e, w, config.zoneOf(e.site())));
            }
        }
        return rows;
    }

    @Override
    public boolean loadsInBulk() {
        return config.workstation().bulkLoad();
    }

    /** Appends the batch's reports (repeated ids too), and records the rules of its sites as {@link #fold} does. */
    @Override
    public Uni<Folded> load(SqlConnection tx, int generation, PartitionBatch batch) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        List<WorkstationEventRow> rows = rows(batch);
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Folded.NOTHING);
        }
        Set<String> sites = new LinkedHashSet<>();
        rows.forEach(r -> sites.add(r.site()));
        return siteRules(tx, sql, sites)
                .chain(() -> tx.preparedQuery(sql.loadReports()).execute(storeTuple(rows)))
                .map(done -> new Folded(rows.size(), 0));
    }

    /**
     * Folds the loaded reports: builds the index by day and reads every report in its order, skipping the copies of
     * re-sent reports, folds each user's timeline ({@link LoadedTimelines}) with the rules in force now, drops the
     * copies, builds the key, then stores the intervals and user-days and sums the days, as {@link #fold} would have
     * left them. Two cases make it fail, roll back and try again another way: a user's reports out of time order in
     * the day order (a site's zone changed during the load; the next try sorts user by user), and two different
     * reports sharing an id (not a re-send: building the key fails; the next try first drops every repeated id over
     * the whole table, {@link #DROP_REPEATED_IDS}).
     */
    @Override
    public Uni<Folded> finishLoading(SqlConnection tx, int generation) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        boolean wholeTable = idsTakenTwice.contains(generation);
        boolean byUser = datesOutOfOrder.contains(generation);
        return tx.query("SET LOCAL work_mem = '256MB'").execute()
                .chain(() -> tx.query("SET LOCAL maintenance_work_mem = '512MB'").execute())
                .chain(() -> tx.query(sql.loadedSites()).execute())
                .chain(found -> {
                    List<String> sites = new ArrayList<>();
                    found.forEach(r -> sites.add(r.getString("site")));
                    return siteRules(tx, sql, sites);
                })
                .chain(rules -> {
                    LoadedTimelines timelines = new LoadedTimelines(rules, !byUser);
                    Uni<Integer> before = wholeTable
                            ? tx.query(sql.dropRepeatedIds()).execute().map(SqlResult::rowCount)
                            : Uni.createFrom().item(0);
                    Uni<Void> read = byUser
                            ? tx.prepare(sql.loadedReportsByUser()).chain(ps -> readAll(ps.cursor(), timelines))
                            // the planner has no statistics of the new table yet: through the index, not a sort
                            : tx.query("SET LOCAL enable_sort = off").execute()
                                    .chain(() -> tx.prepare(sql.loadedReportsByDay()))
                                    .chain(ps -> readAll(ps.cursor(), timelines))
                                    .call(() -> tx.query("SET LOCAL enable_sort = on").execute())
                                    .onFailure(OutOfTimeOrder.class).invoke(() -> datesOutOfOrder.add(generation));
                    return before.chain(dropped -> tx.preparedQuery("SELECT rollcall_workstation_day_day_index($1)")
                            .execute(Tuple.of(generation)).chain(() -> read)
                            .chain(() -> timelines.repeated.isEmpty() ? Uni.createFrom().item(0)
                                    : tx.preparedQuery(sql.dropRepeats()).execute(timelines.repeatedTuple()).map(SqlResult::rowCount))
                            .call(() -> tx.preparedQuery("SELECT rollcall_workstation_day_index($1)").execute(Tuple.of(generation))
                                    .onFailure(WorkstationDayProjection::isUniqueViolation).invoke(() -> idsTakenTwice.add(generation)))
                            .call(() -> timelines.store(tx, sql))
                            .call(() -> tx.query(sql.sumAllDays()).execute())
                            .call(() -> tx.query(sql.analyze()).execute()) // the planner's view of tables that grew all at once
                            .map(repeats -> new Folded(timelines.reportCount, dropped + repeats)));
                });
    }

    private static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    /** Reads a cursor to its end, a chunk at a time, handing each row to {@code timelines}. */
    private static Uni<Void> readAll(Cursor cursor, LoadedTimelines timelines) {
        return cursor.read(20_000).chain(rows -> {
            rows.forEach(timelines::add);
            return cursor.hasMore() ? readAll(cursor, timelines) : cursor.close();
        });
    }

    /**
     * The load's end: folds the reports as they are read, each user's in time order (the readers' day order, or
     * user by user), without holding them all. A user's timeline is folded in pieces cut where two consecutive
     * reports are more than the auto-timeout apart: {@link WorkingIntervals} closes any open interval there and
     * starts afresh, so the pieces' intervals are the whole timeline's. User-days are summed as the rows pass.
     */
    private static final class LoadedTimelines {
        private final Map<String, WorkRules> rules;
        /** Reports must come in time order per user (the day order); if not, the read fails with {@link OutOfTimeOrder}. */
        private final boolean checkOrder;
        private final Map<UserTimeline, Piece> pieces = new HashMap<>();
        private final Map<UserDayKey, UserDayReports> days = new LinkedHashMap<>();
        private final List<WorkingIntervalRow> intervals = new ArrayList<>();
        /** The re-sent reports, each once, by id. */
        final Map<UUID, Repeat> repeated = new HashMap<>();
        int reportCount;
        private Piece piece;
        private String pieceSite;
        private String pieceUser;

        LoadedTimelines(Map<String, WorkRules> rules, boolean checkOrder) {
            this.rules = rules;
            this.checkOrder = checkOrder;
        }

        /** One user's reports since the last cut, and the ids seen at the latest instant (to know copies). */
        private static final class Piece {
            final UserTimeline timeline;
            final List<StateReport> reports = new ArrayList<>();
            final Set<UUID> idsAtLast = new HashSet<>();
            Instant last;

            Piece(UserTimeline timeline) {
                this.timeline = timeline;
            }
        }

        private record UserDayKey(String site, LocalDate date, String username) {
        }

        /** A row of the loaded reports' query, read by position (millions of them: no lookups by name). */
        void add(Row r) {
            String site = r.getString(0);
            String username = r.getString(1);
            if (piece == null || !site.equals(pieceSite) || !username.equals(pieceUser)) {
                piece = pieces.computeIfAbsent(new UserTimeline(site, username), Piece::new);
                pieceSite = site;
                pieceUser = username;
            }
            UUID id = r.getUUID(3);
            Instant at = r.getOffsetDateTime(4).toInstant();
            if (piece.last != null) {
                int order = at.compareTo(piece.last);
                if (order < 0 && checkOrder) {
                    throw new OutOfTimeOrder();
                }
                if (order == 0 && !piece.idsAtLast.add(id)) { // a copy of a re-sent report
                    repeated.computeIfAbsent(id, k -> new Repeat(id, site, r.getLocalDate(2), username, at.atOffset(ZoneOffset.UTC)));
                    return;
                }
                if (order > 0) {
                    if (java.time.Duration.between(piece.last, at).compareTo(rules.get(site).autoTimeout()) > 0) {
                        foldPiece(piece);
                    }
                    piece.idsAtLast.clear();
                    piece.idsAtLast.add(id);
                }
            } else {
                piece.idsAtLast.add(id);
            }
            piece.last = at;
            String state = r.getString(5);
            piece.reports.add(new StateReport(id, at, WorkstationState.fromWire(state)));
            days.computeIfAbsent(new UserDayKey(site, r.getLocalDate(2), username), k -> new UserDayReports())
                    .add(at.atOffset(ZoneOffset.UTC), state);
            reportCount++;
        }

        /** The re-sent reports, for {@link #DROP_REPEATS}. */
        Tuple repeatedTuple() {
            List<Repeat> rows = List.copyOf(repeated.values());
            return Tuple.tuple().addArrayOfUUID(rows.stream().map(Repeat::id).toArray(UUID[]::new))
                    .addArrayOfString(rows.stream().map(Repeat::site).toArray(String[]::new))
                    .addArrayOfLocalDate(rows.stream().map(Repeat::date).toArray(LocalDate[]::new))
                    .addArrayOfString(rows.stream().map(Repeat::username).toArray(String[]::new))
                    .addArrayOfOffsetDateTime(rows.stream().map(Repeat::at).toArray(OffsetDateTime[]::new));
        }

        /** A re-sent report, where the day index finds its copies. */
        private record Repeat(UUID id, String site, LocalDate date, String username, OffsetDateTime at) {
        }

        private void foldPiece(Piece p) {
            WorkRules r = rules.get(p.timeline.site());
            for (WorkingInterval i : WorkingIntervals.fold(p.reports, r.autoTimeout())) {
                intervals.add(new WorkingIntervalRow(p.timeline.site(), p.timeline.username(), r, i, WorkingDay.dayOf(i, r.zone())));
            }
            p.reports.clear();
        }

        /** Folds the last pieces, then stores what was folded, in chunks (a statement's arrays stay a few MB). */
        Uni<Void> store(SqlConnection tx, Statements sql) {
            pieces.values().forEach(this::foldPiece);
            List<UserDayRow> userDays = new ArrayList<>(days.size());
            days.forEach((k, sum) -> userDays.add(new UserDayRow(k.site(), k.date(), k.username(), sum)));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (int from = 0; from < userDays.size(); from += STORE_CHUNK) {
                List<UserDayRow> chunk = userDays.subList(from, Math.min(userDays.size(), from + STORE_CHUNK));
                chain = chain.call(() -> tx.preparedQuery(sql.mergeDays()).execute(UserDayRow.tuple(chunk)));
            }
            for (int from = 0; from < intervals.size(); from += STORE_CHUNK) {
                List<WorkingIntervalRow> chunk = intervals.subList(from, Math.min(intervals.size(), from + STORE_CHUNK));
                chain = chain.call(() -> tx.preparedQuery(sql.insertIntervals()).execute(WorkingIntervalRow.tuple(chunk)));
            }
            return chain;
        }
    }

    /** A user's reports came out of time order in the day order: the load's end rolls back, and sorts user by user next time. */
    static final class OutOfTimeOrder extends RuntimeException {
        OutOfTimeOrder() {
            super("a user's reports are not in time order by local date (a site's zone changed during the load); "
                    + "the next try reads them user by user");
        }
    }

    private static final int STORE_CHUNK = 20_000;

    /**
     * Applies the rows to generation {@code generation} in the caller's transaction; answers how many were new
     * (the rest were duplicates).
     *
     * <p>Eight statements whatever the batch's size, each over arrays: look up the rules of the batch's sites (the
     * roster's, else the configuration's; recorded in {@code workstation_site_rules} when they changed), find the stored intervals near each user's new
     * reports, read the stored reports of each user's window (before the batch's are stored: the fold has those in
     * memory), store the reports (answering the new ones), then, pipelined on the connection, merge the new ones into
     * their user-days, replace the intervals the refold changed and re-sum the days they start on.
     */
    public Uni<Integer> fold(SqlConnection tx, int generation, List<WorkstationEventRow> rows) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Map<UserTimeline, List<StateReport>> byTimeline = new LinkedHashMap<>();
        rows.forEach(r -> byTimeline.computeIfAbsent(r.timeline(), k -> new ArrayList<>()).add(asStored(r.asReport())));
        List<Refold> refolds = new ArrayList<>(byTimeline.size());

        return siteRules(tx, sql, byTimeline.keySet().stream().map(UserTimeline::site).collect(Collectors.toCollection(LinkedHashSet::new)))
                .invoke(rules -> byTimeline.forEach((timeline, reports) ->
                        refolds.add(new Refold(timeline, reports, rules.get(timeline.site())))))
                .chain(() -> tx.preparedQuery(sql.intervalsTouching()).execute(windows(refolds, Refold::reach)))
                .invoke(found -> found.forEach(r -> at(refolds, r).touching(r)))
                .chain(() -> tx.preparedQuery(sql.reportsBetween()).execute(windowsWithDays(refolds)))
                .invoke(found -> found.forEach(r -> at(refolds, r).reports.add(report(r))))
                .chain(() -> tx.preparedQuery(sql.storeReports()).execute(storeTuple(rows)))
                .chain(inserted -> {
                    Set<UUID> fresh = new HashSet<>(inserted.size() * 2);
                    inserted.forEach(r -> fresh.add(r.getUUID("event_id")));
                    // sent together: the connection pipelines them, and PostgreSQL runs them in this order
                    Uni<Void> days = tx.preparedQuery(sql.mergeDays()).execute(UserDayReports.tuple(rows, new HashSet<>(fresh)))
                            .replaceWithVoid();
                    Uni<Void> replaced = replaceIntervals(tx, sql, refolds);
                    return Uni.combine().all().unis(days, replaced).with((a, b) -> fresh.size());
                });
    }

    /**
     * The rules of each site of the batch, looked up once per batch: the roster's where it gives them, else the
     * configuration's for the site, else the default. The zone is the configuration's.
     */
    private Uni<Map<String, WorkRules>> siteRules(SqlConnection tx, Statements sql, Collection<String> siteIds) {
        Map<String, WorkRules> configured = new LinkedHashMap<>();
        siteIds.forEach(site -> configured.computeIfAbsent(site, config::workRulesOf));
        int n = configured.size();
        String[] sites = configured.keySet().toArray(String[]::new);
        Integer[] timeouts = new Integer[n];
        Integer[] blocks = new Integer[n];
        String[] zones = new String[n];
        for (int k = 0; k < n; k++) {
            WorkRules r = configured.get(sites[k]);
            timeouts[k] = (int) r.autoTimeout().toSeconds();
            blocks[k] = (int) r.realWorkBlock().toSeconds();
            zones[k] = r.zone().getId();
        }
        return tx.preparedQuery(sql.siteRules()).execute(Tuple.tuple().addArrayOfString(sites).addArrayOfInteger(timeouts)
                        .addArrayOfInteger(blocks).addArrayOfString(zones))
                .map(found -> {
                    Map<String, WorkRules> rules = new HashMap<>(configured);
                    for (Row r : found) {
                        WorkRules c = configured.get(r.getString("site"));
                        Integer timeout = r.getInteger("auto_timeout_minutes");
                        Integer block = r.getInteger("real_work_block_minutes");
                        rules.put(r.getString("site"), new WorkRules(c.zone(),
                                timeout == null ? c.autoTimeout() : java.time.Duration.ofMinutes(timeout),
                                block == null ? c.realWorkBlock() : java.time.Duration.ofMinutes(block)));
                    }
                    return rules;
                });
    }

    /** The new reports of one user-day, summed: how many, the first and last, the state at the last (working wins a tie). */
    private static final class UserDayReports {
        int reports;
        OffsetDateTime first;
        OffsetDateTime last;
        String lastState;

        void add(OffsetDateTime at, String state) {
            reports++;
            if (first == null || at.isBefore(first)) {
                first = at;
            }
            if (last == null || at.isAfter(last)) {
                last = at;
                lastState = state;
            } else if (at.isEqual(last) && state.compareTo(lastState) > 0) {
                lastState = state;
            }
        }

        /** The user-days of the new rows (each id counted once: {@code fresh} is used up). */
        static Tuple tuple(List<WorkstationEventRow> rows, Set<UUID> fresh) {
            record Key(String site, LocalDate date, String username) {
            }
            Map<Key, UserDayReports> days = new LinkedHashMap<>();
            for (WorkstationEventRow r : rows) {
                if (fresh.remove(r.eventId())) {
                    days.computeIfAbsent(new Key(r.site(), r.localDate(), r.username()), k -> new UserDayReports())
                            .add(r.occurredAt(), r.state());
                }
            }
            List<UserDayRow> out = new ArrayList<>(days.size());
            days.forEach((k, sum) -> out.add(new UserDayRow(k.site(), k.date(), k.username(), sum)));
            return UserDayRow.tuple(out);
        }
    }

    /** A user-day's reports, summed, as {@link #MERGE_DAYS} takes them. */
    private record UserDayRow(String site, LocalDate date, String username, UserDayReports sum) {
        static Tuple tuple(List<UserDayRow> days) {
            int n = days.size();
            String[] sites = new String[n];
            LocalDate[] dates = new LocalDate[n];
            String[] users = new String[n];
            Integer[] reports = new Integer[n];
            OffsetDateTime[] firsts = new OffsetDateTime[n];
            OffsetDateTime[] lasts = new OffsetDateTime[n];
            String[] states = new String[n];
            for (int k = 0; k < n; k++) {
                UserDayRow d = days.get(k);
                sites[k] = d.site();
                dates[k] = d.date();
                users[k] = d.username();
                reports[k] = d.sum().reports;
                firsts[k] = d.sum().first;
                lasts[k] = d.sum().last;
                states[k] = d.sum().lastState;
            }
            return Tuple.tuple().addArrayOfString(sites).addArrayOfLocalDate(dates).addArrayOfString(users)
                    .addArrayOfInteger(reports).addArrayOfOffsetDateTime(firsts).addArrayOfOffsetDateTime(lasts)
                    .addArrayOfString(states);
        }
    }

    private static Tuple storeTuple(List<WorkstationEventRow> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        String[] sites = new String[n];
        String[] users = new String[n];
        String[] hosts = new String[n];
        String[] states = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        LocalDate[] dates = new LocalDate[n];
        String[] sources = new String[n];
        for (int k = 0; k < n; k++) {
            WorkstationEventRow r = rows.get(k);
            ids[k] = r.eventId();
            sites[k] = r.site();
            users[k] = r.username();
            hosts[k] = r.host();
            states[k] = r.state();
            times[k] = r.occurredAt();
            dates[k] = r.localDate();
            sources[k] = r.source();
        }
        return Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(sites).addArrayOfString(users).addArrayOfString(hosts)
                .addArrayOfString(states).addArrayOfOffsetDateTime(times).addArrayOfLocalDate(dates).addArrayOfString(sources);
    }

    /**
     * One user's part of a batch: the reports it brought, the stored intervals near them, the window to refold
     * ({@link RecomputeWindow}), the stored reports in it and the days whose intervals changed.
     */
    private static final class Refold {
        final UserTimeline timeline;
        final WorkRules rules;
        final Instant earliest;
        final Instant latest;
        final List<WorkingInterval> touching = new ArrayList<>();
        /** Where each touching interval is stored, and the day it counts on. */
        final Map<WorkingInterval, StoredAt> stored = new HashMap<>();
        /** The batch's reports, then the stored ones of the window: the fold drops repeated ids. */
        final List<StateReport> reports;
        final TreeSet<LocalDate> days = new TreeSet<>();
        private RecomputeWindow window;

        Refold(UserTimeline timeline, List<StateReport> batch, WorkRules rules) {
            this.timeline = timeline;
            this.rules = rules;
            this.reports = batch;
            this.earliest = batch.stream().map(StateReport::at).min(Comparator.naturalOrder()).orElseThrow();
            this.latest = batch.stream().map(StateReport::at).max(Comparator.naturalOrder()).orElseThrow();
        }

        void touching(Row r) {
            touching.add(interval(r));
            stored.put(touching.getLast(), new StoredAt(r.getString("row_id"), r.getLocalDate("local_date"),
                    r.getInteger("block_seconds")));
        }

        RecomputeWindow reach() {
            return RecomputeWindow.reach(earliest, latest, rules.autoTimeout());
        }

        /** Known once the touching intervals are in. */
        RecomputeWindow window() {
            if (window == null) {
                window = RecomputeWindow.around(earliest, latest, touching, rules.autoTimeout());
            }
            return window;
        }
    }

    /**
     * The window's stored intervals are exactly the touching ones: the window is the reach widened to their whole
     * length, and a user's intervals do not overlap, so no other interval starts in it. Those the refold of the
     * window's reports changed are replaced, and the days of the old and the new re-summed.
     */
    private static Uni<Void> replaceIntervals(SqlConnection tx, Statements sql, List<Refold> refolds) {
        List<String> deletes = new ArrayList<>();
        List<WorkingIntervalRow> inserts = new ArrayList<>();
        for (Refold f : refolds) {
            Map<WorkingInterval, StoredAt> replaced = new HashMap<>(f.stored);
            int blockSeconds = (int) f.rules.realWorkBlock().toSeconds();
            for (WorkingInterval i : WorkingIntervals.fold(f.reports, f.rules.autoTimeout())) {
                StoredAt same = replaced.get(i);
                if (same != null && same.blockSeconds() == blockSeconds) {
                    replaced.remove(i); // an interval the refold left as it was stays, and its day as it is
                } else { // new, or counted with another block length before a rule change: replaced
                    LocalDate day = WorkingDay.dayOf(i, f.rules.zone());
                    f.days.add(day);
                    inserts.add(new WorkingIntervalRow(f.timeline.site(), f.timeline.username(), f.rules, i, day));
                }
            }
            replaced.values().forEach(at -> {
                deletes.add(at.rowId());
                f.days.add(at.day());
            });
        }
        List<Uni<Void>> steps = new ArrayList<>();
        if (!deletes.isEmpty()) {
            steps.add(tx.preparedQuery(sql.deleteIntervals()).execute(Tuple.of(deletes.toArray(String[]::new))).replaceWithVoid());
        }
        if (!inserts.isEmpty()) {
            steps.add(tx.preparedQuery(sql.insertIntervals()).execute(WorkingIntervalRow.tuple(inserts)).replaceWithVoid());
        }
        List<String> sites = new ArrayList<>();
        List<String> users = new ArrayList<>();
        List<LocalDate> dates = new ArrayList<>();
        refolds.forEach(f -> f.days.forEach(d -> {
            sites.add(f.timeline.site());
            users.add(f.timeline.username());
            dates.add(d);
        }));
        if (!dates.isEmpty()) {
            steps.add(tx.preparedQuery(sql.resumDays()).execute(Tuple.of(sites.toArray(String[]::new),
                    users.toArray(String[]::new), dates.toArray(LocalDate[]::new))).replaceWithVoid());
        }
        return steps.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(steps).andFailFast().replaceWithVoid();
    }

    private record StoredAt(String rowId, LocalDate day, int blockSeconds) {
    }

    private record WorkingIntervalRow(String site, String username, WorkRules rules, WorkingInterval interval, LocalDate day) {
        static Tuple tuple(List<WorkingIntervalRow> rows) {
            int n = rows.size();
            String[] sites = new String[n];
            String[] users = new String[n];
            OffsetDateTime[] starts = new OffsetDateTime[n];
            OffsetDateTime[] ends = new OffsetDateTime[n];
            String[] endedBy = new String[n];
            OffsetDateTime[] lastReports = new OffsetDateTime[n];
            Integer[] reports = new Integer[n];
            LocalDate[] days = new LocalDate[n];
            Integer[] blocks = new Integer[n];
            Integer[] blockSeconds = new Integer[n];
            for (int k = 0; k < n; k++) {
                WorkingIntervalRow r = rows.get(k);
                WorkingInterval i = r.interval();
                sites[k] = r.site();
                users[k] = r.username();
                starts[k] = utc(i.start());
                ends[k] = utc(i.end());
                endedBy[k] = i.endedBy().wire();
                lastReports[k] = utc(i.lastReportAt());
                reports[k] = i.reports();
                days[k] = r.day();
                blocks[k] = r.rules().realWorkBlocks(i);
                blockSeconds[k] = (int) r.rules().realWorkBlock().toSeconds();
            }
            return Tuple.tuple().addArrayOfString(sites).addArrayOfString(users).addArrayOfOffsetDateTime(starts)
                    .addArrayOfOffsetDateTime(ends).addArrayOfString(endedBy).addArrayOfOffsetDateTime(lastReports)
                    .addArrayOfInteger(reports).addArrayOfLocalDate(days).addArrayOfInteger(blocks).addArrayOfInteger(blockSeconds);
        }
    }

    /** A report as PostgreSQL stores it (microseconds), so that in-memory and re-read reports fold alike. */
    private static StateReport asStored(StateReport r) {
        Instant at = r.at().truncatedTo(ChronoUnit.MICROS);
        return at.equals(r.at()) ? r : new StateReport(r.id(), at, r.state());
    }

    private static Tuple windows(List<Refold> refolds, java.util.function.Function<Refold, RecomputeWindow> which) {
        List<RecomputeWindow> w = refolds.stream().map(which).toList();
        return Tuple.of(refolds.stream().map(f -> f.timeline.site()).toArray(String[]::new),
                refolds.stream().map(f -> f.timeline.username()).toArray(String[]::new),
                w.stream().map(x -> utc(x.from())).toArray(OffsetDateTime[]::new),
                w.stream().map(x -> utc(x.to())).toArray(OffsetDateTime[]::new));
    }

    /** Each user's window, with the site-local days it spans. */
    private static Tuple windowsWithDays(List<Refold> refolds) {
        Tuple t = windows(refolds, Refold::window);
        return t.addArrayOfLocalDate(refolds.stream().map(f -> f.window().from().atZone(f.rules.zone()).toLocalDate()).toArray(LocalDate[]::new))
                .addArrayOfLocalDate(refolds.stream().map(f -> f.window().to().atZone(f.rules.zone()).toLocalDate()).toArray(LocalDate[]::new));
    }

    private static Refold at(List<Refold> refolds, Row r) {
        return refolds.get((int) (r.getLong("i") - 1));
    }

    private static WorkingInterval interval(Row r) {
        return new WorkingInterval(r.getOffsetDateTime("start_at").toInstant(), r.getOffsetDateTime("end_at").toInstant(),
                WorkingInterval.EndedBy.fromWire(r.getString("ended_by")),
                r.getOffsetDateTime("last_report_at").toInstant(), r.getInteger("reports"));
    }

    private static StateReport report(Row r) {
        return new StateReport(r.getUUID("event_id"), r.getOffsetDateTime("occurred_at").toInstant(),
                WorkstationState.fromWire(r.getString("state")));
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
