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
import java.util.UUID;

/**
 * Writes read-model rows as projection-service would, with plain INSERTs: a test states its own facts and
 * owns them through a site or username nobody else uses.
 */
final class ReadModelRows {

    static final int BLOCK_SECONDS = 40 * 60;
    static final Duration AUTO_TIMEOUT = Duration.ofMinutes(10);

    private ReadModelRows() {
    }

    static String uniqueSite(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A working interval as stored: one ended by timeout ends at its last report plus the auto-timeout. */
    record Interval(Instant start, Instant end, String endedBy) {

        static Interval stopped(String start, String end) {
            return new Interval(Instant.parse(start), Instant.parse(end), "stopped");
        }

        static Interval timedOut(String start, String end) {
            return new Interval(Instant.parse(start), Instant.parse(end), "timeout");
        }

        long seconds() {
            return Duration.between(start, end).toSeconds();
        }

        int blocks() {
            return (int) (seconds() / BLOCK_SECONDS);
        }

        Instant lastReportAt() {
            return "timeout".equals(endedBy) ? end.minus(AUTO_TIMEOUT) : end;
        }
    }

    /**
     * A user's day: its intervals, and the day row summed over them the way projection-service sums them (a
     * running interval with its provisional end). {@code reports} and {@code lastState} describe the reports.
     */
    static void workedDay(String site, LocalDate date, String user, int reports, String lastState,
                          List<Interval> intervals) throws SQLException {
        try (Connection c = Postgres.endpoint().connect()) {
            for (Interval i : intervals) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO working_interval (site, username, start_at, "
                        + "end_at, ended_by, last_report_at, reports, local_date, real_work_blocks, block_seconds) "
                        + "VALUES (?, ?, ?, ?, ?, ?, 2, ?, ?, ?)")) {
                    ps.setString(1, site);
                    ps.setString(2, user);
                    ps.setTimestamp(3, Timestamp.from(i.start()));
                    ps.setTimestamp(4, Timestamp.from(i.end()));
                    ps.setString(5, i.endedBy());
                    ps.setTimestamp(6, Timestamp.from(i.lastReportAt()));
                    ps.setObject(7, date);
                    ps.setInt(8, i.blocks());
                    ps.setInt(9, BLOCK_SECONDS);
                    ps.executeUpdate();
                }
            }
            Instant firstWork = intervals.stream().map(Interval::start).min(Comparator.naturalOrder()).orElse(null);
            Instant lastWork = intervals.stream().map(Interval::end).max(Comparator.naturalOrder()).orElse(null);
            Instant firstAt = firstWork != null ? firstWork : date.atStartOfDay().toInstant(java.time.ZoneOffset.UTC).plusSeconds(9 * 3600);
            Instant lastAt = intervals.stream().map(Interval::lastReportAt).max(Comparator.naturalOrder()).orElse(firstAt);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO workstation_user_day (site, local_date, username, "
                    + "reports, first_at, last_at, last_state, working_seconds, real_work_blocks, first_work_at, last_work_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, site);
                ps.setObject(2, date);
                ps.setString(3, user);
                ps.setInt(4, reports);
                ps.setTimestamp(5, Timestamp.from(firstAt));
                ps.setTimestamp(6, Timestamp.from(lastAt));
                ps.setString(7, lastState);
                ps.setLong(8, intervals.stream().mapToLong(Interval::seconds).sum());
                ps.setInt(9, intervals.stream().mapToInt(Interval::blocks).sum());
                ps.setTimestamp(10, firstWork == null ? null : Timestamp.from(firstWork));
                ps.setTimestamp(11, lastWork == null ? null : Timestamp.from(lastWork));
                ps.executeUpdate();
            }
        }
    }
}
