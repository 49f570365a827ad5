package dev.rollcall.report;

import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HR web in headless Chromium, as a person uses it: sign in, browse the day and month pages under pseudonyms,
 * reveal real names, add an employee with a device, find them by search. Each step leaves a screenshot in
 * {@code target/browser-screenshots/} (a build artifact). Skipped where Chromium is not installed, except under
 * {@code CI}, where that fails.
 * <p>
 * projection-service is not running here: after the admin's forms have put the roster events on the topic, the
 * test folds those very events into the roster views itself (one row each), as the roster projection would.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class WebInABrowserTest {

    static final Path SHOTS = Path.of("target", "browser-screenshots");
    static final String PASSWORD = "a browser test password";

    @Inject
    Accounts accounts;

    @Test
    void signInBrowseRevealAdministerAndSearch() throws Exception {
        Chromium.requireOrSkip("the browser test");
        TestSessions.signInAs(null);
        folded = 0;
        String admin = "admin-" + UUID.randomUUID().toString().substring(0, 6);
        accounts.create(admin, Role.ADMIN, PASSWORD, "test").await().indefinitely();
        String site = ReadModelRows.uniqueSite("web");
        PresenceRows.site(site, "Browser office", "Europe/Berlin", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Builder");
        PresenceRows.attended(site, "E1", LocalDate.of(2026, 3, 10), Instant.parse("2026-03-10T17:00:00Z"),
                Session.of("2026-03-10T07:05:00Z", "2026-03-10T11:30:00Z"), Session.of("2026-03-10T12:15:00Z", "2026-03-10T16:40:00Z"));
        PresenceRows.attended(site, "E2", LocalDate.of(2026, 3, 10), Instant.parse("2026-03-10T17:00:00Z"),
                Session.of("2026-03-10T08:00:00Z", "2026-03-10T15:00:00Z"));
        PresenceRows.attended(site, "E2", LocalDate.of(2026, 3, 11), Instant.parse("2026-03-11T17:00:00Z"),
                Session.of("2026-03-11T08:30:00Z", "2026-03-11T12:00:00Z"));
        String base = "http://localhost:" + RestAssured.port;

        String employeePage;
        String id = "E-" + UUID.randomUUID().toString().substring(0, 4);
        try (Chromium browser = Chromium.start(1280, 900)) {
            // a page without a session goes to sign-in, and back after it
            browser.open(base + "/presence/day?site=" + site + "&date=2026-03-10");
            assertThat(browser.url()).contains("/signin?next=");
            browser.screenshot(SHOTS.resolve("01-sign-in.png"));
            browser.submit(Map.of("#username", admin, "#password", "not the password"), "form.signin button");
            assertThat(browser.text()).contains(SignInResource.WRONG);
            browser.submit(Map.of("#username", admin, "#password", PASSWORD), "form.signin button");
            assertThat(browser.url()).contains("/presence/day?site=" + site + "&date=2026-03-10");
            assertThat(browser.text()).contains(admin).doesNotContain("Ada Lovelace").contains("Employee ");
            browser.screenshot(SHOTS.resolve("02-day-pseudonyms.png"));

            browser.open(base + "/presence/month?site=" + site + "&month=2026-03");
            assertThat(browser.text()).contains("March 2026").doesNotContain("Bob Builder");
            // a heatmap: Ada's 9:00 on the 10th in the darkest of the five shades, Bob's 3:30 on the 11th in the second
            assertThat(browser.eval("getComputedStyle(document.querySelector('td.heat-5')).backgroundColor")).isEqualTo("rgb(34, 120, 74)");
            assertThat(browser.eval("getComputedStyle(document.querySelector('td.heat-2')).backgroundColor")).isEqualTo("rgb(191, 226, 204)");
            assertThat(browser.eval("document.querySelectorAll('.heat-legend .swatch').length")).isEqualTo("5");
            browser.screenshot(SHOTS.resolve("03-month-pseudonyms.png"));

            // reveal: the names appear, with the notice that this view was recorded
            browser.click("document.querySelector('a.names').click();");
            assertThat(browser.url()).contains("names=real");
            assertThat(browser.text()).contains("Bob Builder").contains("Ada Lovelace").contains("recorded in the audit log");
            browser.screenshot(SHOTS.resolve("04-month-real-names.png"));

            // add an employee with a device
            browser.open(base + "/admin");
            browser.submit(form("#employee-site", site, "#employee-employeeId", id, "#employee-name", "Grace Hopper"),
                    "#employees-block form.admin-form button");
            assertThat(browser.text()).contains("Saved: employee " + id);
            foldRosterEvents(site, 1);  // a device goes to an employee the roster knows
            browser.submit(form("#device-site", site, "#device-mac", "3c:22:fb:aa:bb:cc", "#device-employeeId", id,
                    "#device-label", "Grace's phone"), "#devices-block form.admin-form button");
            assertThat(browser.text()).contains("Saved: device 3c:22:fb:aa:bb:cc assigned to " + id);
            // and a wrong MAC is shown next to its field
            browser.submit(form("#device-site", site, "#device-mac", "3c:22:fb", "#device-employeeId", id),
                    "#devices-block form.admin-form button");
            assertThat(browser.text()).contains("Nothing was saved").contains("mac must be six hex pairs");
            assertThat(browser.eval("document.querySelector('#device-mac').getAttribute('aria-invalid')")).isEqualTo("true");
            browser.screenshot(SHOTS.resolve("05-admin-invalid-mac.png"));

            foldRosterEvents(site, 2);

            // find them by search: by name once names are revealed
            browser.open(base + "/employees?site=" + site + "&q=Grace");
            assertThat(browser.text()).doesNotContain("Grace Hopper").contains("Nobody matches");
            browser.open(base + "/employees?site=" + site + "&q=grace&names=real");
            assertThat(browser.text()).contains("Grace Hopper");
            browser.screenshot(SHOTS.resolve("06-search.png"));
            browser.click("document.querySelector('th.employee a').click();");
            // a link on a revealed page keeps the names revealed (another audited reveal)
            assertThat(browser.url()).contains("names=real");
            assertThat(browser.text()).contains("Grace Hopper").contains("Grace's phone").contains("3c:22:fb:aa:bb:cc");
            // without it, the employee page shows the pseudonym and no device label (labels may name the person)
            employeePage = browser.url().replace("&names=real", "");
            browser.open(employeePage);
            assertThat(browser.text()).contains("3c:22:fb:aa:bb:cc").doesNotContain("Grace's phone").doesNotContain("Grace Hopper");
            browser.open(employeePage + "&names=real");
            assertThat(browser.text()).contains("Grace Hopper").contains("Grace's phone").contains("3c:22:fb:aa:bb:cc");
            // this month as a calendar heatmap, a cell per day
            assertThat(browser.eval("document.querySelectorAll('figure.calendar-heat g.ch-day').length"))
                    .isEqualTo(String.valueOf(LocalDate.now(java.time.ZoneId.of("Europe/Berlin")).lengthOfMonth()));
            browser.screenshot(SHOTS.resolve("07-employee.png"));

            // the admin reads the audit trail of those reveals
            browser.open(base + "/admin/audit");
            assertThat(browser.text()).contains(admin).contains("/presence/month").contains("/employees");
            browser.screenshot(SHOTS.resolve("08-audit.png"));

            // on a phone
            browser.eval("document.cookie");  // keep the session
        }
        try (Chromium phone = Chromium.start(390, 844)) {
            phone.open(base + "/signin");
            phone.submit(Map.of("#username", admin, "#password", PASSWORD), "form.signin button");
            phone.open(base + "/presence/day?site=" + site + "&date=2026-03-10");
            assertThat(phone.text()).contains("Employee ");
            phone.screenshot(SHOTS.resolve("09-day-phone.png"));
            phone.open(base + "/presence/month?site=" + site + "&month=2026-03");
            // the grid scrolls inside its box; the page itself stays 390 px wide
            assertThat(phone.eval("document.documentElement.scrollWidth <= 390")).isEqualTo("true");
            assertThat(phone.eval("getComputedStyle(document.querySelector('td.heat-5')).backgroundColor")).isEqualTo("rgb(34, 120, 74)");
            phone.screenshot(SHOTS.resolve("10-month-phone.png"));
            phone.open(employeePage);
            assertThat(phone.eval("document.documentElement.scrollWidth <= 390")).isEqualTo("true");
            assertThat(phone.eval("document.querySelector('figure.calendar-heat svg').getBoundingClientRect().width > 250")).isEqualTo("true");
            phone.screenshot(SHOTS.resolve("12-employee-phone.png"));
            phone.open(base + "/month?site=" + site + "&month=2026-03");
            phone.screenshot(SHOTS.resolve("13-workstation-month-phone.png"));
            // the employee's Edit, revealed: the form filled in, the id read-only, within the phone's width
            phone.open(base + "/admin/employees/" + id + "/edit?site=" + site + "&names=real#employee-form");
            assertThat(phone.eval("document.querySelector('#employee-name').value")).isEqualTo("Grace Hopper");
            assertThat(phone.eval("document.querySelector('#employee-employeeId').readOnly")).isEqualTo("true");
            assertThat(phone.eval("document.querySelector('#employee-form').getBoundingClientRect().right <= 390")).isEqualTo("true");
            phone.screenshot(SHOTS.resolve("14-admin-edit-employee-phone.png"));
            // the admin's tables are wider than a phone: each scrolls sideways in its box, the page stays 390 px wide
            phone.open(base + "/admin");
            assertThat(phone.eval("document.documentElement.scrollWidth <= 390")).isEqualTo("true");
            assertThat(phone.eval("(() => { const b = document.querySelector('#employees-block .table-scroll');"
                    + " return b.scrollWidth > b.clientWidth && b.getBoundingClientRect().right <= 390; })()")).isEqualTo("true");
            phone.screenshot(SHOTS.resolve("15-admin-phone.png"));
        }
        // the month, printed: no header controls, the whole grid
        try (Chromium paper = Chromium.start(1123, 794)) {
            paper.open(base + "/signin");
            paper.submit(Map.of("#username", admin, "#password", PASSWORD), "form.signin button");
            paper.open(base + "/presence/month?site=" + site + "&month=2026-03");
            paper.media("print");
            assertThat(paper.eval("getComputedStyle(document.querySelector('.account')).display")).isEqualTo("none");
            assertThat(paper.eval("getComputedStyle(document.querySelector('.links')).display")).isEqualTo("none");
            assertThat(paper.eval("getComputedStyle(document.querySelector('table.grid')).display")).isEqualTo("table");
            // the shades print (print-color-adjust: exact), with their legend
            assertThat(paper.eval("getComputedStyle(document.querySelector('td.heat-5')).printColorAdjust")).isEqualTo("exact");
            assertThat(paper.eval("getComputedStyle(document.querySelector('.heat-legend')).display")).isEqualTo("flex");
            paper.screenshot(SHOTS.resolve("11-month-print.png"));
        }
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /**
     * What the roster projection would do with the admin's events: one row per employee and device. The site's
     * first {@code count} events are expected; the ones folded by an earlier call are skipped.
     */
    private static void foldRosterEvents(String site, int count) throws Exception {
        List<EventEnvelope> events = AuditTopic.events(Topic.ROSTER).stream().filter(e -> e.site().equals(site)).toList();
        assertThat(events).hasSize(count);
        for (EventEnvelope e : events.subList(folded, count)) {
            switch (e.data()) {
                case EmployeeUpdated u -> PresenceRows.employee(site, u.employeeId(), u.name(), u.active());
                case DeviceAssigned d -> PresenceRows.device(site, d.mac(), d.employeeId(), d.label());
                default -> throw new AssertionError("unexpected " + e.type());
            }
        }
        folded = count;
    }

    private static int folded;
}
