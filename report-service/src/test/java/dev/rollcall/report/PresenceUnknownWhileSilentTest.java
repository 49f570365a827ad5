package dev.rollcall.report;

import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Unknown, not absent" beyond the now page: while the site's presence agent is silent (its last heartbeat at 10:00
 * UTC, now 12:00), an open session from 08:00 counts 2:00 on the day, month, arrivals, employee page and search, not
 * 4:00, and whoever had it open is unknown, neither present nor gone. Once the agent is back, the stored sessions
 * count again.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class PresenceUnknownWhileSilentTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z"); // 13:00 in Berlin
    static final LocalDate TUESDAY = LocalDate.of(2026, 3, 10);
    static final Instant SILENT_SINCE = Instant.parse("2026-03-10T10:00:00Z");

    @jakarta.inject.Inject
    Pseudonyms pseudonyms;

    @BeforeEach
    void fixedClock() {
        TestSessions.signInAs(Role.VIEWER);
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
    }

    @Test
    void anOpenSessionCountsOnlyUpToTheSilenceEverywhereAndAgainOnceTheAgentIsBack() throws Exception {
        String site = silentOffice("silentday");
        String ada = label(site, "E1");
        String bob = label(site, "E2");

        // the day: 2:00, unknown rather than present, the session ending at the silence, the day incomplete
        JsonPath day = get(site, "/api/presence/day");
        String e1 = "employees.find { it.employee.label == '" + ada + "' }";
        assertThat(day.getLong(e1 + ".presentSeconds")).isEqualTo(2 * 3600);
        assertThat(day.getBoolean(e1 + ".present")).isFalse();
        assertThat(day.getBoolean(e1 + ".unknown")).isTrue();
        assertThat(day.getString(e1 + ".left")).isNull();
        assertThat(day.getString(e1 + ".spans[0].end")).isEqualTo(SILENT_SINCE.toString());
        assertThat(day.getBoolean(e1 + ".spans[0].running")).isFalse();
        assertThat(day.getBoolean(e1 + ".spans[0].unknownAfter")).isTrue();
        assertThat(day.getLong("employees.find { it.employee.label == '" + bob + "' }.presentSeconds")).isEqualTo(2 * 3600);
        assertThat(day.getList("coverage.incompleteDates")).containsExactly("2026-03-10");
        assertThat(day.getString("coverage.presenceUnknownSince")).isEqualTo(SILENT_SINCE.toString());

        String html = page(site, "/presence/day");
        assertThat(html).contains("downtime-banner", "class=\"incomplete\"",
                "<strong>1</strong> <span class=\"unknown-label\">unknown</span> since 11:00").doesNotContain("still here");
        String adaRow = dayRow(html, ada);
        assertThat(adaRow).contains(">unknown</span>", "<td class=\"num\" data-label=\"Present\">2:00</td>",
                        "class=\"tl-unknown\"", "unknown 11:00–now: agent net-1 was not observing",
                        "09:00–11:00 · 2:00 · then unknown")
                .doesNotContain("running-label", "tl-bar running");
        // the silence is drawn on every row: nobody was observed then
        assertThat(dayRow(html, bob)).contains("class=\"tl-unknown\"");
        assertThat(csvRow(page(site, "/presence/day.csv"), ada)).endsWith(",120,1,unknown,true");

        // the month: the same 2:00 in the cell and the totals
        JsonPath month = get(site, "/api/presence/month");
        String row = "employees.find { it.employee.label == '" + ada + "' }";
        assertThat(month.getLong(row + ".presentSeconds")).isEqualTo(2 * 3600);
        assertThat(month.getLong(row + ".days[9].presentSeconds")).isEqualTo(2 * 3600);
        assertThat(month.getBoolean(row + ".days[9].unknown")).isTrue();
        assertThat(month.getBoolean(row + ".days[9].present")).isFalse();
        assertThat(month.getLong("presentSeconds")).isEqualTo(4 * 3600);
        assertThat(page(site, "/presence/month")).contains("2:00 present, then unknown (incomplete: an agent was down)");
        assertThat(csvRow(page(site, "/presence/month.csv"), ada)).contains(",120,");

        // arrivals: the open session is unknown, not present
        JsonPath arrivals = get(site, "/api/presence/arrivals");
        String arrival = "todays.find { it.employee.label == '" + ada + "' }";
        assertThat(arrivals.getBoolean(arrival + ".present")).isFalse();
        assertThat(arrivals.getBoolean(arrival + ".unknown")).isTrue();
        assertThat(arrivals.getString("unknownSince")).isEqualTo(SILENT_SINCE.toString());
        assertThat(PresenceResourceTest.row(page(site, "/presence/arrivals"), ada))
                .contains(">unknown</span>").doesNotContain("running-label");
        assertThat(csvRow(page(site, "/presence/arrivals.csv"), ada)).endsWith(",unknown");

        // the employee page: today's 2:00, unknown since 11:00, the unknown stretch on its timeline; the month's 2:00
        String employee = page(site, "/employees/" + pseudonyms.of(site, "E1"));
        assertThat(employee).contains("<span class=\"unknown-label\">unknown</span> since 11:00, 2:00 present today",
                "class=\"tl-unknown\"", "<tfoot><tr><th scope=\"row\">Total</th><td></td><td class=\"num\">2:00</td>");
        assertThat(csvRow(page(site, "/employees/" + pseudonyms.of(site, "E1") + "/month.csv"), ada))
                .endsWith(",120,1,unknown,true");

        // search: unknown, neither present nor away
        JsonPath search = get(site, "/employees/search.json");
        assertThat(search.getList("found.unknown", Boolean.class)).containsExactly(true, true);
        assertThat(search.getList("found.present", Boolean.class)).containsExactly(false, false);
        assertThat(search.getString("unknownSince")).isEqualTo(SILENT_SINCE.toString());
        String searchPage = page(site, "/employees");
        assertThat(searchPage).contains("Presence now is <span class=\"unknown-label\">unknown</span>: a presence agent has been silent since 11:00")
                .doesNotContain(">away<", "running-label\">present");
        assertThat(csvRow(page(site, "/employees/search.csv"), ada)).endsWith(",unknown");

        // the agent is back (a heartbeat a minute ago; the projection recorded the gap): the stored sessions count again
        PresenceRows.update("UPDATE agent_status SET last_heartbeat_at = ? WHERE site = ? AND agent_id = ?",
                NOW.minusSeconds(60), site, "net-1");
        AgentsResourceTest.gap(site, "net-1", "2026-03-10T10:00:00Z", "2026-03-10T11:59:00Z");
        JsonPath back = get(site, "/api/presence/day");
        assertThat(back.getLong(e1 + ".presentSeconds")).isEqualTo(4 * 3600);
        assertThat(back.getBoolean(e1 + ".present")).isTrue();
        assertThat(back.getBoolean(e1 + ".unknown")).isFalse();
        assertThat(back.getBoolean(e1 + ".spans[0].running")).isTrue();
        assertThat(back.getString("coverage.presenceUnknownSince")).isNull();
        assertThat(back.getList("coverage.incompleteDates")).containsExactly("2026-03-10");
        // the gap stays drawn as unknown on the timeline, the session runs through it as stored
        assertThat(dayRow(page(site, "/presence/day"), ada)).contains("running-label", "tl-bar running",
                "unknown 11:00–12:59: agent net-1 was not observing");
        assertThat(get(site, "/api/presence/month").getLong(row + ".presentSeconds")).isEqualTo(4 * 3600);
        assertThat(get(site, "/api/presence/arrivals").getBoolean(arrival + ".present")).isTrue();
        assertThat(page(site, "/employees/" + pseudonyms.of(site, "E1"))).contains("4:00 present today");
        JsonPath searchBack = get(site, "/employees/search.json");
        assertThat(searchBack.getBoolean("found.find { it.employee.label == '" + ada + "' }.present")).isTrue();
        assertThat(searchBack.getBoolean("found.find { it.employee.label == '" + bob + "' }.present")).isFalse();
        assertThat(searchBack.getList("found.unknown", Boolean.class)).containsExactly(false, false);
    }

    /**
     * A Berlin office whose network agent has been silent since 10:00: E1 (Ada) present since 08:00 in a session the
     * silent agent never closed, E2 (Bob) there from 07:00 to 09:00.
     */
    private static String silentOffice(String name) throws Exception {
        String site = ReadModelRows.uniqueSite(name);
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Builder");
        PresenceRows.attended(site, "E1", TUESDAY, NOW, Session.open("2026-03-10T08:00:00Z"));
        PresenceRows.attended(site, "E2", TUESDAY, NOW, Session.of("2026-03-10T07:00:00Z", "2026-03-10T09:00:00Z"));
        AgentsResourceTest.status(site, "net-1", SILENT_SINCE, 900L, 0);
        return site;
    }

    /** With {@code -Dscreenshots=DIR} and Chromium: the day, arrivals, employee page and search while silent, at 390 and 1280 px. */
    @Test
    void screenshots() throws Exception {
        String dir = System.getProperty("screenshots");
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null && java.nio.file.Files.isExecutable(Chromium.BINARY),
                "screenshots only with -Dscreenshots=DIR and Chromium");
        String site = silentOffice("silentshots");
        AgentsResourceTest.gap(site, "net-1", "2026-03-10T06:30:00Z", "2026-03-10T06:50:00Z");
        java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
        String base = "http://localhost:" + io.restassured.RestAssured.port;
        for (int width : new int[] {390, 1280}) {
            try (Chromium browser = Chromium.start(width, 1100)) {
                browser.cookie(base, Sessions.COOKIE, TestSessions.token("browser", Role.VIEWER));
                for (String page : java.util.List.of("presence/day", "presence/arrivals", "employees/" + pseudonyms.of(site, "E1"), "employees")) {
                    browser.open(base + "/" + page + "?site=" + site);
                    browser.screenshot(java.nio.file.Path.of(dir, "silent-" + page.replaceAll("[^a-z0-9]+", "-") + "-" + width + ".png")
                            .toAbsolutePath());
                }
            }
        }
    }

    private String label(String site, String employeeId) {
        return "Employee " + pseudonyms.of(site, employeeId);
    }

    private static JsonPath get(String site, String path) {
        return JsonPath.from(page(site, path));
    }

    private static String page(String site, String path) {
        return given().queryParam("site", site).when().get(path).then().statusCode(200).extract().asString();
    }

    /** The presence day table's row of an employee. */
    private static String dayRow(String html, String label) {
        int at = html.indexOf("title=\"" + label + "\">" + label + "</th>");
        assertThat(at).as("a row for %s", label).isNotNegative();
        return html.substring(html.lastIndexOf("<tr", at), html.indexOf("</tr>", at));
    }

    private static String csvRow(String csv, String label) {
        for (String line : csv.split("\r\n")) {
            if (line.startsWith(label + ",")) {
                return line;
            }
        }
        throw new AssertionError("no CSV row for " + label + " in " + csv);
    }
}
