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
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

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

    public WorkstationDayProjection(ProjectionConfig config) {
        this.config = config;
    }

    /** The statements of one generation: the same SQL against that generation's own tables. */
    record Statements(String siteRules, String storeReports, String mergeDays, String intervalsTouching, String reportsBetween,
                      String deleteIntervals, String insertIntervals, String resumDays) {
        static Statements of(int g) {
            UnaryOperator<String> in = sql -> sql.replace("{g}", Integer.toString(g));
            return new Statements(in.apply(SITE_RULES), in.apply(STORE_REPORTS), in.apply(MERGE_DAYS), in.apply(INTERVALS_TOUCHING),
                    in.apply(REPORTS_BETWEEN), in.apply(DELETE_INTERVALS), in.apply(INSERT_INTERVALS), in.apply(RESUM_DAYS));
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
        List<WorkstationEventRow> rows = new ArrayList<>();
        for (EventEnvelope e : batch.events()) {
            if (e.data() instanceof WorkstationStateChanged w) {
                rows.add(WorkstationEventRow.of(e, w, config.zoneOf(e.site())));
            }
        }
        return fold(tx, generation, rows).map(fresh -> new Folded(fresh, rows.size() - fresh));
    }

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

        return siteRules(tx, sql, byTimeline.keySet())
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
    private Uni<Map<String, WorkRules>> siteRules(SqlConnection tx, Statements sql, Set<UserTimeline> timelines) {
        Map<String, WorkRules> configured = new LinkedHashMap<>();
        timelines.forEach(t -> configured.computeIfAbsent(t.site(), config::workRulesOf));
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

        void add(WorkstationEventRow r) {
            reports++;
            OffsetDateTime at = r.occurredAt();
            if (first == null || at.isBefore(first)) {
                first = at;
            }
            if (last == null || at.isAfter(last)) {
                last = at;
                lastState = r.state();
            } else if (at.isEqual(last) && r.state().compareTo(lastState) > 0) {
                lastState = r.state();
            }
        }

        /** The user-days of the new rows (each id counted once: {@code fresh} is used up). */
        static Tuple tuple(List<WorkstationEventRow> rows, Set<UUID> fresh) {
            record Key(String site, LocalDate date, String username) {
            }
            Map<Key, UserDayReports> days = new LinkedHashMap<>();
            for (WorkstationEventRow r : rows) {
                if (fresh.remove(r.eventId())) {
                    days.computeIfAbsent(new Key(r.site(), r.localDate(), r.username()), k -> new UserDayReports()).add(r);
                }
            }
            int n = days.size();
            String[] sites = new String[n];
            LocalDate[] dates = new LocalDate[n];
            String[] users = new String[n];
            Integer[] reports = new Integer[n];
            OffsetDateTime[] firsts = new OffsetDateTime[n];
            OffsetDateTime[] lasts = new OffsetDateTime[n];
            String[] states = new String[n];
            int k = 0;
            for (Map.Entry<Key, UserDayReports> e : days.entrySet()) {
                sites[k] = e.getKey().site();
                dates[k] = e.getKey().date();
                users[k] = e.getKey().username();
                reports[k] = e.getValue().reports;
                firsts[k] = e.getValue().first;
                lasts[k] = e.getValue().last;
                states[k] = e.getValue().lastState;
                k++;
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
                    inserts.add(new WorkingIntervalRow(f, i, day));
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

    private record WorkingIntervalRow(Refold refold, WorkingInterval interval, LocalDate day) {
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
                sites[k] = r.refold().timeline.site();
                users[k] = r.refold().timeline.username();
                starts[k] = utc(i.start());
                ends[k] = utc(i.end());
                endedBy[k] = i.endedBy().wire();
                lastReports[k] = utc(i.lastReportAt());
                reports[k] = i.reports();
                days[k] = r.day();
                blocks[k] = r.refold().rules.realWorkBlocks(i);
                blockSeconds[k] = (int) r.refold().rules.realWorkBlock().toSeconds();
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
