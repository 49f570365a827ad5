package dev.rollcall.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import static dev.rollcall.report.ReadModelSql.instant;

/**
 * Reads the roster and attendance views that projection-service writes ({@code roster_site},
 * {@code roster_employee}, {@code roster_device_assignment}, {@code attendance_session}, {@code attendance_day}),
 * each report in one read-only snapshot. The site's row comes first: its zone decides which local day is today.
 * Employees appear as {@link Pseudonyms} make them: their names only when configured.
 */
@ApplicationScoped
public class PresenceReadModel {

    private static final String LIVE_RULES = ReadModelSql.liveRules("presence-day");
    private static final String DAY_COLUMNS = "employee_id, local_date, arrived_at, left_at, minutes_present, sessions";
    private static final String SESSION_COLUMNS = "employee_id, local_date, start_at, end_at";
    private static final int MAX_ARRIVALS_A_DAY = 1000;
    /**
     * How far back an open session is looked for: a phone left online in the office over a long holiday is
     * still found, and the query stays on the (site, local_date) index instead of a site's whole history.
     */
    static final int OPEN_SESSION_LOOKBACK_DAYS = 31;

    private final Pool pool;
    private final Pseudonyms pseudonyms;
    private final AgentsReadModel agents;
    private final ReportConfig config;

    public PresenceReadModel(Pool pool, Pseudonyms pseudonyms, AgentsReadModel agents, ReportConfig config) {
        this.pool = pool;
        this.pseudonyms = pseudonyms;
        this.agents = agents;
        this.config = config;
    }

    /**
     * What the site's presence agents observed of a presence report's period (the days {@code rangeAtSite} gives in
     * the site's zone), read before the report: it decides up to when open sessions count
     * ({@link Coverage#presenceKnownUntil}) and whether presence now is unknown.
     */
    public Uni<Coverage> coverage(Site configured, Function<RosterSite, ReportRange> rangeAtSite, Instant now) {
        return site(configured).flatMap(site -> {
            ReportRange range = rangeAtSite.apply(site);
            return agents.presenceCoverage(site.id(), site.zone(), range.from(), range.to(), now);
        });
    }

    /** The site as the roster configured it (its zone decides which local day is today). */
    public Uni<RosterSite> site(Site configured) {
        return atSite(configured, (c, site) -> Uni.createFrom().item(site));
    }

    /**
     * Who is present now, and when the others were last seen. Present: a session open, or ended no longer than the
     * site's grace period ago. While {@code coverage} has a presence agent down now, everyone is unknown instead,
     * with what was known when it went silent (open sessions counted up to then, not to now).
     */
    public Uni<PresenceNow> now(Site configured, Instant now, Coverage coverage) {
        return atSite(configured, (c, site) -> {
            LocalDate today = LocalDate.ofInstant(now, site.zone());
            Duration grace = site.presenceGraceMinutes() == null ? config.presenceGrace()
                    : Duration.ofMinutes(site.presenceGraceMinutes());
            List<AgentDowntime> down = coverage.presenceDownAt(now);
            Instant unknownSince = coverage.presenceUnknownSince();
            // what is known: up to now, or up to when a presence agent fell silent
            Instant asOf = coverage.presenceKnownUntil(now);
            Tuple siteAndDay = Tuple.of(site.id(), today);
            return Uni.combine().all().unis(
                    employees(c, site),
                    // today's sessions, an open one begun on an earlier day, and one that ended within the grace period
                    c.preparedQuery("SELECT " + SESSION_COLUMNS + " FROM attendance_session WHERE site = $1 "
                            + "AND local_date BETWEEN $3 AND $2 AND (local_date = $2 OR end_at IS NULL OR end_at >= $4)")
                            .execute(Tuple.of(site.id(), today, today.minusDays(OPEN_SESSION_LOOKBACK_DAYS),
                                    asOf.minus(grace).atOffset(ZoneOffset.UTC))),
                    c.preparedQuery("SELECT " + DAY_COLUMNS + " FROM attendance_day WHERE site = $1 AND local_date = $2")
                            .execute(siteAndDay),
                    // each employee's latest departure, one index probe per employee
                    c.preparedQuery("SELECT e.employee_id, d.left_at AS last_seen FROM roster_employee e "
                            + "CROSS JOIN LATERAL (SELECT left_at FROM attendance_day a WHERE a.site = e.site "
                            + "AND a.employee_id = e.employee_id AND a.left_at IS NOT NULL "
                            + "ORDER BY a.local_date DESC LIMIT 1) d WHERE e.site = $1").execute(Tuple.of(site.id())),
                    c.preparedQuery("SELECT employee_id, count(*) AS devices FROM roster_device_assignment "
                            + "WHERE site = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) GROUP BY employee_id")
                            .execute(Tuple.of(site.id(), now.atOffset(ZoneOffset.UTC))),
                    c.query("SELECT site, name, zone, presence_grace_minutes FROM roster_site ORDER BY site").execute()
            ).asTuple().map(t -> {
                Map<String, Employed> employees = t.getItem1();
                List<AttendanceSession> sessions = sessions(t.getItem2());
                Map<String, AttendanceDay> todays = new HashMap<>();
                t.getItem3().forEach(r -> todays.put(r.getString("employee_id"), day(r)));
                Map<String, Instant> lastSeen = new HashMap<>();
                t.getItem4().forEach(r -> lastSeen.put(r.getString("employee_id"), instant(r, "last_seen")));
                Map<String, Integer> devices = new HashMap<>();
                t.getItem5().forEach(r -> devices.put(r.getString("employee_id"), r.getLong("devices").intValue()));
                List<RosterSite> sites = new ArrayList<>();
                t.getItem6().forEach(r -> sites.add(site(r.getString("site"), r, site.zone())));

                Map<String, Here> here = here(sessions, asOf, grace);
                here.keySet().removeIf(id -> !listed(employees, id, now));
                List<PresenceNow.Present> present = new ArrayList<>();
                List<PresenceNow.Absent> absent = new ArrayList<>();
                List<PresenceNow.Unknown> unknown = new ArrayList<>();
                here.forEach((id, h) -> {
                    AttendanceDay d = todays.get(id);
                    long seconds = d == null ? 0 : d.presentSecondsAsOf(sessions, asOf);
                    Instant arrived = d == null ? null : d.arrived();
                    if (unknownSince == null) {
                        present.add(new PresenceNow.Present(employee(site, id, employees), h.since(), h.offlineSince(),
                                arrived, seconds));
                    } else {
                        unknown.add(new PresenceNow.Unknown(employee(site, id, employees), h.since(), arrived, seconds,
                                lastSeen.get(id), todays.containsKey(id), devices.getOrDefault(id, 0)));
                    }
                });
                employees.forEach((id, e) -> {
                    if (e.active() && !here.containsKey(id)) {
                        if (unknownSince == null) {
                            absent.add(new PresenceNow.Absent(employee(site, id, employees), lastSeen.get(id),
                                    todays.containsKey(id), devices.getOrDefault(id, 0)));
                        } else {
                            AttendanceDay d = todays.get(id);
                            unknown.add(new PresenceNow.Unknown(employee(site, id, employees), null,
                                    d == null ? null : d.arrived(), d == null ? 0 : d.presentSecondsAsOf(sessions, asOf),
                                    lastSeen.get(id), d != null, devices.getOrDefault(id, 0)));
                        }
                    }
                });
                present.sort(Comparator.comparing(PresenceNow.Present::employee, Employee.BY_LABEL));
                absent.sort(Comparator.comparing(PresenceNow.Absent::employee, Employee.BY_LABEL));
                unknown.sort(Comparator.comparing(PresenceNow.Unknown::employee, Employee.BY_LABEL));
                return new PresenceNow(site, now, today, (int) grace.toMinutes(), present, absent, unknownSince,
                        down.stream().map(AgentDowntime::agentId).distinct().sorted().toList(), unknown, sites, coverage);
            });
        });
    }

    /** Present at some instant: since when, and since when every device has been offline (null: one is online). */
    record Here(Instant since, Instant offlineSince) {
    }

    /** Who is present at {@code t} by their sessions ({@link AttendanceSession#presentAt}). */
    static Map<String, Here> here(List<AttendanceSession> sessions, Instant t, Duration grace) {
        Map<String, List<AttendanceSession>> byEmployee = new LinkedHashMap<>();
        for (AttendanceSession s : sessions) {
            if (s.presentAt(t, grace)) {
                byEmployee.computeIfAbsent(s.employeeId(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, Here> here = new LinkedHashMap<>();
        byEmployee.forEach((id, own) -> {
            Instant since = own.stream().map(AttendanceSession::start).min(Comparator.naturalOrder()).orElseThrow();
            // offline only when no session is open and none ends after t
            Instant offline = own.stream().allMatch(s -> s.end() != null && !s.end().isAfter(t))
                    ? own.stream().map(AttendanceSession::end).max(Comparator.naturalOrder()).orElseThrow() : null;
            here.put(id, new Here(since, offline));
        });
        return here;
    }

    /**
     * One local day: each employee who arrived that day, with their sessions; those present into it from an
     * earlier day; the active ones not seen at all. Open sessions count up to {@link Coverage#presenceKnownUntil}:
     * while a presence agent is silent, whoever was present then is unknown now, neither present nor gone.
     */
    public Uni<PresenceDay> day(Site configured, Function<RosterSite, LocalDate> dateAtSite, Instant now, Coverage coverage) {
        Instant knownUntil = coverage.presenceKnownUntil(now);
        return atSite(configured, (c, site) -> {
            LocalDate date = dateAtSite.apply(site);
            DayAxis axis = DayAxis.of(date, site.zone());
            Tuple siteAndDay = Tuple.of(site.id(), date);
            return Uni.combine().all().unis(
                    employees(c, site),
                    c.preparedQuery("SELECT " + DAY_COLUMNS + " FROM attendance_day WHERE site = $1 AND local_date = $2")
                            .execute(siteAndDay),
                    c.preparedQuery("SELECT " + SESSION_COLUMNS + " FROM attendance_session "
                            + "WHERE site = $1 AND local_date = $2 ORDER BY employee_id, start_at").execute(siteAndDay),
                    c.query(LIVE_RULES).execute(),
                    c.preparedQuery("SELECT " + SESSION_COLUMNS + " FROM attendance_session WHERE site = $1 "
                            + "AND local_date >= $5 AND local_date < $2 AND start_at < $4 AND (end_at IS NULL OR end_at > $3) "
                            + "ORDER BY start_at")
                            .execute(Tuple.of(site.id(), date, axis.start().atOffset(ZoneOffset.UTC),
                                    axis.end().atOffset(ZoneOffset.UTC), date.minusDays(OPEN_SESSION_LOOKBACK_DAYS)))
            ).asTuple().map(t -> {
                Map<String, Employed> employees = t.getItem1();
                List<AttendanceSession> sessions = sessions(t.getItem3());
                List<PresenceDay.EmployeeDay> days = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (Row r : t.getItem2()) {
                    AttendanceDay d = day(r);
                    if (!listed(employees, d.employeeId(), d.arrived())) {
                        continue;
                    }
                    seen.add(d.employeeId());
                    long seconds = d.presentSecondsAsOf(sessions, knownUntil);
                    boolean open = d.presentIn(sessions);
                    boolean unknown = open && coverage.presenceUnknown();
                    days.add(new PresenceDay.EmployeeDay(employee(site, d.employeeId(), employees), d.arrived(),
                            open ? null : d.left(), open && !unknown, seconds, seconds / 60, d.sessions(),
                            sessions.stream().filter(s -> s.employeeId().equals(d.employeeId()))
                                    .map(s -> s.asOf(now, knownUntil)).toList(), unknown));
                }
                days.sort(Comparator.comparing(PresenceDay.EmployeeDay::employee, Employee.BY_LABEL));
                List<PresenceDay.Overnight> overnight = new ArrayList<>();
                for (AttendanceSession s : sessions(t.getItem5())) {
                    if (!listed(employees, s.employeeId(), s.start())) {
                        continue;
                    }
                    seen.add(s.employeeId());
                    overnight.add(new PresenceDay.Overnight(employee(site, s.employeeId(), employees), s.start(), s.end(),
                            s.open() && coverage.presenceUnknown()));
                }
                overnight.sort(Comparator.comparing(PresenceDay.Overnight::employee, Employee.BY_LABEL));
                List<Employee> notSeen = new ArrayList<>();
                employees.forEach((id, e) -> {
                    if (e.active() && !seen.contains(id)) {
                        notSeen.add(employee(site, id, employees));
                    }
                });
                notSeen.sort(Employee.BY_LABEL);
                return new PresenceDay(site, date, date.equals(LocalDate.ofInstant(now, site.zone())), now,
                        axis.length().toMinutes() / 60.0, days, overnight, notSeen, ReadModelSql.rules(t.getItem4()), coverage);
            });
        });
    }

    /** A range of days (a month) as employees × days, open sessions counted as {@link #day} counts them. */
    public Uni<PresenceMonth> month(Site configured, Function<RosterSite, ReportRange> rangeAtSite, Instant now,
                                    Coverage coverage) {
        return atSite(configured, (c, site) -> {
            ReportRange range = rangeAtSite.apply(site);
            Tuple siteAndRange = Tuple.of(site.id(), range.from(), range.to());
            return Uni.combine().all().unis(
                    employees(c, site),
                    c.preparedQuery("SELECT " + DAY_COLUMNS + " FROM attendance_day "
                            + "WHERE site = $1 AND local_date BETWEEN $2 AND $3").execute(siteAndRange),
                    // only the days with an open session need their sessions: the others' minutes are final
                    c.preparedQuery("SELECT " + SESSION_COLUMNS + " FROM attendance_session s "
                            + "WHERE site = $1 AND local_date BETWEEN $2 AND $3 AND EXISTS (SELECT 1 FROM attendance_session o "
                            + "WHERE o.site = s.site AND o.employee_id = s.employee_id AND o.local_date = s.local_date "
                            + "AND o.end_at IS NULL)").execute(siteAndRange),
                    c.query(LIVE_RULES).execute()
            ).asTuple().map(t -> {
                Map<String, Employed> employees = t.getItem1();
                List<AttendanceSession> sessions = sessions(t.getItem3());
                List<AttendanceDay> days = new ArrayList<>();
                t.getItem2().forEach(r -> days.add(day(r)));
                days.removeIf(d -> !listed(employees, d.employeeId(), d.arrived()));
                DayGrid<Employee, PresenceMonth.Cell> grid = DayGrid.of(range, days,
                        d -> employee(site, d.employeeId(), employees), AttendanceDay::date, d -> cell(d, sessions, now, coverage),
                        PresenceMonth.Cell::presentSeconds, PresenceMonth.Cell::sessions, Employee.BY_LABEL);
                List<PresenceMonth.EmployeeRow> rows = grid.rows().stream().map(r -> new PresenceMonth.EmployeeRow(
                        r.header(), r.cells(), r.total().seconds(), r.total().seconds() / 60, r.total().cells())).toList();
                List<PresenceMonth.DayTotal> totals = new ArrayList<>();
                for (int i = 0; i < grid.days().size(); i++) {
                    DayGrid.Sum s = grid.dayTotals().get(i);
                    totals.add(new PresenceMonth.DayTotal(grid.days().get(i), s.seconds(), s.seconds() / 60, s.cells()));
                }
                return new PresenceMonth(site, range, LocalDate.ofInstant(now, site.zone()), now, grid.days(), rows,
                        totals, grid.total().seconds(), ReadModelSql.rules(t.getItem4()), coverage);
            });
        });
    }

    /**
     * Today's arrivals, and the latest {@code earlierLimit} of the {@code earlierDays} days before. A session still
     * open while a presence agent is silent ({@code coverage}) is unknown, not present.
     */
    public Uni<Arrivals> arrivals(Site configured, Instant now, int earlierDays, int earlierLimit, Coverage coverage) {
        return atSite(configured, (c, site) -> {
            LocalDate today = LocalDate.ofInstant(now, site.zone());
            LocalDate earlierFrom = today.minusDays(earlierDays);
            String arrivals = "SELECT " + SESSION_COLUMNS + ", start_at = min(start_at) OVER "
                    + "(PARTITION BY employee_id, local_date) AS first_of_day FROM attendance_session "
                    + "WHERE site = $1 AND local_date BETWEEN $2 AND $3 ORDER BY start_at DESC, employee_id LIMIT $4";
            return Uni.combine().all().unis(
                    employees(c, site),
                    c.preparedQuery(arrivals).execute(Tuple.of(site.id(), today, today, MAX_ARRIVALS_A_DAY)),
                    c.preparedQuery(arrivals).execute(Tuple.of(site.id(), earlierFrom, today.minusDays(1), earlierLimit))
            ).asTuple().map(t -> new Arrivals(site, today, now, arrivals(site, t.getItem2(), t.getItem1(), coverage),
                    earlierFrom, earlierLimit, arrivals(site, t.getItem3(), t.getItem1(), coverage), coverage.presenceUnknownSince()));
        });
    }

    /** The reads of one report in one snapshot, the site's roster row first. */
    private <T> Uni<T> atSite(Site configured, BiFunction<SqlConnection, RosterSite, Uni<T>> reads) {
        return ReadModelSql.snapshot(pool, c -> c.preparedQuery(
                        "SELECT site, name, zone, presence_grace_minutes FROM roster_site WHERE site = $1")
                .execute(Tuple.of(configured.id()))
                .map(rows -> {
                    for (Row r : rows) {
                        return site(configured.id(), r, configured.zone());
                    }
                    return RosterSite.unknown(configured);
                })
                .flatMap(site -> reads.apply(c, site)));
    }

    /** A site's roster row; a zone the JVM does not know falls back to the configured one. */
    private static RosterSite site(String id, Row r, ZoneId fallback) {
        ZoneId zone;
        try {
            zone = ZoneId.of(r.getString("zone"));
        } catch (DateTimeException | NullPointerException e) {
            zone = fallback;
        }
        return new RosterSite(id, r.getString("name"), zone, r.getInteger("presence_grace_minutes"));
    }

    /**
     * An employee's roster entry: their name is only ever handed to {@link Pseudonyms}. {@code inactiveSince}: when
     * the roster made them inactive (the time of the event that deactivated them; later edits do not move it), null
     * while active.
     */
    private record Employed(String name, boolean active, Instant inactiveSince) {
    }

    /**
     * Whether an employee's presence at {@code t} is reported: always while active (or unknown to the roster); for an
     * inactive one only before they were made inactive. From then on they are neither present nor absent; what they
     * attended before stays in the reports.
     */
    private static boolean listed(Map<String, Employed> employees, String employeeId, Instant t) {
        Employed e = employees.get(employeeId);
        return e == null || e.active() || e.inactiveSince() == null || t.isBefore(e.inactiveSince());
    }

    private static Uni<Map<String, Employed>> employees(SqlConnection c, RosterSite site) {
        // inactive_since is null only for a deactivation the roster projection found no event of: then the latest edit
        return c.preparedQuery("SELECT employee_id, name, active, COALESCE(inactive_since, updated_at) AS inactive_since "
                        + "FROM roster_employee WHERE site = $1")
                .execute(Tuple.of(site.id()))
                .map(rows -> {
                    Map<String, Employed> employees = new LinkedHashMap<>();
                    rows.forEach(r -> {
                        boolean active = Boolean.TRUE.equals(r.getBoolean("active"));
                        employees.put(r.getString("employee_id"),
                                new Employed(r.getString("name"), active, active ? null : instant(r, "inactive_since")));
                    });
                    return employees;
                });
    }

    private Employee employee(RosterSite site, String employeeId, Map<String, Employed> employees) {
        Employed e = employees.get(employeeId);
        return pseudonyms.employee(site.id(), employeeId, e == null ? null : e.name());
    }

    private List<Arrivals.Arrival> arrivals(RosterSite site, RowSet<Row> rows, Map<String, Employed> employees,
                                            Coverage coverage) {
        List<Arrivals.Arrival> arrivals = new ArrayList<>();
        for (Row r : rows) {
            if (!listed(employees, r.getString("employee_id"), instant(r, "start_at"))) {
                continue;
            }
            Instant left = instant(r, "end_at");
            arrivals.add(new Arrivals.Arrival(employee(site, r.getString("employee_id"), employees),
                    r.getLocalDate("local_date"), instant(r, "start_at"), Boolean.TRUE.equals(r.getBoolean("first_of_day")),
                    left, left == null && !coverage.presenceUnknown(), left == null && coverage.presenceUnknown()));
        }
        return arrivals;
    }

    private static PresenceMonth.Cell cell(AttendanceDay d, List<AttendanceSession> sessions, Instant now, Coverage coverage) {
        long seconds = d.presentSecondsAsOf(sessions, coverage.presenceKnownUntil(now));
        boolean open = d.presentIn(sessions);
        boolean unknown = open && coverage.presenceUnknown();
        return new PresenceMonth.Cell(d.date(), seconds, seconds / 60, d.sessions(), d.arrived(),
                open ? null : d.left(), open && !unknown, unknown);
    }

    private static AttendanceDay day(Row r) {
        return new AttendanceDay(r.getString("employee_id"), r.getLocalDate("local_date"), instant(r, "arrived_at"),
                instant(r, "left_at"), r.getInteger("minutes_present"), r.getInteger("sessions"));
    }

    private static List<AttendanceSession> sessions(RowSet<Row> rows) {
        List<AttendanceSession> sessions = new ArrayList<>();
        for (Row r : rows) {
            sessions.add(new AttendanceSession(r.getString("employee_id"), r.getLocalDate("local_date"),
                    instant(r, "start_at"), instant(r, "end_at")));
        }
        return sessions;
    }
}
