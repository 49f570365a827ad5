package dev.rollcall.report;

import java.time.Instant;
import java.util.List;

/** What the administration page shows: the roster as projection-service stored it, and the sign-in accounts. */
public record AdminView(List<SiteRow> sites, List<EmployeeRow> employees, List<DeviceRow> devices,
                        List<Accounts.Listed> accounts, AdminForm form, WorkstationDefaults workstationDefaults) {

    /** autoTimeoutMinutes, realWorkBlockMinutes: the site's own workstation rules; null, the configured ones. */
    public record SiteRow(String id, String name, String zone, int graceMinutes, Integer autoTimeoutMinutes,
                          Integer realWorkBlockMinutes) {
    }

    /**
     * The hints of the site form's rule fields: what a site without its own workstation rules is folded with, as the
     * live workstation generation records its configuration in words ({@code auto-timeout 10 min, real work hour =
     * 40 min block, …}); just "the configured default" where that is not known.
     */
    public record WorkstationDefaults(String autoTimeout, String realWorkBlock) {
        private static final java.util.regex.Pattern TIMEOUT = java.util.regex.Pattern.compile("^auto-timeout (\\d+ (?:min|s))");
        private static final java.util.regex.Pattern BLOCK = java.util.regex.Pattern.compile("^[^;]*real work hour = (\\d+ (?:min|s)) block");

        static WorkstationDefaults of(String rules) {
            return new WorkstationDefaults(find(TIMEOUT, rules), find(BLOCK, rules));
        }

        private static String find(java.util.regex.Pattern p, String rules) {
            java.util.regex.Matcher m = rules == null ? null : p.matcher(rules);
            return m != null && m.find() ? "1 to 1440; empty: the configured default, now " + m.group(1)
                    : "1 to 1440; empty: the configured default";
        }
    }

    /**
     * workstationUsers: their user names as the request may show them (pseudonyms unless names were revealed);
     * staffTraceIds: the ids StaffTrace's agent reports them by; removed: taken off the pages (nothing left to edit).
     */
    public record EmployeeRow(String site, String id, Employee employee, boolean active, List<String> workstationUsers,
                              List<String> staffTraceIds, boolean removed) {
    }

    public record DeviceRow(String site, String mac, String employeeId, Employee employee, String label, boolean randomised,
                            Instant since) {
    }
}
