package dev.rollcall.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.rollcall.report.ReadModelSql.instant;

/**
 * Reads the workstation tables that projection-service writes. Each report reads its tables in one read-only
 * snapshot, so a day's sums and its intervals come from the same moment of the projection.
 */
@ApplicationScoped
public class WorkstationReadModel {

    /** Case-insensitive, then exact: stable whatever the database's collation. */
    static final Comparator<String> BY_NAME = Comparator.comparing((String u) -> u.toLowerCase(java.util.Locale.ROOT))
            .thenComparing(Comparator.naturalOrder());

    private static final String USER_DAY_COLUMNS = "local_date, username, reports, first_at, last_at, last_state, "
            + "working_seconds, real_work_blocks, first_work_at, last_work_at";
    private static final String INTERVAL_COLUMNS = "username, local_date, start_at, end_at, ended_by, last_report_at, "
            + "reports, real_work_blocks, block_seconds";


    private final Pool pool;
    private final Pseudonyms pseudonyms;

    public WorkstationReadModel(Pool pool, Pseudonyms pseudonyms) {
        this.pool = pool;
        this.pseudonyms = pseudonyms;
    }

    /** One day of a site: every user who reported, with their intervals and changes of state. */
    public Uni<WorkstationReport> day(Site site, LocalDate date, Instant now, boolean today) {
        Tuple siteAndDay = Tuple.of(site.id(), date);
        return ReadModelSql.snapshot(pool, c -> Uni.combine().all().unis(
                c.preparedQuery("SELECT " + USER_DAY_COLUMNS + " FROM workstation_user_day "
                        + "WHERE site = $1 AND local_date = $2").execute(siteAndDay),
                c.preparedQuery("SELECT " + INTERVAL_COLUMNS + " FROM working_interval "
                        + "WHERE site = $1 AND local_date = $2 ORDER BY username, start_at").execute(siteAndDay),
                c.preparedQuery("SELECT username, occurred_at, state FROM workstation_event "
                        + "WHERE site = $1 AND local_date = $2 ORDER BY username, occurred_at, state").execute(siteAndDay),
                c.preparedQuery(ReadModelSql.WORKSTATION_SITE_RULES).execute(Tuple.of(site.id()))
        ).asTuple()).map(t -> {
            Map<String, List<WorkingInterval>> intervals = new LinkedHashMap<>();
            for (Row r : t.getItem2()) {
                WorkingInterval i = interval(r);
                intervals.computeIfAbsent(i.username(), k -> new ArrayList<>()).add(i);
            }
            Map<String, List<WorkstationReport.StateChange>> reports = new LinkedHashMap<>();
            for (Row r : t.getItem3()) {
                reports.computeIfAbsent(r.getString("username"), k -> new ArrayList<>())
                        .add(new WorkstationReport.StateChange(instant(r, "occurred_at"), r.getString("state")));
            }
            List<WorkstationReport.UserActivity> users = new ArrayList<>();
            for (Row r : t.getItem1()) {
                List<WorkingInterval> own = intervals.getOrDefault(r.getString("username"), List.of());
                UserDay d = userDay(site, r, own, now);
                users.add(new WorkstationReport.UserActivity(d.username(), d.lastState(), d.firstAt(), d.lastAt(),
                        d.reports(), d.working().firstWorkAt(), d.working().lastWorkAt(), d.working().seconds(),
                        d.working().minutes(), d.working().realWorkBlocks(), d.running(),
                        own.stream().map(i -> i.asOf(now)).toList(),
                        StateChanges.of(reports.getOrDefault(r.getString("username"), List.of()))));
            }
            users.sort(Comparator.comparing(WorkstationReport.UserActivity::username, BY_NAME));
            DayAxis axis = DayAxis.of(date, site.zone());
            return new WorkstationReport(site.id(), date, site.zone(), now, today,
                    axis.length().toMinutes() / 60.0, users, ReadModelSql.siteRules(site.id(), t.getItem4()));
        });
    }

    /**
     * Every user-day of a site in a range (or one user's), ordered by date, then username. Only the running
     * intervals are read: the others are already summed as they are.
     */
    public Uni<List<UserDay>> userDays(Site site, ReportRange range, Optional<String> username, Instant now) {
        String user = username.orElse(null);
        return ReadModelSql.snapshot(pool, c -> Uni.combine().all().unis(
                c.preparedQuery("SELECT " + USER_DAY_COLUMNS + " FROM workstation_user_day "
                                + "WHERE site = $1 AND local_date BETWEEN $2 AND $3 AND ($4::text IS NULL OR username = $4)")
                        .execute(Tuple.of(site.id(), range.from(), range.to(), user)),
                c.preparedQuery("SELECT " + INTERVAL_COLUMNS + " FROM working_interval "
                                + "WHERE site = $1 AND local_date BETWEEN $2 AND $3 AND ($4::text IS NULL OR username = $4) "
                                + "AND ended_by = 'timeout' AND end_at > $5")
                        .execute(Tuple.of(site.id(), range.from(), range.to(), user, now.atOffset(ZoneOffset.UTC)))
        ).asTuple()).map(t -> {
            Map<String, List<WorkingInterval>> running = new LinkedHashMap<>();
            for (Row r : t.getItem2()) {
                WorkingInterval i = interval(r);
                running.computeIfAbsent(i.localDate() + "/" + i.username(), k -> new ArrayList<>()).add(i);
            }
            List<UserDay> days = new ArrayList<>();
            for (Row r : t.getItem1()) {
                days.add(userDay(site, r, running.getOrDefault(r.getLocalDate("local_date") + "/" + r.getString("username"),
                        List.of()), now));
            }
            days.sort(Comparator.comparing(UserDay::date).thenComparing(UserDay::username));
            return days;
        });
    }

    /** What the live generation of the workstation projection computed a site's numbers with, e.g. after a rule change. */
    public Uni<String> rules(Site site) {
        return pool.preparedQuery(ReadModelSql.WORKSTATION_SITE_RULES).execute(Tuple.of(site.id()))
                .map(rows -> ReadModelSql.siteRules(site.id(), rows));
    }

    /** A user-day as the request may show it: the user name is a pseudonym unless names were revealed. */
    private UserDay userDay(Site site, Row r, List<WorkingInterval> intervals, Instant now) {
        WorkingTime stored = new WorkingTime(r.getLong("working_seconds"), r.getInteger("real_work_blocks"),
                instant(r, "first_work_at"), instant(r, "last_work_at"));
        return new UserDay(r.getLocalDate("local_date"), pseudonyms.user(site.id(), r.getString("username")), r.getInteger("reports"),
                instant(r, "first_at"), instant(r, "last_at"), r.getString("last_state"),
                WorkingTime.asOf(stored, intervals, now), intervals.stream().anyMatch(i -> i.isRunningAt(now)));
    }

    private static WorkingInterval interval(Row r) {
        return new WorkingInterval(r.getString("username"), r.getLocalDate("local_date"), instant(r, "start_at"),
                instant(r, "end_at"), r.getString("ended_by"), instant(r, "last_report_at"), r.getInteger("reports"),
                r.getInteger("real_work_blocks"), r.getInteger("block_seconds"));
    }
}
