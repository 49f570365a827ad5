package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationReportScanner;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.projection.WorkstationEventRow.UserTimeline;
import dev.rollcall.projection.workstation.RecomputeWindow;
import dev.rollcall.projection.workstation.StateReport;
import dev.rollcall.projection.workstation.WorkRules;
import dev.rollcall.projection.workstation.WorkingDay;
import dev.rollcall.projection.workstation.WorkingInterval;
import dev.rollcall.projection.workstation.WorkingIntervals;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Folds workstation reports into one generation of the read model (tables suffixed {@code _g<N>}, see
 * {@code db/read-model.sql}), in the caller's transaction:
 * <ol>
 *   <li>{@code workstation_report_day}: every report once, packed per site, local day and user (arrays sorted by
 *       time); with {@code workstation_user_day}'s report count, first and last report and latest state (a
 *       commutative merge, so arrival order does not matter);</li>
 *   <li>{@code working_interval}: per user, the stretch of timeline the batch can change ({@link RecomputeWindow})
 *       is re-folded from the stored reports with {@link WorkingIntervals} and its intervals replaced;</li>
 *   <li>{@code workstation_user_day}'s working time and real work hours, re-summed for every day whose
 *       intervals were replaced.</li>
 * </ol>
 * Steps 2 and 3 run for re-delivered reports too: they are idempotent, and so a replay into existing tables
 * still ends in the same rows.
 *
 * <p>A re-delivered report is the same event id at the same time for the same user (a re-send after a lost reply):
 * it is found among the stored reports of the window the batch re-reads anyway, with no index of ids. A report
 * that reuses another's id at another time is another report.
 *
 * <p>A new generation loads in bulk ({@code projection.workstation.bulk-load}): while it reads the history,
 * {@link #prepareLoad} only appends each batch's reports, packed per user-day as they came, to a table with neither key
 * nor index, and, while they fit, keeps them in memory too ({@link LoadedPieces}); once caught up, {@link
 * #finishLoading} takes them user by user (from memory when it holds them all, else read back), drops the re-delivered
 * copies, folds each user's whole timeline with the same {@link WorkingIntervals} and day sums as above and stores the
 * user-days packed, so the rows are the same.
 */
@ApplicationScoped
public class WorkstationDayProjection implements Projection {

    public static final String NAME = "workstation-day";
    /**
     * The fold code's version, recorded with each generation. 2: working intervals and real work hours. 3: reports
     * packed per user-day, a re-delivery being the same id at the same time.
     */
    public static final int VERSION = 3;

    /**
     * User-days whose reports changed, written whole ({@link ReportPacking}): the fold read every stored user-day the
     * batch's reports can fall in, so it knows their whole content.
     */
    static final String STORE_DAYS = """
            INSERT INTO workstation_report_day_g{g} (site, local_date, username, reports)
            SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bytea[])
            ON CONFLICT (site, local_date, username) DO UPDATE SET reports = excluded.reports""";

    /** While loading: the batch's reports, as they came (re-deliveries too), a piece per user-day, appended. */
    static final String LOAD_REPORTS = """
            INSERT INTO workstation_report_load_g{g} (site, local_date, username, reports)
            SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bytea[])""";

    /** The load's end: every loaded piece, user by user, each user's days in order and a day's pieces in the order they came. */
    static final String LOADED_PIECES = """
            SELECT site, username, local_date, reports FROM workstation_report_load_g{g}
            ORDER BY site, username, local_date, seq""";

    /**
     * The planner's view of the tables a load's end filled all at once, of the columns the readers and the fold look
     * rows up by (the packed reports are only ever read by their key: statistics of them would cost much and serve
     * nothing). From a sample of 6,000 rows rather than 30,000 (make bench: a fifth of the time; autovacuum analyzes
     * them again as they grow).
     */
    static final String ANALYZE_DAYS = """
            SET LOCAL default_statistics_target = 20;
            ANALYZE workstation_report_day_g{g} (site, local_date, username)""";

    static final String ANALYZE_INTERVALS = """
            SET LOCAL default_statistics_target = 20;
            ANALYZE working_interval_g{g} (site, username, local_date, start_at, end_at)""";

    static final String ANALYZE_SUMS = """
            SET LOCAL default_statistics_target = 20;
            ANALYZE workstation_user_day_g{g} (site, local_date, username)""";

    /**
     * The load's end writes the packed user-days and the intervals on connections of their own: first it removes what
     * an end that failed after they committed may have left (nothing, as a rule: then this costs nothing), and the
     * intervals' key and indexes, which are built after them.
     */
    static final String CLEAR_DAYS = """
            DELETE FROM workstation_report_day_g{g}""";

    static final String CLEAR_INTERVALS = """
            SELECT rollcall_workstation_day_clear_intervals({g})""";

    /** How many pieces the load's table was given: its sequence's last value (a batch rolled back used some too). */
    static final String PIECES_GIVEN = """
            SELECT coalesce(last_value, 0) FROM pg_sequences
            WHERE schemaname = current_schema() AND sequencename = 'workstation_report_load_g{g}_seq_seq'""";

    static final String DROP_LOADED = """
            DROP TABLE workstation_report_load_g{g}""";

    /** The sites the load met (each load batch records its sites' rules, as a fold does). */
    static final String LOADED_SITES = """
            SELECT DISTINCT site FROM workstation_site_rules_g{g}""";

    /**
     * The load's end: whole user-days, their reports summed and their working time, real work blocks, first and last
     * work summed from their intervals in memory as {@link #RESUM_DAYS} sums them (whole seconds, rounded down).
     */
    static final String INSERT_DAYS = """
            INSERT INTO workstation_user_day_g{g} (site, local_date, username, reports, first_at, last_at, last_state,
                                                   working_seconds, real_work_blocks, first_work_at, last_work_at)
            SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::integer[], $5::timestamptz[], $6::timestamptz[], $7::text[],
                                 $8::bigint[], $9::integer[], $10::timestamptz[], $11::timestamptz[])""";

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
     * The stored user-days of each window, read before the batch's reports are stored: the fold needs the reports in
     * the window, a batch's report found among them is a re-delivery, and a user-day the batch adds to is written
     * whole. One probe per user and local day: the window's days, and one more on each side in case the site's zone
     * was changed without a rebuild (a day is at most a day off then).
     */
    static final String REPORTS_BETWEEN = """
            SELECT t.i, p.local_date, p.reports
            FROM unnest($1::text[], $2::text[], $3::date[], $4::date[]) WITH ORDINALITY AS t(site, username, first_day, last_day, i)
            CROSS JOIN LATERAL generate_series(0, t.last_day - t.first_day + 2) AS d(n)
            CROSS JOIN LATERAL (
                SELECT local_date, reports FROM workstation_report_day_g{g} p
                WHERE p.site = t.site AND p.local_date = t.first_day - 1 + d.n AND p.username = t.username OFFSET 0) p""";

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
    /** Per loading generation: what it stored, kept in memory while it fits ({@link LoadedPieces}). */
    private final Map<Integer, LoadedPieces> loadedInMemory = new ConcurrentHashMap<>();
    /** Each decoder thread's scanner (it keeps the texts it has met). */
    private static final ThreadLocal<WorkstationReportScanner> SCANNERS = ThreadLocal.withInitial(WorkstationReportScanner::new);

    public WorkstationDayProjection(ProjectionConfig config) {
        this.config = config;
    }

    /** The statements of one generation: the same SQL against that generation's own tables. */
    record Statements(String siteRules, String storeDays, String mergeDays, String intervalsTouching, String reportsBetween,
                      String deleteIntervals, String insertIntervals, String resumDays, String loadReports, String loadedSites,
                      String loadedPieces, String piecesGiven, String dropLoaded, String insertDays, String analyzeDays,
                      String analyzeIntervals, String analyzeSums, String clearDays, String clearIntervals) {
        static Statements of(int g) {
            UnaryOperator<String> in = sql -> sql.replace("{g}", Integer.toString(g));
            return new Statements(in.apply(SITE_RULES), in.apply(STORE_DAYS), in.apply(MERGE_DAYS), in.apply(INTERVALS_TOUCHING),
                    in.apply(REPORTS_BETWEEN), in.apply(DELETE_INTERVALS), in.apply(INSERT_INTERVALS), in.apply(RESUM_DAYS),
                    in.apply(LOAD_REPORTS), in.apply(LOADED_SITES), in.apply(LOADED_PIECES), in.apply(PIECES_GIVEN), in.apply(DROP_LOADED),
                    in.apply(INSERT_DAYS), in.apply(ANALYZE_DAYS), in.apply(ANALYZE_INTERVALS), in.apply(ANALYZE_SUMS),
                    in.apply(CLEAR_DAYS), in.apply(CLEAR_INTERVALS));
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

    /**
     * Packs the batch's reports (re-deliveries too) into pieces, one per user-day, off the transaction; in it, the load
     * appends them and records the rules of the batch's sites as {@link #fold} does. A report in the encoder's own
     * layout is read straight from its bytes ({@link WorkstationReportScanner}: no envelope is made); any other record
     * is decoded as the consumer decodes it.
     */
    @Override
    public Load prepareLoad(int generation, RecordBatch batch) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        WorkstationReportScanner scanner = SCANNERS.get();
        ReportPieces pieces = new ReportPieces(site -> config.zoneOf(site).getRules());
        for (ConsumerRecord<byte[], Object> r : batch.records()) {
            if (r.value() instanceof ScannedReport s) {
                pieces.add(s.site(), s.user(), s.idHigh(), s.idLow(), s.time(), s.working());
            } else if (r.value() instanceof byte[] bytes && scanner.read(bytes)) {
                pieces.add(scanner.site(), scanner.user(), scanner.idHigh(), scanner.idLow(), scanner.time(), scanner.working());
            } else if (r.value() != null && batch.decode().apply(r) instanceof EventEnvelope e && e.data() instanceof WorkstationStateChanged w) {
                pieces.add(e.site(), w.user(), e.id().getMostSignificantBits(), e.id().getLeastSignificantBits(), e.time(),
                        w.state() == WorkstationState.WORKING);
            }
        }
        int loaded = pieces.reports();
        if (loaded == 0) {
            return tx -> Uni.createFrom().item(Folded.NOTHING);
        }
        Set<String> sites = Set.copyOf(pieces.sites());
        Tuple tuple = pieces.days().tuple();
        return new Load() {
            @Override
            public Uni<Folded> store(SqlConnection tx) {
                return siteRules(tx, sql, sites)
                        .chain(() -> tx.preparedQuery(sql.loadReports()).execute(tuple))
                        .map(done -> new Folded(loaded, 0));
            }

            @Override
            public void stored() {
                LoadedPieces memory = loadedInMemory.computeIfAbsent(generation, g -> {
                    loadedInMemory.keySet().removeIf(other -> other != g); // one generation loads at a time
                    return new LoadedPieces(config.workstation().loadMemory().asLongValue());
                });
                pieces.forEach(memory::add);
            }
        };
    }

    /** A report in the encoder's layout is read where it was fetched, in the consumer's poll ({@link ScannedReport}). */
    @Override
    public RecordReader recordReader() {
        WorkstationReportScanner scanner = new WorkstationReportScanner();
        return (b, from, to) -> scanner.read(b, from, to)
                ? new ScannedReport(scanner.site(), scanner.user(), scanner.idHigh(), scanner.idLow(), scanner.time(), scanner.working())
                : null;
    }

    /** What a load keeps of a workstation report, read where the consumer fetched it. */
    record ScannedReport(String site, String user, long idHigh, long idLow, Instant time, boolean working) {
    }

    /**
     * Folds the loaded reports: takes the pieces user by user ({@link LoadedTimelines}), from memory when it kept every
     * piece the table holds ({@link LoadedPieces}), else read back from the table; drops the re-delivered copies, folds
     * each user's timeline with the rules in force now, and stores the packed user-days, the intervals and the day sums
     * as {@link #fold} would have left them, a few statements per 100,000 reports as it goes; then drops the pieces.
     * Read back, memory holds one user's history and what waits to be stored, not the whole load.
     */
    @Override
    public Uni<Folded> finishLoading(SqlConnection tx, Pool reader, int generation) {
        return finishLoading(tx, reader, generation, new Chunks(1_000, 100_000, 64));
    }

    /**
     * How the load's end reads, folds and stores: pieces per read; users folded at most this far behind the reading
     * (each holds a user's history until folded); how many reports or intervals it gathers before it stores them (a
     * statement's stays a few MB). Tests make them small, to read, wait and store many times.
     */
    record Chunks(int readRows, int storeEvery, int foldsAhead) {
    }

    Uni<Folded> finishLoading(SqlConnection tx, Pool reader, int generation, Chunks chunks) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        LoadedPieces memory = loadedInMemory.remove(generation);
        return tx.query(sql.loadedSites()).execute()
                .chain(found -> {
                    List<String> sites = new ArrayList<>();
                    found.forEach(r -> sites.add(r.getString("site")));
                    return siteRules(tx, sql, sites);
                })
                .chain(rules -> tx.query(sql.piecesGiven()).execute().chain(given -> EndWriters.open(reader, tx, sql).chain(w -> {
                    LoadedTimelines timelines = new LoadedTimelines(rules, chunks);
                    Uni<Void> read;
                    if (memory != null && memory.holdsAll(given.iterator().next().getLong(0))) {
                        read = Uni.createFrom().voidItem().emitOn(Infrastructure.getDefaultWorkerPool())
                                .invoke(() -> fromMemory(memory, timelines, w, sql));
                    } else {
                        // The pieces are read on a connection of their own: PostgreSQL sorts and sends them while the
                        // writers store what was folded. Its snapshot has every piece: the caller's lock on the
                        // generation lets no batch store more.
                        read = reader.withTransaction(r -> r.query("SET LOCAL work_mem = '256MB'").execute() // the sort
                                .chain(() -> r.prepare(sql.loadedPieces()))
                                .chain(ps -> readAll(ps.cursor(), timelines, w, sql)));
                    }
                    return read.emitOn(Infrastructure.getDefaultWorkerPool()) // finish waits for the last users' folds
                            .call(() -> timelines.finish().store(w, sql).then(w, sql, tx, generation).stored())
                            .call(w::commit)
                            .map(done -> new Folded(timelines.reportCount, timelines.duplicates))
                            .onTermination().call(w::close);
                })));
    }

    /**
     * Where a load's end writes: the packed user-days and the intervals each on a connection of its own, in a
     * transaction of its own, so that PostgreSQL stores the three tables side by side (on one connection they were
     * stored one after the other, most of the end's time); the day sums, the checkpoint and the end of the load in the
     * caller's. The two commit just before the caller's does. If the end fails after they did, the generation is still
     * loading, and its next end removes what they left ({@link #CLEAR_DAYS}, {@link #CLEAR_INTERVALS}); no reader sees
     * it meanwhile but that of a first start's generation, live while it loads, for a moment.
     */
    private record EndWriters(SqlConnection days, Transaction daysTx, SqlConnection intervals, Transaction intervalsTx,
                              SqlConnection sums) {

        static Uni<EndWriters> open(Pool pool, SqlConnection tx, Statements sql) {
            return pool.getConnection().chain(days -> days.begin()
                    .chain(daysTx -> pool.getConnection().chain(intervals -> intervals.begin()
                            .chain(intervalsTx -> Uni.combine().all().unis(days.query(sql.clearDays()).execute(),
                                            intervals.query(sql.clearIntervals()).execute()).discardItems()
                                    .map(cleared -> new EndWriters(days, daysTx, intervals, intervalsTx, tx)))
                            .onFailure().call(intervals::close)))
                    .onFailure().call(days::close));
        }

        Uni<Void> commit() {
            return daysTx.commit().chain(intervalsTx::commit);
        }

        /** Back to the pool; a transaction not committed is rolled back. */
        Uni<Void> close() {
            return days.close().onFailure().recoverWithNull().chain(intervals::close).onFailure().recoverWithNull();
        }
    }

    /** The load's end from the pieces kept in memory: user by user, as the table's read would give them. */
    private static void fromMemory(LoadedPieces memory, LoadedTimelines timelines, EndWriters w, Statements sql) {
        for (Map.Entry<UserTimeline, List<LoadedPieces.Piece>> user : memory.byUser()) {
            for (LoadedPieces.Piece p : user.getValue()) {
                timelines.add(user.getKey().site(), user.getKey().username(), p);
                if (timelines.pending() >= timelines.chunks.storeEvery()) {
                    timelines.store(w, sql);
                }
            }
        }
    }

    /**
     * Reads a cursor to its end, a chunk at a time, handing each row to {@code timelines} and sending what it folded to
     * be stored. The next chunk is asked for before this one is handed over, off the event loop: PostgreSQL and the
     * client's decoding work while the users fold.
     */
    private static Uni<Void> readAll(Cursor cursor, LoadedTimelines timelines, EndWriters w, Statements sql) {
        return readFrom(cursor, cursor.read(timelines.chunks.readRows()).subscribeAsCompletionStage(), timelines, w, sql);
    }

    private static Uni<Void> readFrom(Cursor cursor, CompletionStage<RowSet<Row>> chunk, LoadedTimelines timelines, EndWriters w,
                                      Statements sql) {
        return Uni.createFrom().completionStage(chunk).emitOn(Infrastructure.getDefaultWorkerPool()).chain(rows -> {
            CompletionStage<RowSet<Row>> next = cursor.hasMore() ? cursor.read(timelines.chunks.readRows()).subscribeAsCompletionStage() : null;
            rows.forEach(timelines::add);
            if (timelines.pending() >= timelines.chunks.storeEvery()) {
                timelines.store(w, sql);
            }
            return next != null ? readFrom(cursor, next, timelines, w, sql) : cursor.close();
        });
    }

    /**
     * The load's end, as it reads: a user's pieces come one after another (their days in order, a day's pieces as
     * they came); once the next user's come, the user is folded on a worker thread ({@link UserFold}), side by side
     * with the next ones. Their results are taken in the order read and wait here until {@link #store}.
     */
    private static final class LoadedTimelines {
        private final Map<String, WorkRules> rules;
        private UserTimeline user;
        private List<LoadedPieces.Piece> pieces = new ArrayList<>();
        private final Chunks chunks;
        private ReportPacking.Days packed = new ReportPacking.Days();
        private List<UserDayRow> days = new ArrayList<>();
        private List<WorkingIntervalRow> intervals = new ArrayList<>();
        /** Users being folded, in the order read. */
        private final ArrayDeque<CompletableFuture<UserFold>> folding = new ArrayDeque<>();
        /** Statements sent and not yet waited for. */
        private final List<CompletableFuture<RowSet<Row>>> storing = new ArrayList<>();
        int reportCount;
        int duplicates;

        LoadedTimelines(Map<String, WorkRules> rules, Chunks chunks) {
            this.rules = rules;
            this.chunks = chunks;
        }

        /** A piece as read, by position (no lookups by name). */
        void add(Row r) {
            add(r.getString(0), r.getString(1),
                    new LoadedPieces.Piece(r.getLocalDate(2), r.getBuffer(3).getDelegate().getByteBuf().nioBuffer().slice()));
        }

        /** A user's piece: a user-day's reports, packed; a user's pieces come one after another. */
        void add(String site, String username, LoadedPieces.Piece piece) {
            if (user == null || !site.equals(user.site()) || !username.equals(user.username())) {
                finishUser();
                user = new UserTimeline(site, username);
            }
            pieces.add(piece);
        }

        LoadedTimelines finish() {
            finishUser();
            while (!folding.isEmpty()) {
                take(folding.removeFirst().join());
            }
            return this;
        }

        /**
         * Folds the user read last on a worker thread: users are folded side by side, on both cores, while the next
         * are read. Their results are taken in the order read.
         */
        private void finishUser() {
            if (user == null) {
                return;
            }
            UserTimeline u = user;
            List<LoadedPieces.Piece> p = pieces;
            WorkRules r = rules.get(u.site());
            folding.addLast(CompletableFuture.supplyAsync(() -> UserFold.of(u, p, r), Infrastructure.getDefaultWorkerPool()));
            pieces = new ArrayList<>();
            user = null;
            while (!folding.isEmpty() && (folding.peekFirst().isDone() || folding.size() > chunks.foldsAhead())) {
                take(folding.removeFirst().join());
            }
        }

        private void take(UserFold f) {
            reportCount += f.reports;
            duplicates += f.duplicates;
            intervals.addAll(f.intervals);
            f.days.forEach((day, sorted) -> {
                packed.add(f.user.site(), day, f.user.username(), sorted.packed());
                days.add(new UserDayRow(f.user.site(), day, f.user.username(), sorted.sum(), f.work.getOrDefault(day, DayWork.NONE)));
            });
        }

        /** How many reports or intervals wait to be stored. */
        int pending() {
            return Math.max(packed.reports(), intervals.size());
        }

        /**
         * Sends what was folded so far to be stored (the packed user-days, their sums and the intervals) and goes on at
         * once: PostgreSQL stores them while the next users are folded. {@link #stored} waits for all of it.
         */
        LoadedTimelines store(EndWriters w, Statements sql) {
            ReportPacking.Days p = packed;
            List<UserDayRow> d = days;
            List<WorkingIntervalRow> i = intervals;
            packed = new ReportPacking.Days();
            days = new ArrayList<>();
            intervals = new ArrayList<>();
            if (!p.isEmpty()) {
                storing.add(w.days().preparedQuery(sql.storeDays()).execute(p.tuple()).subscribeAsCompletionStage());
                storing.add(w.sums().preparedQuery(sql.insertDays()).execute(UserDayRow.tuple(d)).subscribeAsCompletionStage());
            }
            if (!i.isEmpty()) {
                storing.add(w.intervals().preparedQuery(sql.insertIntervals()).execute(WorkingIntervalRow.tuple(i)).subscribeAsCompletionStage());
            }
            return this;
        }

        /**
         * Sends each writer's last steps after what it stores, without waiting for the others (a connection runs what it
         * is sent in order): the intervals' key and indexes, built once over all of them, and each table's statistics,
         * the planner's view of tables that grew all at once, each analyzed in the transaction that filled it (it counts
         * its own rows); and the load's table dropped. Built after everything was stored, the indexes made most of the
         * end's last half second, with a core idle (make bench).
         */
        LoadedTimelines then(EndWriters w, Statements sql, SqlConnection tx, int generation) {
            storing.add(w.intervals().preparedQuery("SELECT rollcall_workstation_day_interval_index($1)").execute(Tuple.of(generation))
                    .subscribeAsCompletionStage());
            storing.add(w.intervals().query(sql.analyzeIntervals()).execute().subscribeAsCompletionStage());
            storing.add(w.days().query(sql.analyzeDays()).execute().subscribeAsCompletionStage());
            storing.add(tx.query(sql.analyzeSums()).execute().subscribeAsCompletionStage());
            storing.add(tx.query(sql.dropLoaded()).execute().subscribeAsCompletionStage());
            return this;
        }

        /** Once everything sent to be stored is; fails if any of it did. */
        Uni<Void> stored() {
            return Uni.createFrom().completionStage(CompletableFuture.allOf(storing.toArray(CompletableFuture[]::new)));
        }
    }

    /**
     * One user's loaded history folded: the reports sorted by time (stably: arrival order stays among reports of one
     * instant), re-delivered copies dropped (the same id at the same instant, the first kept), the timeline folded,
     * and per day the reports packed again with their sums and the day's work.
     */
    private record UserFold(UserTimeline user, int reports, int duplicates, List<WorkingIntervalRow> intervals,
                            Map<LocalDate, PackedDay> days, Map<LocalDate, DayWork> work) {

        private record PackedDay(ByteBuffer packed, UserDayReports sum) {
        }

        /**
         * Works on the packed records themselves (a million of them at a load's end): their times are sorted as longs
         * (stably, {@link StableOrder}), re-deliveries found by comparing ids in place, the timeline folded by position
         * ({@link WorkingIntervals#foldOrdered(int, java.util.function.IntToLongFunction, java.util.function.IntPredicate,
         * Duration)}) and each day's records copied into its packing: no object per report.
         *
         * <p>Each step is a method of its own, this one only calls them: the JIT compiles each hot loop on its own
         * (make bench: compiled as one method, with every loop and lambda inlined, it took the compiler 0.6 to 1.8 s,
         * again in every rebuild, while the end ran it unoptimised).
         */
        static UserFold of(UserTimeline user, List<LoadedPieces.Piece> pieces, WorkRules rules) {
            Gathered g = Gathered.of(pieces);
            // by time, reports of one instant in the order they came; of those, a re-delivery (the same id) is dropped
            int[] kept = new int[g.micros.length];
            int m = withoutRedeliveries(StableOrder.byKey(g.micros), g, kept);
            boolean ties = hasTies(kept, m, g.micros);
            // the fold reads an instant's reports in StateReport.ORDER (working first, then by id), not as they came
            int[] folded = ties ? StableOrder.tiesInFoldOrder(Arrays.copyOf(kept, m), g.micros, g.packed) : kept;
            List<WorkingIntervalRow> intervals = new ArrayList<>();
            Map<LocalDate, DayWork> work = new HashMap<>();
            intervals(user, rules, foldOrdered(m, folded, g, rules), intervals, work);
            return new UserFold(user, m, g.micros.length - m, intervals, packDays(pieces, g, kept, m), work);
        }

        /** A user's pieces copied into one array, with each report's piece and time. */
        private record Gathered(byte[] all, ByteBuffer packed, int[] pieceOf, long[] micros) {
            static Gathered of(List<LoadedPieces.Piece> pieces) {
                int n = 0;
                for (LoadedPieces.Piece p : pieces) {
                    n += p.reports().limit() / ReportPacking.BYTES;
                }
                byte[] all = new byte[n * ReportPacking.BYTES];
                ByteBuffer packed = ByteBuffer.wrap(all);
                int[] pieceOf = new int[n];
                long[] micros = new long[n];
                for (int q = 0, k = 0; q < pieces.size(); q++) {
                    ByteBuffer r = pieces.get(q).reports();
                    r.get(0, all, k * ReportPacking.BYTES, r.limit());
                    k = times(packed, q, k, k + r.limit() / ReportPacking.BYTES, pieceOf, micros);
                }
                return new Gathered(all, packed, pieceOf, micros);
            }

            private static int times(ByteBuffer packed, int q, int from, int to, int[] pieceOf, long[] micros) {
                for (int k = from; k < to; k++) {
                    pieceOf[k] = q;
                    micros[k] = packed.getLong(k * ReportPacking.BYTES + 16);
                }
                return to;
            }
        }

        /** Fills {@code kept} with {@code order} but the re-deliveries (the same id at the same instant, the first kept); answers how many. */
        private static int withoutRedeliveries(int[] order, Gathered g, int[] kept) {
            long[] micros = g.micros;
            int m = 0;
            int instantFrom = 0;
            for (int i : order) {
                if (m > 0 && micros[kept[m - 1]] == micros[i]) {
                    if (sameIdAmong(g.packed, i, kept, instantFrom, m)) {
                        continue;
                    }
                } else {
                    instantFrom = m;
                }
                kept[m++] = i;
            }
            return m;
        }

        /** Whether two of the first {@code m} reports, in time order, are of one instant. */
        private static boolean hasTies(int[] kept, int m, long[] micros) {
            for (int k = 1; k < m; k++) {
                if (micros[kept[k]] == micros[kept[k - 1]]) {
                    return true;
                }
            }
            return false;
        }

        private static List<WorkingInterval> foldOrdered(int m, int[] folded, Gathered g, WorkRules rules) {
            long[] micros = g.micros;
            ByteBuffer packed = g.packed;
            return WorkingIntervals.foldOrdered(m, k -> micros[folded[k]], k -> working(packed, folded[k]), rules.autoTimeout());
        }

        private static void intervals(UserTimeline user, WorkRules rules, List<WorkingInterval> folded, List<WorkingIntervalRow> intervals,
                                      Map<LocalDate, DayWork> work) {
            for (WorkingInterval i : folded) {
                WorkingIntervalRow row = new WorkingIntervalRow(user.site(), user.username(), rules, i, WorkingDay.dayOf(i, rules.zone()));
                intervals.add(row);
                work.computeIfAbsent(row.day(), d -> new DayWork()).add(row);
            }
        }

        /** Each day's kept reports (a report's day is its piece's), packed again in time order, with their sums. */
        private static Map<LocalDate, PackedDay> packDays(List<LoadedPieces.Piece> pieces, Gathered g, int[] kept, int m) {
            Map<LocalDate, Integer> dayIndex = new LinkedHashMap<>();
            int[] dayOfPiece = new int[pieces.size()];
            for (int q = 0; q < pieces.size(); q++) {
                dayOfPiece[q] = dayIndex.computeIfAbsent(pieces.get(q).day(), d -> dayIndex.size());
            }
            int[][] ofDay = splitByDay(dayOfPiece, dayIndex.size(), g.pieceOf, kept, m);
            Map<LocalDate, PackedDay> days = new LinkedHashMap<>();
            for (Map.Entry<LocalDate, Integer> day : dayIndex.entrySet()) {
                int[] reports = ofDay[day.getValue()];
                if (reports.length > 0) {
                    days.put(day.getKey(), new PackedDay(pack(g.all, reports), UserDayReports.ofSorted(reports, g.micros, g.packed)));
                }
            }
            return days;
        }

        /** The first {@code m} of {@code kept}, in their order, by the day of their piece. */
        private static int[][] splitByDay(int[] dayOfPiece, int dayCount, int[] pieceOf, int[] kept, int m) {
            int[] count = new int[dayCount];
            for (int k = 0; k < m; k++) {
                count[dayOfPiece[pieceOf[kept[k]]]]++;
            }
            int[][] ofDay = new int[dayCount][];
            for (int d = 0; d < dayCount; d++) {
                ofDay[d] = new int[count[d]];
            }
            int[] filled = new int[dayCount];
            for (int k = 0; k < m; k++) {
                int d = dayOfPiece[pieceOf[kept[k]]];
                ofDay[d][filled[d]++] = kept[k];
            }
            return ofDay;
        }

        private static ByteBuffer pack(byte[] all, int[] reports) {
            ByteBuffer out = ReportPacking.allocate(reports.length);
            for (int k = 0; k < reports.length; k++) {
                System.arraycopy(all, reports[k] * ReportPacking.BYTES, out.array(), k * ReportPacking.BYTES, ReportPacking.BYTES);
            }
            return out;
        }

        /** Whether report {@code i} has the id of one of {@code kept[from, to)} (reports of the same instant). */
        private static boolean sameIdAmong(ByteBuffer packed, int i, int[] kept, int from, int to) {
            long high = packed.getLong(i * ReportPacking.BYTES);
            long low = packed.getLong(i * ReportPacking.BYTES + 8);
            for (int x = from; x < to; x++) {
                int j = kept[x] * ReportPacking.BYTES;
                if (packed.getLong(j) == high && packed.getLong(j + 8) == low) {
                    return true;
                }
            }
            return false;
        }

        static boolean working(ByteBuffer packed, int i) {
            return packed.get(i * ReportPacking.BYTES + 24) == 1;
        }
    }

    private record UserDayKey(String site, LocalDate date, String username) {
    }

    /**
     * Applies the rows to generation {@code generation} in the caller's transaction; answers how many were new
     * (the rest were re-deliveries).
     *
     * <p>Seven statements at most whatever the batch's size, each over arrays: look up the rules of the batch's sites
     * (the roster's, else the configuration's; recorded in {@code workstation_site_rules} when they changed), find the
     * stored intervals near each user's new reports, read the stored user-days of each user's window (the batch's
     * reports found among them are re-deliveries), then, pipelined on the connection, write the user-days the new
     * reports go to whole, merge the new reports into the user-days' sums, replace the intervals the refold changed
     * and re-sum the days they start on.
     */
    public Uni<Integer> fold(SqlConnection tx, int generation, List<WorkstationEventRow> rows) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Map<UserTimeline, List<WorkstationEventRow>> byTimeline = new LinkedHashMap<>();
        rows.forEach(r -> byTimeline.computeIfAbsent(r.timeline(), k -> new ArrayList<>()).add(r));
        List<Refold> refolds = new ArrayList<>(byTimeline.size());

        return siteRules(tx, sql, byTimeline.keySet().stream().map(UserTimeline::site).collect(Collectors.toCollection(LinkedHashSet::new)))
                .invoke(rules -> byTimeline.forEach((timeline, batch) ->
                        refolds.add(new Refold(timeline, batch, rules.get(timeline.site())))))
                .chain(() -> tx.preparedQuery(sql.intervalsTouching()).execute(windows(refolds, Refold::reach)))
                .invoke(found -> found.forEach(r -> at(refolds, r).touching(r)))
                .chain(() -> tx.preparedQuery(sql.reportsBetween()).execute(windowDays(refolds)))
                .chain(found -> {
                    found.forEach(r -> at(refolds, r).storedDay(r.getLocalDate("local_date"), ReportPacking.unpack(r.getBuffer("reports"))));
                    List<WorkstationEventRow> fresh = new ArrayList<>(rows.size());
                    ReportPacking.Days changed = new ReportPacking.Days();
                    for (Refold f : refolds) {
                        f.fresh().forEach(fresh::add);
                        f.changedDays(changed);
                    }
                    List<Uni<Void>> steps = new ArrayList<>();
                    // sent together: the connection pipelines them, and PostgreSQL runs them in this order
                    if (!fresh.isEmpty()) {
                        steps.add(tx.preparedQuery(sql.storeDays()).execute(changed.tuple()).replaceWithVoid());
                        steps.add(tx.preparedQuery(sql.mergeDays()).execute(UserDayReports.tuple(fresh)).replaceWithVoid());
                    }
                    // re-deliveries refold too: after a change of rules, their window is counted with the new ones
                    steps.add(replaceIntervals(tx, sql, refolds));
                    return Uni.join().all(steps).andFailFast().map(done -> fresh.size());
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

        /**
         * A user-day's reports in time order, each once, by their place in {@code packed}: the first, and the last with
         * its state (working wins a tie).
         */
        static UserDayReports ofSorted(int[] reports, long[] micros, ByteBuffer packed) {
            UserDayReports sum = new UserDayReports();
            sum.reports = reports.length;
            long last = micros[reports[reports.length - 1]];
            sum.first = utc(ReportPacking.instant(micros[reports[0]]));
            sum.last = utc(ReportPacking.instant(last));
            sum.lastState = WorkstationState.STOPPED.wire();
            for (int k = reports.length - 1; k >= 0 && micros[reports[k]] == last; k--) {
                if (UserFold.working(packed, reports[k])) {
                    sum.lastState = WorkstationState.WORKING.wire();
                }
            }
            return sum;
        }

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

        /** The user-days of the new rows (each report once: re-deliveries are not among them). */
        static Tuple tuple(List<WorkstationEventRow> fresh) {
            Map<UserDayKey, UserDayReports> days = new LinkedHashMap<>();
            for (WorkstationEventRow r : fresh) {
                days.computeIfAbsent(new UserDayKey(r.site(), r.localDate(), r.username()), k -> new UserDayReports())
                        .add(r.occurredAt(), r.state());
            }
            List<UserDayRow> out = new ArrayList<>(days.size());
            days.forEach((k, sum) -> out.add(new UserDayRow(k.site(), k.date(), k.username(), sum)));
            return UserDayRow.tuple(out);
        }
    }

    /** A user-day's reports, summed, as {@link #MERGE_DAYS} takes them. */
    private record UserDayRow(String site, LocalDate date, String username, UserDayReports sum, DayWork work) {
        UserDayRow(String site, LocalDate date, String username, UserDayReports sum) {
            this(site, date, username, sum, null);
        }

        /** As {@link #MERGE_DAYS} takes them; with each day's work too ({@link #INSERT_DAYS}) when they carry it. */
        static Tuple tuple(List<UserDayRow> days) {
            int n = days.size();
            String[] sites = new String[n];
            LocalDate[] dates = new LocalDate[n];
            String[] users = new String[n];
            Integer[] reports = new Integer[n];
            OffsetDateTime[] firsts = new OffsetDateTime[n];
            OffsetDateTime[] lasts = new OffsetDateTime[n];
            String[] states = new String[n];
            Long[] seconds = new Long[n];
            Integer[] blocks = new Integer[n];
            OffsetDateTime[] firstWork = new OffsetDateTime[n];
            OffsetDateTime[] lastWork = new OffsetDateTime[n];
            boolean withWork = n > 0 && days.getFirst().work() != null;
            for (int k = 0; k < n; k++) {
                UserDayRow d = days.get(k);
                sites[k] = d.site();
                dates[k] = d.date();
                users[k] = d.username();
                reports[k] = d.sum().reports;
                firsts[k] = d.sum().first;
                lasts[k] = d.sum().last;
                states[k] = d.sum().lastState;
                if (withWork) {
                    seconds[k] = Math.floorDiv(d.work().micros, 1_000_000L);
                    blocks[k] = d.work().blocks;
                    firstWork[k] = d.work().first;
                    lastWork[k] = d.work().last;
                }
            }
            Tuple t = Tuple.tuple().addArrayOfString(sites).addArrayOfLocalDate(dates).addArrayOfString(users)
                    .addArrayOfInteger(reports).addArrayOfOffsetDateTime(firsts).addArrayOfOffsetDateTime(lasts)
                    .addArrayOfString(states);
            return withWork ? t.addArrayOfLong(seconds).addArrayOfInteger(blocks).addArrayOfOffsetDateTime(firstWork)
                    .addArrayOfOffsetDateTime(lastWork) : t;
        }
    }

    /** A day's intervals summed: working time in microseconds, real work blocks, the first start and the last end. */
    private static final class DayWork {
        static final DayWork NONE = new DayWork();
        long micros;
        int blocks;
        OffsetDateTime first;
        OffsetDateTime last;

        void add(WorkingIntervalRow row) {
            WorkingInterval i = row.interval();
            micros += ChronoUnit.MICROS.between(i.start(), i.end());
            blocks += row.rules().realWorkBlocks(i);
            if (first == null || i.start().isBefore(first.toInstant())) {
                first = utc(i.start());
            }
            if (last == null || i.end().isAfter(last.toInstant())) {
                last = utc(i.end());
            }
        }
    }

    /**
     * One user's part of a batch: the reports it brought, the stored intervals near them, the window to refold
     * ({@link RecomputeWindow}), the stored reports in it and the days whose intervals changed.
     */
    private static final class Refold {
        final UserTimeline timeline;
        final WorkRules rules;
        final List<WorkstationEventRow> batch;
        final Instant earliest;
        final Instant latest;
        final List<WorkingInterval> touching = new ArrayList<>();
        /** Where each touching interval is stored, and the day it counts on. */
        final Map<WorkingInterval, StoredAt> stored = new HashMap<>();
        /** The stored reports of the window, then the batch's new ones: what the window is refolded from. */
        final List<StateReport> reports = new ArrayList<>();
        /** The stored reports of the window's user-days, by id and time: a batch's report among them is a re-delivery. */
        private final Set<ReportKey> storedKeys = new HashSet<>();
        /** The window's stored user-days, whole. */
        private final Map<LocalDate, List<StateReport>> storedDays = new HashMap<>();
        private List<WorkstationEventRow> fresh;
        final TreeSet<LocalDate> days = new TreeSet<>();
        private RecomputeWindow window;

        Refold(UserTimeline timeline, List<WorkstationEventRow> batch, WorkRules rules) {
            this.timeline = timeline;
            this.rules = rules;
            this.batch = batch;
            this.earliest = batch.stream().map(r -> r.occurredAt().toInstant()).min(Comparator.naturalOrder()).orElseThrow();
            this.latest = batch.stream().map(r -> r.occurredAt().toInstant()).max(Comparator.naturalOrder()).orElseThrow();
        }

        void touching(Row r) {
            touching.add(interval(r));
            stored.put(touching.getLast(), new StoredAt(r.getString("row_id"), r.getLocalDate("local_date"),
                    r.getInteger("block_seconds")));
        }

        /** A stored user-day of the window's days: its reports in the window are refolded. */
        void storedDay(LocalDate day, List<StateReport> stored) {
            storedDays.put(day, stored);
            RecomputeWindow w = window();
            for (StateReport r : stored) {
                if (storedKeys.add(new ReportKey(r.id(), r.at())) && w.contains(r.at())) {
                    reports.add(r);
                }
            }
        }

        /**
         * The batch's reports that are neither stored nor earlier in the batch, in the order they came; added to the
         * reports to refold. Known once the window's stored user-days are in.
         */
        List<WorkstationEventRow> fresh() {
            if (fresh == null) {
                fresh = new ArrayList<>(batch.size());
                for (WorkstationEventRow row : batch) {
                    StateReport r = row.asReport();
                    if (storedKeys.add(new ReportKey(r.id(), r.at()))) {
                        fresh.add(row);
                        reports.add(r);
                    }
                }
            }
            return fresh;
        }

        /**
         * The user-days the new reports go to, whole: the stored reports, then the new ones, sorted by time (stably:
         * among reports of one instant, in the order they came).
         */
        void changedDays(ReportPacking.Days into) {
            Map<LocalDate, List<StateReport>> byDay = new LinkedHashMap<>();
            for (WorkstationEventRow row : fresh()) {
                byDay.computeIfAbsent(row.localDate(), d -> new ArrayList<>(storedDays.getOrDefault(d, List.of())))
                        .add(row.asReport());
            }
            byDay.forEach((day, reports) -> {
                reports.sort(Comparator.comparing(StateReport::at));
                into.add(timeline.site(), day, timeline.username(), reports);
            });
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

    /** What makes a report the same report delivered again: its id at its time (the user's is the timeline's). */
    private record ReportKey(UUID id, Instant at) {
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

    private static Tuple windows(List<Refold> refolds, java.util.function.Function<Refold, RecomputeWindow> which) {
        List<RecomputeWindow> w = refolds.stream().map(which).toList();
        return Tuple.of(refolds.stream().map(f -> f.timeline.site()).toArray(String[]::new),
                refolds.stream().map(f -> f.timeline.username()).toArray(String[]::new),
                w.stream().map(x -> utc(x.from())).toArray(OffsetDateTime[]::new),
                w.stream().map(x -> utc(x.to())).toArray(OffsetDateTime[]::new));
    }

    /** Each user's window as the site-local days it spans. */
    private static Tuple windowDays(List<Refold> refolds) {
        return Tuple.of(refolds.stream().map(f -> f.timeline.site()).toArray(String[]::new),
                refolds.stream().map(f -> f.timeline.username()).toArray(String[]::new),
                refolds.stream().map(f -> f.window().from().atZone(f.rules.zone()).toLocalDate()).toArray(LocalDate[]::new),
                refolds.stream().map(f -> f.window().to().atZone(f.rules.zone()).toLocalDate()).toArray(LocalDate[]::new));
    }

    private static Refold at(List<Refold> refolds, Row r) {
        return refolds.get((int) (r.getLong("i") - 1));
    }

    private static WorkingInterval interval(Row r) {
        return new WorkingInterval(r.getOffsetDateTime("start_at").toInstant(), r.getOffsetDateTime("end_at").toInstant(),
                WorkingInterval.EndedBy.fromWire(r.getString("ended_by")),
                r.getOffsetDateTime("last_report_at").toInstant(), r.getInteger("reports"));
    }


    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
