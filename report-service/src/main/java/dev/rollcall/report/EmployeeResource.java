package dev.rollcall.report;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Finding one employee and their page. Search matches what the page shows: the pseudonym, or the real name once
 * hr has revealed names for the search (so that a viewer cannot learn whose pseudonym is whose by searching for a
 * name). An employee's page ({@code /employees/{pseudonym}}) shows today's timeline, this month's days and their
 * devices, from the same reports as the day and month pages; and, for the workstation user names the roster gives
 * them, this month's working time and real work hours per day beside their presence (the user names as the
 * workstation pages show them: pseudonyms unless names were revealed).
 */
@Path("/employees")
@RolesAllowed(Role.VIEWER_NAME)
public class EmployeeResource {

    /**
     * {@code present}: present now; {@code unknown}: a presence agent of the site is silent, so whether they are
     * here is not known (then {@code present} is false, and it does not mean away).
     */
    public record Found(Employee employee, boolean present, boolean active, boolean unknown) {
    }

    /** {@code unknownSince}: null while the site's presence agents observe; else since when presence is unknown. */
    public record Search(RosterSite site, String query, List<Found> found, int total, Instant unknownSince) {
    }

    public record Device(String mac, String label, boolean randomised, Instant since) {
    }

    /**
     * A day of one of the employee's workstation user names: working time and real work hours (blocks), and the
     * employee's presence that day ({@code seen} false: not seen).
     */
    public record WorkstationDay(java.time.LocalDate date, String user, long workingSeconds, int realWorkHours,
                                 boolean running, boolean seen, long presentSeconds) {
    }

    /** users: the employee's workstation user names as the request may show them; days by date, then user. */
    public record Workstation(List<String> users, List<WorkstationDay> days, long workingSeconds, int realWorkHours) {
    }

    /**
     * {@code month} carries the agents' coverage of the month; {@code calendar} is its heatmap for this employee.
     * staffTraceIds: the ids StaffTrace's agent reports the employee by, shown like the employee's own id: only in a
     * revealed request (often a personnel number); staffTraceIdCount: how many there are.
     */
    public record EmployeePage(RosterSite site, Employee employee, PresenceDay today, PresenceDay.EmployeeDay day,
                               PresenceMonth month, PresenceMonth.EmployeeRow row, List<Device> devices,
                               Workstation workstation, MonthHeat.Calendar calendar, List<String> staffTraceIds,
                               int staffTraceIdCount) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(Search search);

        static native TemplateInstance employee(EmployeePage page);
    }

    private final PresenceReadModel readModel;
    private final WorkstationReadModel workstation;
    private final Pseudonyms pseudonyms;
    private final Pool pool;
    private final ReportConfig config;
    private final Clock clock;

    public EmployeeResource(PresenceReadModel readModel, WorkstationReadModel workstation,
                            Pseudonyms pseudonyms, Pool pool, ReportConfig config, Clock clock) {
        this.readModel = readModel;
        this.workstation = workstation;
        this.pseudonyms = pseudonyms;
        this.pool = pool;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> searchPage(@QueryParam("site") String site, @QueryParam("q") String q) {
        return search(site, q).map(Templates::search);
    }

    @GET
    @Path("search.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Search> search(@QueryParam("site") String site, @QueryParam("q") String q) {
        String query = q == null ? "" : q.strip();
        if (query.length() > 100) {
            throw new InvalidQueryException("q must be at most 100 characters");
        }
        String needle = query.toLowerCase(Locale.ROOT);
        Site configured = ReportQuery.site(site, config);
        Instant at = clock.instant();
        // as the now page says it: unknown, not away, while a presence agent is silent
        return readModel.coverage(configured, s -> ReportRange.day(s.today(clock)), at)
                .flatMap(coverage -> readModel.now(configured, at, coverage)).map(now -> {
            List<Found> all = Stream.of(
                    now.present().stream().map(p -> new Found(p.employee(), true, true, false)),
                    now.absent().stream().map(a -> new Found(a.employee(), false, true, false)),
                    now.unknown().stream().map(u -> new Found(u.employee(), false, true, true))).flatMap(f -> f).toList();
            List<Found> found = new ArrayList<>();
            for (Found f : all) {
                if (needle.isEmpty() || f.employee().label().toLowerCase(Locale.ROOT).contains(needle)
                        || f.employee().pseudonym().toLowerCase(Locale.ROOT).contains(needle)) {
                    found.add(f);
                }
            }
            found.sort(java.util.Comparator.comparing(Found::employee, Employee.BY_LABEL));
            return new Search(now.site(), query, found, all.size(), now.unknownSince());
        });
    }

    /** The search's result as CSV: {@code employee,present}, as the page lists them. */
    @GET
    @Path("search.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> searchCsv(@QueryParam("site") String site, @QueryParam("q") String q) {
        return search(site, q).map(EmployeeCsv::search);
    }

    @GET
    @Path("{pseudonym}")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(@PathParam("pseudonym") String pseudonym, @QueryParam("site") String site) {
        return employee(pseudonym, site).map(Templates::employee);
    }

    /** The employee page's month: one row per day they were seen, as its table. */
    @GET
    @Path("{pseudonym}/month.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> monthCsv(@PathParam("pseudonym") String pseudonym, @QueryParam("site") String site) {
        return employee(pseudonym, site).map(EmployeeCsv::month);
    }

    /** The employee page's workstation days: one row per day and user name, with their presence that day. */
    @GET
    @Path("{pseudonym}/workstation.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> workstationCsv(@PathParam("pseudonym") String pseudonym, @QueryParam("site") String site) {
        return employee(pseudonym, site).map(EmployeeCsv::workstation);
    }

    private Uni<EmployeePage> employee(String pseudonym, String site) {
        if (pseudonym == null || !pseudonym.matches("[0-9A-Z]{6}")) {
            throw new NotFoundException();
        }
        Site s = ReportQuery.site(site, config);
        Instant now = clock.instant();
        return pool.preparedQuery("SELECT employee_id FROM roster_employee WHERE site = $1").execute(Tuple.of(s.id()))
                .map(rows -> {
                    for (Row r : rows) {
                        if (pseudonyms.of(s.id(), r.getString("employee_id")).equals(pseudonym)) {
                            return r.getString("employee_id");
                        }
                    }
                    throw new NotFoundException();
                })
                .chain(id -> Uni.combine().all().unis(
                        readModel.coverage(s, rs -> ReportRange.day(rs.today(clock)), now)
                                .flatMap(coverage -> readModel.day(s, rs -> rs.today(clock), now, coverage)),
                        readModel.coverage(s, rs -> ReportQuery.month(null, null, rs.today(clock)), now)
                                .flatMap(coverage -> readModel.month(s, rs -> ReportQuery.month(null, null, rs.today(clock)), now, coverage)),
                        pool.preparedQuery("SELECT mac, label, randomised, valid_from FROM roster_device_assignment "
                                + "WHERE site = $1 AND employee_id = $2 AND valid_to IS NULL ORDER BY mac").execute(Tuple.of(s.id(), id)),
                        pool.preparedQuery("SELECT name FROM roster_employee WHERE site = $1 AND employee_id = $2")
                                .execute(Tuple.of(s.id(), id)),
                        pool.preparedQuery("SELECT username FROM roster_workstation_user WHERE site = $1 AND employee_id = $2")
                                .execute(Tuple.of(s.id(), id)),
                        pool.preparedQuery("SELECT stafftrace_id FROM roster_stafftrace_id WHERE site = $1 AND employee_id = $2 "
                                + "ORDER BY stafftrace_id").execute(Tuple.of(s.id(), id))).asTuple().chain(t -> {
                    Employee employee = pseudonyms.employee(s.id(), id, t.getItem4().iterator().next().getString("name"));
                    PresenceDay today = t.getItem1();
                    PresenceDay.EmployeeDay day = today.employees().stream()
                            .filter(e -> e.employee().pseudonym().equals(pseudonym)).findFirst().orElse(null);
                    PresenceMonth month = t.getItem2();
                    PresenceMonth.EmployeeRow row = month.employees().stream()
                            .filter(e -> e.employee().pseudonym().equals(pseudonym)).findFirst().orElse(null);
                    List<Device> devices = new ArrayList<>();
                    t.getItem3().forEach(r -> devices.add(new Device(r.getString("mac"), pseudonyms.deviceLabel(r.getString("label")),
                            r.getBoolean("randomised"), r.getOffsetDateTime("valid_from").toInstant())));
                    List<String> users = new ArrayList<>();
                    t.getItem5().forEach(r -> users.add(r.getString("username")));
                    List<String> staffTraceIds = new ArrayList<>();
                    t.getItem6().forEach(r -> staffTraceIds.add(r.getString("stafftrace_id")));
                    List<String> shownIds = pseudonyms.showsRealNames() ? staffTraceIds : List.of();
                    MonthHeat.Calendar calendar = MonthHeat.Calendar.of(employee.label() + ", hours present in "
                            + TimeExtensions.monthYear(month.range().from()), month.range(), row, month.coverage(), month.today());
                    return workstation(s, users, month, row, now).map(w -> new EmployeePage(today.site(), employee, today,
                            day, month, row, devices, w, calendar, shownIds, staffTraceIds.size()));
                }));
    }

    /** The user names' days of the month, each beside the employee's presence that day. */
    private Uni<Workstation> workstation(Site site, List<String> usernames, PresenceMonth month, PresenceMonth.EmployeeRow row,
                                         Instant now) {
        List<String> shown = usernames.stream().map(u -> pseudonyms.user(site.id(), u)).sorted(WorkstationReadModel.BY_NAME).toList();
        if (usernames.isEmpty()) {
            return Uni.createFrom().item(new Workstation(shown, List.of(), 0, 0));
        }
        java.util.Map<java.time.LocalDate, Long> present = new java.util.HashMap<>();
        if (row != null) {
            row.days().stream().filter(java.util.Objects::nonNull).forEach(c -> present.put(c.date(), c.presentSeconds()));
        }
        return Uni.join().all(usernames.stream()
                        .map(u -> workstation.userDays(site, month.range(), java.util.Optional.of(u), now)).toList())
                .andFailFast().map(perUser -> {
                    List<WorkstationDay> days = new ArrayList<>();
                    long seconds = 0;
                    int blocks = 0;
                    for (List<UserDay> userDays : perUser) {
                        for (UserDay d : userDays) {
                            days.add(new WorkstationDay(d.date(), d.username(), d.working().seconds(), d.working().realWorkBlocks(),
                                    d.running(), present.containsKey(d.date()), present.getOrDefault(d.date(), 0L)));
                            seconds += d.working().seconds();
                            blocks += d.working().realWorkBlocks();
                        }
                    }
                    days.sort(java.util.Comparator.comparing(WorkstationDay::date)
                            .thenComparing(WorkstationDay::user, WorkstationReadModel.BY_NAME));
                    return new Workstation(shown, days, seconds, blocks);
                });
    }
}
