package dev.rollcall.report;

import jakarta.ws.rs.core.Response;

/**
 * The employee pages' tables as CSV, with what the pages show: the employee (and their workstation user names) as
 * pseudonyms unless the request revealed names, times in the site's zone with their offset, minutes whole.
 */
final class EmployeeCsv {

    static final String SEARCH_HEADER = "employee,present";
    static final String WORKSTATION_HEADER = "employee,date,username,working_minutes,real_work_hours,present_minutes";

    private EmployeeCsv() {
    }

    /**
     * {@code rollcall-employees-hq.csv}: the search's matches, as listed; {@code present} is {@code unknown} while a
     * presence agent of the site is silent.
     */
    static Response search(EmployeeResource.Search search) {
        Csv csv = Csv.withHeader((Object[]) SEARCH_HEADER.split(","));
        for (EmployeeResource.Found f : search.found()) {
            csv.row(f.employee().label(), f.unknown() ? PresenceCsv.UNKNOWN : f.present());
        }
        return csv.download("rollcall-employees-" + search.site().id() + ".csv");
    }

    /**
     * {@code rollcall-employee-hq-K7QX2M-2026-03.csv}: the month's days the employee was seen, the presence day
     * CSV's columns ({@code incomplete}: a presence agent was down that day).
     */
    static Response month(EmployeeResource.EmployeePage page) {
        Csv csv = Csv.withHeader((Object[]) PresenceCsv.DAY_HEADER.split(","));
        if (page.row() != null) {
            for (PresenceMonth.Cell c : page.row().days()) {
                if (c != null) {
                    csv.row(page.employee().label(), c.date(), PresenceCsv.local(c.arrived(), page.site().zone()),
                            PresenceCsv.local(c.left(), page.site().zone()), c.presentMinutes(), c.sessions(),
                            c.unknown() ? PresenceCsv.UNKNOWN : c.present(),
                            page.month().coverage().incompleteOn(c.date()));
                }
            }
        }
        return csv.download(fileName(page, ""));
    }

    /** {@code rollcall-employee-hq-K7QX2M-2026-03-workstation.csv}: the workstation days; present empty when not seen. */
    static Response workstation(EmployeeResource.EmployeePage page) {
        Csv csv = Csv.withHeader((Object[]) WORKSTATION_HEADER.split(","));
        for (EmployeeResource.WorkstationDay w : page.workstation().days()) {
            csv.row(page.employee().label(), w.date(), w.user(), w.workingSeconds() / 60, w.realWorkHours(),
                    w.seen() ? w.presentSeconds() / 60 : null);
        }
        return csv.download(fileName(page, "-workstation"));
    }

    /** Site id ({@code [a-z0-9-]}), pseudonym ({@code [0-9A-Z]}) and month: nothing in it needs quoting. */
    private static String fileName(EmployeeResource.EmployeePage page, String suffix) {
        return "rollcall-employee-" + page.site().id() + "-" + page.employee().pseudonym() + "-"
                + page.month().range().label() + suffix + ".csv";
    }
}
