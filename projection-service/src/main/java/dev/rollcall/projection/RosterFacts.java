package dev.rollcall.projection;

import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceReleased;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.projection.roster.AssignmentChange;
import dev.rollcall.projection.roster.DeviceAssignment;
import dev.rollcall.projection.roster.DeviceAssignments;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Folds roster events into one generation's roster tables ({@code <prefix>_event / _site / _employee /
 * _device_assignment _g<N>}, made by {@code rollcall_roster_tables}), in the caller's transaction. Every event
 * is stored once by id; then whatever the batch touched is recomputed from the stored events, so late and
 * re-sent roster events end in the same rows: a site's and an employee's row is their latest event (by event
 * time, then id), a device's assignments are re-folded with {@link DeviceAssignments}.
 *
 * <p>Used by the roster projection (prefix {@code roster}) and by presence-day for its own copy (prefix
 * {@code presence_roster}), which also wants to know what changed: sites whose zone or grace changed, and
 * assignments that appeared or disappeared.
 */
final class RosterFacts {

    static final String STORE_EVENT = """
            INSERT INTO {p}_event_g{g} (event_id, site, kind, subject, occurred_at, name, zone, grace_minutes, employee_id,
                                        label, active, source, auto_timeout_minutes, real_work_block_minutes,
                                        workstation_users, stafftrace_ids)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT (event_id) DO NOTHING""";

    /**
     * The touched sites' latest configuration; answers the sites whose zone or grace is new or different (what
     * presence depends on; the workstation rules are looked up by workstation-day when it folds).
     */
    static final String RECOMPUTE_SITES = """
            WITH latest AS (
                SELECT DISTINCT ON (site) site, name, zone, grace_minutes, occurred_at, auto_timeout_minutes,
                       real_work_block_minutes FROM {p}_event_g{g}
                WHERE kind = 'site-configured' AND site = ANY($1)
                ORDER BY site, occurred_at DESC, event_id DESC),
            before AS (SELECT site, zone, presence_grace_minutes FROM {p}_site_g{g} WHERE site = ANY($1)),
            after AS (
                INSERT INTO {p}_site_g{g} AS s (site, name, zone, presence_grace_minutes, updated_at, auto_timeout_minutes,
                                                real_work_block_minutes)
                SELECT site, name, zone, grace_minutes, occurred_at, auto_timeout_minutes, real_work_block_minutes FROM latest
                ON CONFLICT (site) DO UPDATE SET name = excluded.name, zone = excluded.zone,
                    presence_grace_minutes = excluded.presence_grace_minutes, updated_at = excluded.updated_at,
                    auto_timeout_minutes = excluded.auto_timeout_minutes,
                    real_work_block_minutes = excluded.real_work_block_minutes
                RETURNING site, zone, presence_grace_minutes)
            SELECT after.site FROM after LEFT JOIN before USING (site)
            WHERE before.site IS NULL OR before.zone <> after.zone OR before.presence_grace_minutes <> after.presence_grace_minutes""";

    /**
     * An employee's row is their latest event; while inactive, {@code inactive_since} is the first event of the
     * latest run of inactive ones (the deactivation: a rename afterwards does not move it), null while active.
     */
    static final String RECOMPUTE_EMPLOYEES = """
            INSERT INTO {p}_employee_g{g} (site, employee_id, name, active, updated_at, inactive_since)
            SELECT l.site, l.subject, l.name, l.active, l.occurred_at,
                   CASE WHEN NOT l.active THEN (
                       SELECT min(i.occurred_at) FROM {p}_event_g{g} i
                       WHERE i.site = l.site AND i.kind = 'employee-updated' AND i.subject = l.subject AND NOT i.active
                         AND NOT EXISTS (SELECT 1 FROM {p}_event_g{g} a
                             WHERE a.site = l.site AND a.kind = 'employee-updated' AND a.subject = l.subject AND a.active
                               AND (a.occurred_at, a.event_id) > (i.occurred_at, i.event_id))) END
            FROM (SELECT DISTINCT ON (e.site, e.subject) e.site, e.subject, e.name, e.active, e.occurred_at
                  FROM unnest($1::text[], $2::text[]) AS t(site, employee_id)
                  JOIN {p}_event_g{g} e ON e.site = t.site AND e.kind = 'employee-updated' AND e.subject = t.employee_id
                  ORDER BY e.site, e.subject, e.occurred_at DESC, e.event_id DESC) l
            ON CONFLICT (site, employee_id) DO UPDATE SET name = excluded.name, active = excluded.active,
                updated_at = excluded.updated_at, inactive_since = excluded.inactive_since""";

    /** The touched sites' workstation user names are recomputed whole: a name one employee drops may fall back to another's claim. */
    static final String DELETE_WORKSTATION_USERS = "DELETE FROM {p}_workstation_user_g{g} WHERE site = ANY($1)";

    /**
     * An employee's user names are their latest EmployeeUpdated that names any (one without leaves them
     * unchanged); a name two employees claim is the later claim's.
     */
    static final String INSERT_WORKSTATION_USERS = insertClaims("workstation_user", "username", "workstation_users");

    /** The touched sites' StaffTrace ids are recomputed whole, like workstation user names; answers what was there. */
    static final String DELETE_STAFFTRACE_IDS = """
            DELETE FROM {p}_stafftrace_id_g{g} WHERE site = ANY($1) RETURNING site, stafftrace_id, employee_id""";

    /** An employee's StaffTrace ids are their latest EmployeeUpdated that names any; an id two claim is the later claim's. */
    static final String INSERT_STAFFTRACE_IDS = insertClaims("stafftrace_id", "stafftrace_id", "stafftrace_ids")
            + "\nRETURNING site, stafftrace_id, employee_id";

    /**
     * The names of one kind that the touched sites' employees claim ({@code claims}, an array of EmployeeUpdated),
     * into {@code <p>_<table>_g<g>}'s {@code column}: each employee's latest event that names any, and of a name two
     * employees claim, the later claim. Workstation user names and StaffTrace ids follow this one rule.
     */
    private static String insertClaims(String table, String column, String claims) {
        return """
                INSERT INTO {p}_%1$s_g{g} (site, %2$s, employee_id, updated_at)
                SELECT DISTINCT ON (c.site, u.name) c.site, u.name, c.subject, c.occurred_at
                FROM (SELECT DISTINCT ON (site, subject) site, subject, %3$s, occurred_at, event_id
                      FROM {p}_event_g{g}
                      WHERE kind = 'employee-updated' AND %3$s IS NOT NULL AND site = ANY($1)
                      ORDER BY site, subject, occurred_at DESC, event_id DESC) c
                CROSS JOIN LATERAL unnest(c.%3$s) AS u(name)
                ORDER BY c.site, u.name, c.occurred_at DESC, c.event_id DESC""".formatted(table, column, claims);
    }

    static final String DEVICE_CHANGES = """
            SELECT t.i, e.event_id, e.occurred_at, e.kind, e.employee_id, e.label
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(site, mac, i)
            JOIN {p}_event_g{g} e ON e.site = t.site AND e.kind IN ('device-assigned', 'device-released') AND e.subject = t.mac""";

    static final String DELETE_ASSIGNMENTS = """
            DELETE FROM {p}_device_assignment_g{g} a USING unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(site, mac, i)
            WHERE a.site = t.site AND a.mac = t.mac
            RETURNING t.i, a.employee_id, a.label, a.valid_from, a.valid_to""";

    static final String INSERT_ASSIGNMENT = """
            INSERT INTO {p}_device_assignment_g{g} (site, mac, employee_id, label, randomised, valid_from, valid_to)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    /** The statements against one prefix's tables of one generation. */
    record Statements(String storeEvent, String recomputeSites, String recomputeEmployees, String deviceChanges,
                      String deleteAssignments, String insertAssignment, String deleteWorkstationUsers,
                      String insertWorkstationUsers, String deleteStaffTraceIds, String insertStaffTraceIds) {
        static Statements of(String prefix, int g) {
            UnaryOperator<String> in = sql -> sql.replace("{p}", prefix).replace("{g}", Integer.toString(g));
            return new Statements(in.apply(STORE_EVENT), in.apply(RECOMPUTE_SITES), in.apply(RECOMPUTE_EMPLOYEES),
                    in.apply(DEVICE_CHANGES), in.apply(DELETE_ASSIGNMENTS), in.apply(INSERT_ASSIGNMENT),
                    in.apply(DELETE_WORKSTATION_USERS), in.apply(INSERT_WORKSTATION_USERS),
                    in.apply(DELETE_STAFFTRACE_IDS), in.apply(INSERT_STAFFTRACE_IDS));
        }
    }

    /** A device: one MAC address at one site. */
    record Device(String site, String mac) {
    }

    /** An assignment of a site's device. */
    record SiteAssignment(String site, DeviceAssignment assignment) {
    }

    /**
     * A StaffTrace id whose employee changed: {@code before} / {@code after} the roster employee it maps to (null:
     * none, so StaffTrace's id stands for the employee itself).
     */
    record StaffTraceIdChange(String site, String staffTraceId, String before, String after) {
    }

    /**
     * What a batch changed.
     *
     * @param sites          sites whose zone or presence grace is new or different
     * @param assignments    assignments that appeared or disappeared (a changed one is both)
     * @param staffTraceIds  StaffTrace ids that now map to another employee, or to one for the first time, or no more
     */
    record Changes(int fresh, int duplicates, Set<String> sites, List<SiteAssignment> assignments,
                   List<StaffTraceIdChange> staffTraceIds) {
        static final Changes NONE = new Changes(0, 0, Set.of(), List.of(), List.of());
    }

    private RosterFacts() {
    }

    static boolean isRoster(EventEnvelope e) {
        return e.data() instanceof SiteConfigured || e.data() instanceof EmployeeUpdated
                || e.data() instanceof DeviceAssigned || e.data() instanceof DeviceReleased;
    }

    static Uni<Changes> fold(SqlConnection tx, Statements sql, List<EventEnvelope> events) {
        List<EventEnvelope> roster = events.stream().filter(RosterFacts::isRoster).toList();
        if (roster.isEmpty()) {
            return Uni.createFrom().item(Changes.NONE);
        }
        Set<String> sites = new LinkedHashSet<>();
        Set<List<String>> employees = new LinkedHashSet<>();
        Set<String> workstationUserSites = new LinkedHashSet<>();
        Set<String> staffTraceSites = new LinkedHashSet<>();
        Set<Device> devices = new LinkedHashSet<>();
        List<Tuple> rows = new ArrayList<>();
        for (EventEnvelope e : roster) {
            Tuple t = Tuple.tuple().addUUID(e.id()).addString(e.site());
            switch (e.data()) {
                case SiteConfigured s -> {
                    sites.add(e.site());
                    t.addString("site-configured").addString(e.site()).addOffsetDateTime(utc(e.time()))
                            .addString(s.name()).addString(s.zone().getId()).addInteger(s.presenceGraceMinutes())
                            .addString(null).addString(null).addBoolean(null);
                }
                case EmployeeUpdated u -> {
                    employees.add(List.of(e.site(), u.employeeId()));
                    if (u.workstationUsers() != null) {
                        workstationUserSites.add(e.site());
                    }
                    if (u.staffTraceIds() != null) {
                        staffTraceSites.add(e.site());
                    }
                    t.addString("employee-updated").addString(u.employeeId()).addOffsetDateTime(utc(e.time()))
                            .addString(u.name()).addString(null).addInteger(null)
                            .addString(u.employeeId()).addString(null).addBoolean(u.active());
                }
                case DeviceAssigned a -> {
                    devices.add(new Device(e.site(), a.mac()));
                    t.addString("device-assigned").addString(a.mac()).addOffsetDateTime(utc(e.time()))
                            .addString(null).addString(null).addInteger(null)
                            .addString(a.employeeId()).addString(a.label()).addBoolean(null);
                }
                case DeviceReleased r -> {
                    devices.add(new Device(e.site(), r.mac()));
                    t.addString("device-released").addString(r.mac()).addOffsetDateTime(utc(e.time()))
                            .addString(null).addString(null).addInteger(null)
                            .addString(null).addString(null).addBoolean(null);
                }
                default -> throw new IllegalStateException("not a roster event: " + e.type());
            }
            t.addString(e.source());
            if (e.data() instanceof SiteConfigured s) {
                t.addInteger(s.autoTimeoutMinutes()).addInteger(s.realWorkBlockMinutes());
            } else {
                t.addInteger(null).addInteger(null);
            }
            t.addArrayOfString(e.data() instanceof EmployeeUpdated u && u.workstationUsers() != null
                    ? u.workstationUsers().toArray(String[]::new) : null);
            t.addArrayOfString(e.data() instanceof EmployeeUpdated u && u.staffTraceIds() != null
                    ? u.staffTraceIds().toArray(String[]::new) : null);
            rows.add(t);
        }
        List<Device> touched = List.copyOf(devices);
        Set<String> changedSites = new HashSet<>();
        List<SiteAssignment> changedAssignments = new ArrayList<>();
        List<StaffTraceIdChange> changedIds = new ArrayList<>();
        return tx.preparedQuery(sql.storeEvent()).executeBatch(rows).map(RosterFacts::countRows)
                .call(() -> sites.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(sql.recomputeSites()).execute(Tuple.of(sites.toArray(String[]::new)))
                        .invoke(changed -> changed.forEach(r -> changedSites.add(r.getString("site")))).replaceWithVoid())
                .call(() -> employees.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(sql.recomputeEmployees()).execute(Tuple.of(
                                employees.stream().map(k -> k.get(0)).toArray(String[]::new),
                                employees.stream().map(k -> k.get(1)).toArray(String[]::new))).replaceWithVoid())
                .call(() -> workstationUserSites.isEmpty() ? Uni.createFrom().voidItem()
                        : refoldWorkstationUsers(tx, sql, workstationUserSites.toArray(String[]::new)))
                .call(() -> staffTraceSites.isEmpty() ? Uni.createFrom().voidItem()
                        : refoldStaffTraceIds(tx, sql, staffTraceSites.toArray(String[]::new)).invoke(changedIds::addAll).replaceWithVoid())
                .call(() -> touched.isEmpty() ? Uni.createFrom().voidItem()
                        : refoldDevices(tx, sql, touched).invoke(changedAssignments::addAll).replaceWithVoid())
                .map(fresh -> new Changes(fresh, roster.size() - fresh, changedSites, changedAssignments, changedIds));
    }

    private static Uni<Void> refoldWorkstationUsers(SqlConnection tx, Statements sql, String[] sites) {
        return tx.preparedQuery(sql.deleteWorkstationUsers()).execute(Tuple.of(sites))
                .chain(() -> tx.preparedQuery(sql.insertWorkstationUsers()).execute(Tuple.of(sites))).replaceWithVoid();
    }

    /** Recomputes the sites' StaffTrace ids; answers the ids whose employee changed. */
    private static Uni<List<StaffTraceIdChange>> refoldStaffTraceIds(SqlConnection tx, Statements sql, String[] sites) {
        Map<List<String>, String> before = new LinkedHashMap<>();
        Map<List<String>, String> after = new LinkedHashMap<>();
        return tx.preparedQuery(sql.deleteStaffTraceIds()).execute(Tuple.of(sites))
                .invoke(rows -> rows.forEach(r -> before.put(List.of(r.getString("site"), r.getString("stafftrace_id")),
                        r.getString("employee_id"))))
                .chain(() -> tx.preparedQuery(sql.insertStaffTraceIds()).execute(Tuple.of(sites)))
                .invoke(rows -> rows.forEach(r -> after.put(List.of(r.getString("site"), r.getString("stafftrace_id")),
                        r.getString("employee_id"))))
                .map(x -> {
                    Set<List<String>> ids = new LinkedHashSet<>(before.keySet());
                    ids.addAll(after.keySet());
                    List<StaffTraceIdChange> changed = new ArrayList<>();
                    for (List<String> k : ids) {
                        if (!java.util.Objects.equals(before.get(k), after.get(k))) {
                            changed.add(new StaffTraceIdChange(k.get(0), k.get(1), before.get(k), after.get(k)));
                        }
                    }
                    return changed;
                });
    }

    /** Re-folds the devices' assignments from their stored changes; answers the assignments that changed. */
    private static Uni<List<SiteAssignment>> refoldDevices(SqlConnection tx, Statements sql, List<Device> devices) {
        Tuple keys = Tuple.of(devices.stream().map(Device::site).toArray(String[]::new),
                devices.stream().map(Device::mac).toArray(String[]::new));
        Map<Integer, List<AssignmentChange>> changes = new LinkedHashMap<>();
        Map<Integer, Set<DeviceAssignment>> before = new LinkedHashMap<>();
        return tx.preparedQuery(sql.deviceChanges()).execute(keys)
                .invoke(found -> found.forEach(r -> changes.computeIfAbsent(index(r), k -> new ArrayList<>()).add(change(r))))
                .chain(() -> tx.preparedQuery(sql.deleteAssignments()).execute(keys))
                .invoke(deleted -> deleted.forEach(r -> before.computeIfAbsent(index(r), k -> new HashSet<>())
                        .add(new DeviceAssignment(devices.get(index(r)).mac(), r.getString("employee_id"), r.getString("label"),
                                instant(r.getOffsetDateTime("valid_from")), instant(r.getOffsetDateTime("valid_to"))))))
                .chain(() -> {
                    List<Tuple> inserts = new ArrayList<>();
                    List<SiteAssignment> changed = new ArrayList<>();
                    for (int i = 0; i < devices.size(); i++) {
                        Device d = devices.get(i);
                        List<DeviceAssignment> now = DeviceAssignments.fold(d.mac(), changes.getOrDefault(i, List.of()));
                        Set<DeviceAssignment> was = before.getOrDefault(i, Set.of());
                        for (DeviceAssignment a : now) {
                            inserts.add(Tuple.tuple().addString(d.site()).addString(d.mac()).addString(a.employeeId())
                                    .addString(a.label()).addBoolean(a.randomised()).addOffsetDateTime(utc(a.validFrom()))
                                    .addOffsetDateTime(a.validTo() == null ? null : utc(a.validTo())));
                            if (!was.contains(a)) {
                                changed.add(new SiteAssignment(d.site(), a));
                            }
                        }
                        Set<DeviceAssignment> kept = new HashSet<>(now);
                        was.stream().filter(a -> !kept.contains(a)).forEach(a -> changed.add(new SiteAssignment(d.site(), a)));
                    }
                    Uni<Void> insert = inserts.isEmpty() ? Uni.createFrom().voidItem()
                            : tx.preparedQuery(sql.insertAssignment()).executeBatch(inserts).replaceWithVoid();
                    return insert.replaceWith(changed);
                });
    }

    private static int index(Row r) {
        return (int) (r.getLong("i") - 1);
    }

    private static AssignmentChange change(Row r) {
        Instant at = instant(r.getOffsetDateTime("occurred_at"));
        return "device-released".equals(r.getString("kind"))
                ? AssignmentChange.released(r.getUUID("event_id"), at)
                : AssignmentChange.assigned(r.getUUID("event_id"), at, r.getString("employee_id"), r.getString("label"));
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static int countRows(RowSet<?> first) {
        int n = 0;
        for (RowSet<?> rs = first; rs != null; rs = rs.next()) {
            n += rs.rowCount();
        }
        return n;
    }
}
