package dev.rollcall.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.rollcall.report.ReadModelSql.instant;

/**
 * Who StaffTrace's agent says is present at a site now. Its hourly summaries arrive after the hour, so without this a
 * StaffTrace site's "now" page would show nobody; its heartbeat (every 5 minutes) lists the employees it sees present
 * ({@code agent_heartbeat.employees_present}, ids only). While the site's latest such heartbeat is fresh (younger than
 * {@code report.agents.offline-after}), each employee it lists is present:
 * <ul>
 *   <li>who: the roster employee its StaffTrace id is mapped to ({@code roster_stafftrace_id}), or the employee with
 *       that id when it is mapped to nobody; inactive employees are left out, as everywhere;</li>
 *   <li>since: the first heartbeat of the run of consecutive StaffTrace heartbeats listing them that ends with the
 *       latest (looked for up to {@link PresenceReadModel#OPEN_SESSION_LOOKBACK_DAYS} days back);</li>
 *   <li>today: arrived at today's attendance day's arrival, else at {@code since} when that is today; present today
 *       the day's minutes plus the time from its last departure (or {@code since}, or midnight) up to now.</li>
 * </ul>
 * Someone the projection already shows present (an open session from Rollcall's own agents) stays as shown.
 */
@ApplicationScoped
public class StaffTraceNow {

    static final String LATEST = """
            SELECT occurred_at, employees_present FROM agent_heartbeat
            WHERE site = $1 AND employees_present IS NOT NULL AND occurred_at <= $2
            ORDER BY occurred_at DESC LIMIT 1""";

    /** Per listed id: the roster employee, whether active, when the run listing them began, and today's day row. */
    static final String PRESENT = """
            SELECT p.id, COALESCE(m.employee_id, p.id) AS employee_id, e.name, e.active,
                (SELECT min(h.occurred_at) FROM agent_heartbeat h
                 WHERE h.site = $1 AND h.employees_present IS NOT NULL AND h.occurred_at <= $2 AND h.occurred_at >= $5
                   AND h.occurred_at > COALESCE((SELECT x.occurred_at FROM agent_heartbeat x
                       WHERE x.site = $1 AND x.employees_present IS NOT NULL AND x.occurred_at < $2 AND x.occurred_at >= $5
                         AND NOT (p.id = ANY (x.employees_present))
                       ORDER BY x.occurred_at DESC LIMIT 1), '-infinity')) AS since,
                d.arrived_at, d.left_at, d.minutes_present
            FROM unnest($3::text[]) AS p(id)
            LEFT JOIN roster_stafftrace_id m ON m.site = $1 AND m.stafftrace_id = p.id
            LEFT JOIN roster_employee e ON e.site = $1 AND e.employee_id = COALESCE(m.employee_id, p.id)
            LEFT JOIN attendance_day d ON d.site = $1 AND d.employee_id = COALESCE(m.employee_id, p.id) AND d.local_date = $4""";

    private final Pool pool;
    private final Pseudonyms pseudonyms;
    private final ReportConfig config;

    public StaffTraceNow(Pool pool, Pseudonyms pseudonyms, ReportConfig config) {
        this.pool = pool;
        this.pseudonyms = pseudonyms;
        this.config = config;
    }

    /** The report with the employees StaffTrace's fresh heartbeat lists moved to (or added as) present. */
    public Uni<PresenceNow> addTo(PresenceNow report) {
        RosterSite site = report.site();
        Instant now = report.generatedAt();
        return pool.preparedQuery(LATEST).execute(Tuple.of(site.id(), now.atOffset(ZoneOffset.UTC))).chain(latest -> {
            Row last = latest.iterator().hasNext() ? latest.iterator().next() : null;
            if (last == null || !Duration.between(instant(last, "occurred_at"), now).minus(config.agents().offlineAfter()).isNegative()) {
                return Uni.createFrom().item(report);
            }
            String[] ids = last.getArrayOfStrings("employees_present");
            if (ids.length == 0) {
                return Uni.createFrom().item(report);
            }
            Instant lookback = now.minus(Duration.ofDays(PresenceReadModel.OPEN_SESSION_LOOKBACK_DAYS));
            return pool.preparedQuery(PRESENT).execute(Tuple.of(site.id(), now.atOffset(ZoneOffset.UTC), ids, report.today(),
                    lookback.atOffset(ZoneOffset.UTC))).map(rows -> merge(report, rows));
        });
    }

    private PresenceNow merge(PresenceNow report, Iterable<Row> rows) {
        RosterSite site = report.site();
        Instant now = report.generatedAt();
        Instant midnight = report.today().atStartOfDay(site.zone()).toInstant();
        List<PresenceNow.Present> present = new ArrayList<>(report.present());
        List<PresenceNow.Absent> absent = new ArrayList<>(report.absent());
        List<PresenceNow.Unknown> unknown = new ArrayList<>(report.unknown());
        Map<String, PresenceNow.Present> shown = new HashMap<>();
        present.forEach(p -> shown.put(p.employee().pseudonym(), p));
        for (Row r : rows) {
            String id = r.getString("employee_id");
            if (Boolean.FALSE.equals(r.getBoolean("active")) || shown.containsKey(pseudonyms.of(site.id(), id))) {
                continue;
            }
            Employee employee = pseudonyms.employee(site.id(), id, r.getString("name"));
            Instant since = instant(r, "since");
            Instant arrived = instant(r, "arrived_at");
            if (arrived == null && since != null && !since.isBefore(midnight)) {
                arrived = since;
            }
            long seconds = 0;
            if (arrived != null) {
                Instant from = later(later(since, instant(r, "left_at")), midnight);
                Integer minutes = r.getInteger("minutes_present");
                seconds = (minutes == null ? 0 : minutes * 60L) + Math.max(0, Duration.between(from, now).toSeconds());
            }
            PresenceNow.Present p = new PresenceNow.Present(employee, since, null, arrived, seconds);
            shown.put(employee.pseudonym(), p);
            present.add(p);
            absent.removeIf(a -> a.employee().pseudonym().equals(employee.pseudonym()));
            unknown.removeIf(u -> u.employee().pseudonym().equals(employee.pseudonym()));
        }
        present.sort(Comparator.comparing(PresenceNow.Present::employee, Employee.BY_LABEL));
        return new PresenceNow(site, report.generatedAt(), report.today(), report.graceMinutes(), present, absent,
                report.unknownSince(), report.silentAgents(), unknown, report.sites(), report.coverage());
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
