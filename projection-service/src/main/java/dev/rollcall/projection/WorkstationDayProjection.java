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
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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

    static final String STORE_REPORT = """
            WITH inserted AS (
                INSERT INTO workstation_event_g{g} (event_id, site, username, host, state, occurred_at, local_date, source)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING site, local_date, username, occurred_at, state)
            INSERT INTO workstation_user_day_g{g} AS d (site, local_date, username, reports, first_at, last_at, last_state)
            SELECT site, local_date, username, 1, occurred_at, occurred_at, state FROM inserted
            ON CONFLICT (site, local_date, username) DO UPDATE SET
                reports = d.reports + 1,
                first_at = LEAST(d.first_at, excluded.first_at),
                last_at = GREATEST(d.last_at, excluded.last_at),
                last_state = CASE
                    WHEN excluded.last_at > d.last_at THEN excluded.last_state
                    WHEN excluded.last_at = d.last_at THEN GREATEST(excluded.last_state, d.last_state)
                    ELSE d.last_state END
            """;

    /** The per-user statements take arrays, one element per user timeline of the batch: a few round trips per batch. */
    static final String TIMELINE_WINDOWS = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS t(site, username, lo, hi, i)""";

    static final String INTERVALS_TOUCHING = """
            SELECT t.i, w.start_at, w.end_at, w.ended_by, w.last_report_at, w.reports
            FROM %s JOIN working_interval_g{g} w
              ON w.site = t.site AND w.username = t.username AND w.end_at >= t.lo AND w.start_at <= t.hi""".formatted(TIMELINE_WINDOWS);

    static final String REPORTS_BETWEEN = """
            SELECT t.i, e.event_id, e.occurred_at, e.state
            FROM %s JOIN workstation_event_g{g} e
              ON e.site = t.site AND e.username = t.username AND e.occurred_at BETWEEN t.lo AND t.hi""".formatted(TIMELINE_WINDOWS);

    static final String DELETE_INTERVALS_STARTING = """
            DELETE FROM working_interval_g{g} w USING %s
            WHERE w.site = t.site AND w.username = t.username AND w.start_at BETWEEN t.lo AND t.hi
            RETURNING t.i, w.local_date""".formatted(TIMELINE_WINDOWS);

    static final String INSERT_INTERVAL = """
            INSERT INTO working_interval_g{g} (site, username, start_at, end_at, ended_by, last_report_at, reports,
                                          local_date, real_work_blocks, block_seconds)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";

    static final String INTERVALS_OF_DAYS = """
            SELECT t.i, w.start_at, w.end_at, w.ended_by, w.last_report_at, w.reports
            FROM unnest($1::text[], $2::text[], $3::date[]) WITH ORDINALITY AS t(site, username, d, i)
            JOIN working_interval_g{g} w ON w.site = t.site AND w.username = t.username AND w.local_date = t.d""";

    static final String UPDATE_DAY = """
            UPDATE workstation_user_day_g{g}
            SET working_seconds = $4, real_work_blocks = $5, first_work_at = $6, last_work_at = $7
            WHERE site = $1 AND username = $2 AND local_date = $3""";

    private final ProjectionConfig config;
    private final Map<Integer, Statements> statements = new ConcurrentHashMap<>();

    public WorkstationDayProjection(ProjectionConfig config) {
        this.config = config;
    }

    /** The statements of one generation: the same SQL against that generation's own tables. */
    record Statements(String storeReport, String intervalsTouching, String reportsBetween, String deleteIntervalsStarting,
                      String insertInterval, String intervalsOfDays, String updateDay) {
        static Statements of(int g) {
            UnaryOperator<String> in = sql -> sql.replace("{g}", Integer.toString(g));
            return new Statements(in.apply(STORE_REPORT), in.apply(INTERVALS_TOUCHING), in.apply(REPORTS_BETWEEN),
                    in.apply(DELETE_INTERVALS_STARTING), in.apply(INSERT_INTERVAL), in.apply(INTERVALS_OF_DAYS),
                    in.apply(UPDATE_DAY));
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
     */
    public Uni<Integer> fold(SqlConnection tx, int generation, List<WorkstationEventRow> rows) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Tuple> tuples = rows.stream().map(r -> Tuple.tuple()
                .addUUID(r.eventId()).addString(r.site()).addString(r.username()).addString(r.host())
                .addString(r.state()).addOffsetDateTime(r.occurredAt()).addLocalDate(r.localDate())
                .addString(r.source())).toList();
        Map<UserTimeline, List<StateReport>> byTimeline = new LinkedHashMap<>();
        rows.forEach(r -> byTimeline.computeIfAbsent(r.timeline(), k -> new ArrayList<>()).add(r.asReport()));

        List<Refold> refolds = new ArrayList<>();
        byTimeline.forEach((timeline, reports) -> refolds.add(new Refold(timeline, reports, config.workRulesOf(timeline.site()))));

        return tx.preparedQuery(sql.storeReport()).executeBatch(tuples).map(WorkstationDayProjection::countRows)
                .call(() -> tx.preparedQuery(sql.intervalsTouching()).execute(windows(refolds, Refold::reach))
                        .invoke(found -> found.forEach(r -> at(refolds, r).touching.add(interval(r)))))
                .call(() -> tx.preparedQuery(sql.reportsBetween()).execute(windows(refolds, Refold::window))
                        .invoke(found -> found.forEach(r -> at(refolds, r).stored.add(report(r)))))
                .call(() -> tx.preparedQuery(sql.deleteIntervalsStarting()).execute(windows(refolds, Refold::window))
                        .invoke(deleted -> deleted.forEach(r -> at(refolds, r).days.add(r.getLocalDate("local_date")))))
                .call(() -> insertRefolded(tx, sql, refolds))
                .call(() -> resum(tx, sql, refolds));
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
        final List<StateReport> stored = new ArrayList<>();
        final TreeSet<LocalDate> days = new TreeSet<>();
        private RecomputeWindow window;

        Refold(UserTimeline timeline, List<StateReport> batch, WorkRules rules) {
            this.timeline = timeline;
            this.rules = rules;
            this.earliest = batch.stream().map(StateReport::at).min(Comparator.naturalOrder()).orElseThrow();
            this.latest = batch.stream().map(StateReport::at).max(Comparator.naturalOrder()).orElseThrow();
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

    /** The refolded intervals, and the days they start on added to the days to re-sum. */
    private static Uni<Void> insertRefolded(SqlConnection tx, Statements sql, List<Refold> refolds) {
        List<Tuple> inserts = new ArrayList<>();
        for (Refold f : refolds) {
            for (WorkingInterval i : WorkingIntervals.fold(f.stored, f.rules.autoTimeout())) {
                LocalDate day = WorkingDay.dayOf(i, f.rules.zone());
                f.days.add(day);
                inserts.add(Tuple.tuple().addString(f.timeline.site()).addString(f.timeline.username())
                        .addOffsetDateTime(utc(i.start())).addOffsetDateTime(utc(i.end())).addString(i.endedBy().wire())
                        .addOffsetDateTime(utc(i.lastReportAt())).addInteger(i.reports()).addLocalDate(day)
                        .addInteger(f.rules.realWorkBlocks(i)).addInteger((int) f.rules.realWorkBlock().toSeconds()));
            }
        }
        return inserts.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql.insertInterval()).executeBatch(inserts).replaceWithVoid();
    }

    /** Sums the changed days' intervals again into their day rows. */
    private static Uni<Void> resum(SqlConnection tx, Statements sql, List<Refold> refolds) {
        record UserDayKey(Refold refold, LocalDate date) {
        }
        List<UserDayKey> keys = new ArrayList<>();
        refolds.forEach(f -> f.days.forEach(d -> keys.add(new UserDayKey(f, d))));
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple query = Tuple.of(keys.stream().map(k -> k.refold().timeline.site()).toArray(String[]::new),
                keys.stream().map(k -> k.refold().timeline.username()).toArray(String[]::new),
                keys.stream().map(UserDayKey::date).toArray(LocalDate[]::new));
        return tx.preparedQuery(sql.intervalsOfDays()).execute(query).flatMap(rows -> {
            Map<Integer, List<WorkingInterval>> byKey = new java.util.HashMap<>();
            rows.forEach(r -> byKey.computeIfAbsent((int) (r.getLong("i") - 1), k -> new ArrayList<>()).add(interval(r)));
            List<Tuple> updates = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) {
                UserDayKey key = keys.get(k);
                WorkingDay w = WorkingDay.of(byKey.getOrDefault(k, List.of()), key.refold().rules).get(key.date());
                updates.add(Tuple.tuple().addString(key.refold().timeline.site()).addString(key.refold().timeline.username())
                        .addLocalDate(key.date())
                        .addLong(w == null ? 0L : w.working().toSeconds())
                        .addInteger(w == null ? 0 : w.realWorkBlocks())
                        .addOffsetDateTime(w == null ? null : utc(w.firstWork()))
                        .addOffsetDateTime(w == null ? null : utc(w.lastWork())));
            }
            return tx.preparedQuery(sql.updateDay()).executeBatch(updates).replaceWithVoid();
        });
    }

    private static Tuple windows(List<Refold> refolds, java.util.function.Function<Refold, RecomputeWindow> which) {
        List<RecomputeWindow> w = refolds.stream().map(which).toList();
        return Tuple.of(refolds.stream().map(f -> f.timeline.site()).toArray(String[]::new),
                refolds.stream().map(f -> f.timeline.username()).toArray(String[]::new),
                w.stream().map(x -> utc(x.from())).toArray(OffsetDateTime[]::new),
                w.stream().map(x -> utc(x.to())).toArray(OffsetDateTime[]::new));
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

    private static int countRows(RowSet<?> first) {
        int n = 0;
        for (RowSet<?> rs = first; rs != null; rs = rs.next()) {
            n += rs.rowCount();
        }
        return n;
    }
}
