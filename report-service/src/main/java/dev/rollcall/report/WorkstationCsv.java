package dev.rollcall.report;

import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;

/**
 * One row per user-day, as RFC 4180 CSV (CRLF line ends, fields quoted when they need it). A field that a
 * spreadsheet would read as a formula gets a leading {@code '}: a username like {@code =HYPERLINK(…)} stays text.
 */
final class WorkstationCsv {

    static final String MEDIA_TYPE = "text/csv; charset=UTF-8";
    static final String HEADER = "username,work_date,working_minutes,real_work_hours,first_activity,last_activity";

    private WorkstationCsv() {
    }

    /** The table as a download named after the site and the range, e.g. {@code rollcall-workstation-hq-2026-W13.csv}. */
    static Response download(Site site, ReportRange range, List<UserDay> userDays) {
        // site ids are [a-z0-9-] and range labels [0-9W_-]: nothing in the file name needs quoting
        return Response.ok(of(userDays), MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"rollcall-workstation-" + site.id() + "-"
                        + range.label() + ".csv\"")
                .build();
    }

    static String of(List<UserDay> userDays) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (UserDay d : userDays) {
            csv.append(field(d.username())).append(',')
                    .append(field(d.date().toString())).append(',')
                    .append(d.working().minutes()).append(',')
                    .append(d.working().realWorkBlocks()).append(',')
                    .append(field(instant(d.working().firstWorkAt()))).append(',')
                    .append(field(instant(d.working().lastWorkAt()))).append("\r\n");
        }
        return csv.toString();
    }

    static String field(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static String instant(Instant t) {
        return t == null ? "" : t.toString();
    }
}
