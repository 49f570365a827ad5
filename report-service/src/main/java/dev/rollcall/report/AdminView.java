package dev.rollcall.report;

import java.time.Instant;
import java.util.List;

/** What the administration page shows: the roster as projection-service stored it, and the sign-in accounts. */
public record AdminView(List<SiteRow> sites, List<EmployeeRow> employees, List<DeviceRow> devices,
                        List<Accounts.Listed> accounts, AdminForm form) {

    public record SiteRow(String id, String name, String zone, int graceMinutes) {
    }

    public record EmployeeRow(String site, String id, Employee employee, boolean active) {
    }

    public record DeviceRow(String site, String mac, String employeeId, Employee employee, String label, boolean randomised,
                            Instant since) {
    }
}
