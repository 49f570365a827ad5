package dev.rollcall.report;

import dev.rollcall.testsupport.Postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes roster and attendance rows as projection-service would, with plain INSERTs. A test owns its rows
 * through a site id nobody else uses ({@link ReadModelRows#uniqueSite}).
 */
final class PresenceRows {

    private static final AtomicInteger MACS = new AtomicInteger();

    private PresenceRows() {
    }

    /** A session of presence; {@code end} null: still present. */
    record Session(Instant start, Instant end) {

        static Session of(String start, String end) {
            return new Session(Instant.parse(start), end == null ? null : Instant.parse(end));
        }

        static Session open(String start) {
            return of(start, null);
        }
    }

    static void site(String site, String name, String zone, int graceMinutes) throws SQLException {
        update("INSERT INTO roster_site (site, name, zone, presence_grace_minutes, updated_at) VALUES (?, ?, ?, ?, now())",
                site, name, zone, graceMinutes);
    }

    /** An active employee with one phone registered since 2026-01-01. */
    static void employee(String site, String employeeId, String name) throws SQLException {
        employee(site, employeeId, name, true);
        int n = MACS.incrementAndGet();
        device(site, String.format("02:00:00:%02x:%02x:%02x", n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff), employeeId);
    }

    static void employee(String site, String employeeId, String name, boolean active) throws SQLException {
        update("INSERT INTO roster_employee (site, employee_id, name, active, updated_at, inactive_since) "
                + "VALUES (?, ?, ?, ?, now(), CASE WHEN ? THEN NULL ELSE now() END)", site, employeeId, name, active, active);
    }

    static void device(String site, String mac, String employeeId) throws SQLException {
        device(site, mac, employeeId, "phone");
    }

    static void device(String site, String mac, String employeeId, String label) throws SQLException {
        update("INSERT INTO roster_device_assignment (site, mac, employee_id, label, randomised, valid_from) "
                + "VALUES (?, ?, ?, ?, false, ?)", site, mac, employeeId, label, Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** A workstation user name of the employee, as the roster projection keeps it. */
    static void workstationUser(String site, String username, String employeeId) throws SQLException {
        update("INSERT INTO roster_workstation_user (site, username, employee_id, updated_at) VALUES (?, ?, ?, now())",
                site, username, employeeId);
    }

    /** A StaffTrace id of the employee, as the roster projection keeps it. */
    static void staffTraceId(String site, String staffTraceId, String employeeId) throws SQLException {
        update("INSERT INTO roster_stafftrace_id (site, stafftrace_id, employee_id, updated_at) VALUES (?, ?, ?, now())",
                site, staffTraceId, employeeId);
    }

    /** A heartbeat of the site's StaffTrace agent, listing the ids it sees present, as presence-day stores it. */
    static void staffTraceHeartbeat(String site, Instant at, String... present) throws SQLException {
        try (Connection c = Postgres.endpoint().connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO agent_heartbeat (event_id, site, agent_id, host, version, occurred_at, scanning, devices_online, "
                        + "employees_present) VALUES (gen_random_uuid(), ?, ?, 'stafftrace agent', 'stafftrace', ?, false, '{}', ?)")) {
            ps.setString(1, site);
            ps.setString(2, "stafftrace-" + site);
            ps.setObject(3, Timestamp.from(at));
            ps.setArray(4, c.createArrayOf("text", present));
            ps.executeUpdate();
        }
    }

    /**
     * An employee's local day: its sessions, and the day row summed as the projection sums it, an open session
     * up to {@code foldedAt} (which a report must not trust: it is stale by the time anyone looks).
     */
    static void attended(String site, String employeeId, LocalDate date, Instant foldedAt, Session... sessions)
            throws SQLException {
        for (Session s : sessions) {
            update("INSERT INTO attendance_session (site, employee_id, local_date, start_at, end_at) VALUES (?, ?, ?, ?, ?)",
                    site, employeeId, date, s.start(), s.end());
        }
        List<Session> all = List.of(sessions);
        boolean open = all.stream().anyMatch(s -> s.end() == null);
        Instant arrived = all.stream().map(Session::start).min(Comparator.naturalOrder()).orElseThrow();
        Instant left = open ? null : all.stream().map(Session::end).max(Comparator.naturalOrder()).orElseThrow();
        long minutes = all.stream().mapToLong(s -> Duration.between(s.start(), s.end() == null ? foldedAt : s.end())
                .toMinutes()).sum();
        update("INSERT INTO attendance_day (site, employee_id, local_date, arrived_at, left_at, minutes_present, sessions) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", site, employeeId, date, arrived, left, (int) minutes, all.size());
    }

    /** Runs one statement on the test database; instants are bound as timestamps. */
    static void update(String sql, Object... values) throws SQLException {
        try (Connection c = Postgres.endpoint().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                ps.setObject(i + 1, v instanceof Instant t ? Timestamp.from(t) : v);
            }
            ps.executeUpdate();
        }
    }
}
