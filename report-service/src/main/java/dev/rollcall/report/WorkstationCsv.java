package dev.rollcall.report;

import jakarta.ws.rs.core.Response;

import java.util.List;

/** The workstation pages' tables as CSV: one row per user-day. */
final class WorkstationCsv {

    static final String HEADER = "username,work_date,working_minutes,real_work_hours,first_activity,last_activity";

    private WorkstationCsv() {
    }

    /** The table as a download named after the site and the range, e.g. {@code rollcall-workstation-hq-2026-W13.csv}. */
    static Response download(Site site, ReportRange range, List<UserDay> userDays) {
        return of(userDays).download("rollcall-workstation-" + site.id() + "-" + range.label() + ".csv");
    }

    static Csv of(List<UserDay> userDays) {
        Csv csv = Csv.withHeader((Object[]) HEADER.split(","));
        for (UserDay d : userDays) {
            csv.row(d.username(), d.date(), d.working().minutes(), d.working().realWorkBlocks(),
                    d.working().firstWorkAt(), d.working().lastWorkAt());
        }
        return csv;
    }
}
