package dev.rollcall.projection;

import dev.rollcall.events.WorkstationState;
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
import java.util.SortedMap;
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
public class WorkstationDayProjection {

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

    static final String INTERVALS_TOUCHING = """
            SELECT start_at, end_at, ended_by, last_report_at, reports FROM working_interval_g{g}
            WHERE site = $1 AND username = $2 AND end_at >= $3 AND start_at <= $4""";

    static final String REPORTS_BETWEEN = """
            SELECT event_id, occurred_at, state FROM workstation_event_g{g}
            WHERE site = $1 AND username = $2 AND occurred_at BETWEEN $3 AND $4""";

    static final String DELETE_INTERVALS_STARTING = """
            DELETE FROM working_interval_g{g}
            WHERE site = $1 AND username = $2 AND start_at BETWEEN $3 AND $4
            RETURNING local_date""";

    static final String INSERT_INTERVAL = """
            INSERT INTO working_interval_g{g} (site, username, start_at, end_at, ended_by, last_report_at, reports,
                                          local_date, real_work_blocks, block_seconds)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";

    static final String INTERVALS_OF_DAYS = """
            SELECT start_at, end_at, ended_by, last_report_at, reports FROM working_interval_g{g}
            WHERE site = $1 AND username = $2 AND local_date = ANY($3)""";

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

        Uni<Integer> fresh = tx.preparedQuery(sql.storeReport()).executeBatch(tuples).map(WorkstationDayProjection::countRows);
        for (Map.Entry<UserTimeline, List<StateReport>> e : byTimeline.entrySet()) {
            fresh = fresh.call(() -> refold(tx, sql, e.getKey(), e.getValue()));
        }
        return fresh;
    }

    private Uni<Void> refold(SqlConnection tx, Statements sql, UserTimeline timeline, List<StateReport> batch) {
        WorkRules rules = config.workRulesOf(timeline.site());
        Instant earliest = batch.stream().map(StateReport::at).min(Comparator.naturalOrder()).orElseThrow();
        Instant latest = batch.stream().map(StateReport::at).max(Comparator.naturalOrder()).orElseThrow();
        RecomputeWindow reach = RecomputeWindow.reach(earliest, latest, rules.autoTimeout());
        return tx.preparedQuery(sql.intervalsTouching()).execute(between(timeline, reach))
                .map(rows -> RecomputeWindow.around(earliest, latest, intervals(rows), rules.autoTimeout()))
                .flatMap(window -> tx.preparedQuery(sql.reportsBetween()).execute(between(timeline, window))
                        .map(rows -> WorkingIntervals.fold(reports(rows), rules.autoTimeout()))
                        .flatMap(intervals -> replace(tx, sql, timeline, window, intervals, rules)))
                .flatMap(days -> resum(tx, sql, timeline, days, rules));
    }

    /** Replaces the intervals starting in the window; answers the days whose intervals changed. */
    private Uni<TreeSet<LocalDate>> replace(SqlConnection tx, Statements sql, UserTimeline timeline, RecomputeWindow window,
                                            List<WorkingInterval> intervals, WorkRules rules) {
        TreeSet<LocalDate> days = new TreeSet<>();
        List<Tuple> inserts = new ArrayList<>();
        for (WorkingInterval i : intervals) {
            LocalDate day = WorkingDay.dayOf(i, rules.zone());
            days.add(day);
            inserts.add(Tuple.tuple().addString(timeline.site()).addString(timeline.username())
                    .addOffsetDateTime(utc(i.start())).addOffsetDateTime(utc(i.end())).addString(i.endedBy().wire())
                    .addOffsetDateTime(utc(i.lastReportAt())).addInteger(i.reports()).addLocalDate(day)
                    .addInteger(rules.realWorkBlocks(i)).addInteger((int) rules.realWorkBlock().toSeconds()));
        }
        Uni<Void> deleted = tx.preparedQuery(sql.deleteIntervalsStarting()).execute(between(timeline, window))
                .invoke(rows -> rows.forEach(r -> days.add(r.getLocalDate("local_date"))))
                .replaceWithVoid();
        if (!inserts.isEmpty()) {
            deleted = deleted.chain(() -> tx.preparedQuery(sql.insertInterval()).executeBatch(inserts).replaceWithVoid());
        }
        return deleted.replaceWith(days);
    }

    /** Sums the days' intervals again into their day rows. */
    private Uni<Void> resum(SqlConnection tx, Statements sql, UserTimeline timeline, TreeSet<LocalDate> days, WorkRules rules) {
        if (days.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(sql.intervalsOfDays())
                .execute(Tuple.of(timeline.site(), timeline.username(), days.toArray(LocalDate[]::new)))
                .flatMap(rows -> {
                    SortedMap<LocalDate, WorkingDay> summed = WorkingDay.of(intervals(rows), rules);
                    List<Tuple> updates = new ArrayList<>();
                    for (LocalDate d : days) {
                        WorkingDay w = summed.get(d);
                        updates.add(Tuple.tuple().addString(timeline.site()).addString(timeline.username()).addLocalDate(d)
                                .addLong(w == null ? 0L : w.working().toSeconds())
                                .addInteger(w == null ? 0 : w.realWorkBlocks())
                                .addOffsetDateTime(w == null ? null : utc(w.firstWork()))
                                .addOffsetDateTime(w == null ? null : utc(w.lastWork())));
                    }
                    return tx.preparedQuery(sql.updateDay()).executeBatch(updates).replaceWithVoid();
                });
    }

    private static Tuple between(UserTimeline timeline, RecomputeWindow w) {
        return Tuple.of(timeline.site(), timeline.username(), utc(w.from()), utc(w.to()));
    }

    private static List<WorkingInterval> intervals(RowSet<Row> rows) {
        List<WorkingInterval> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new WorkingInterval(r.getOffsetDateTime("start_at").toInstant(), r.getOffsetDateTime("end_at").toInstant(),
                    WorkingInterval.EndedBy.fromWire(r.getString("ended_by")),
                    r.getOffsetDateTime("last_report_at").toInstant(), r.getInteger("reports")));
        }
        return out;
    }

    private static List<StateReport> reports(RowSet<Row> rows) {
        List<StateReport> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new StateReport(r.getUUID("event_id"), r.getOffsetDateTime("occurred_at").toInstant(),
                    WorkstationState.fromWire(r.getString("state"))));
        }
        return out;
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
