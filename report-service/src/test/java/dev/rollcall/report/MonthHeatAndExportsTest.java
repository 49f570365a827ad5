package dev.rollcall.report;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RealNamesRevealed;
import dev.rollcall.events.Topic;
import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.report.ReadModelRows.Interval;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The month heatmaps (shaded cells with a legend, the employee's month as a calendar in SVG) and the downloads of
 * the employee pages, the search and the audit trail: pseudonyms unless revealed, formula-safe, every revealed
 * download an audited reveal, and a revealed page's links keeping the names revealed.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class MonthHeatAndExportsTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final LocalDate MONDAY = LocalDate.of(2026, 3, 9);
    static final LocalDate TUESDAY = LocalDate.of(2026, 3, 10);
    static final String FORMULA_NAME = "=HYPERLINK(\"http://x\",\"Ada\")";

    @Inject
    Pseudonyms pseudonyms;

    @BeforeEach
    void fixedClock() {
        TestSessions.signInAs(null);
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
    }

    /** E1 (a name a spreadsheet would run) 9:00 on Monday 2, 3:00 on Tuesday 10; Monday 9 unknown (an agent down). */
    private String seed() throws Exception {
        String site = ReadModelRows.uniqueSite("heat");
        PresenceRows.site(site, "Heat office", "UTC", 5);
        PresenceRows.employee(site, "E1", FORMULA_NAME);
        PresenceRows.employee(site, "E2", "Bob Builder");
        PresenceRows.attended(site, "E1", LocalDate.of(2026, 3, 2), NOW, Session.of("2026-03-02T07:00:00Z", "2026-03-02T16:00:00Z"));
        PresenceRows.attended(site, "E1", TUESDAY, NOW, Session.of("2026-03-10T08:00:00Z", "2026-03-10T11:00:00Z"));
        PresenceRows.attended(site, "E2", TUESDAY, NOW, Session.of("2026-03-10T07:00:00Z", "2026-03-10T08:00:00Z"));
        PresenceRows.attended(site, "E2", MONDAY, NOW, Session.of("2026-03-09T07:00:00Z", "2026-03-09T09:00:00Z"));
        PresenceRows.workstationUser(site, "ACME\\ada.l", "E1");
        ReadModelRows.workedDay(site, TUESDAY, "ACME\\ada.l", 10, "stopped",
                List.of(Interval.stopped("2026-03-10T08:00:00Z", "2026-03-10T09:30:00Z")));
        AgentsResourceTest.status(site, "net-1", NOW.minusSeconds(60), 900L, 0);
        AgentsResourceTest.gap(site, "net-1", "2026-03-09T10:00:00Z", "2026-03-09T11:30:00Z");
        return site;
    }

    @Test
    void theEmployeesMonthIsACalendarHeatmapWithItsLegendAndUnknownDaysMarked() throws Exception {
        String site = seed();
        String path = "/employees/" + pseudonyms.of(site, "E1");
        String html = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when().get(path)
                .then().statusCode(200).extract().asString();
        String svg = html.substring(html.indexOf("<figure class=\"calendar-heat\">"), html.indexOf("</figure>"));
        // March 2026 starts on a Sunday: six calendar weeks, 31 days, each with its own title
        assertThat(svg).contains("viewBox=\"0 0 304 276\"").contains("aria-label=\"Employee " + pseudonyms.of(site, "E1")
                + ", hours present in March 2026\"");
        assertThat(svg.split("<g class=\"ch-day", -1)).hasSize(32);
        assertThat(svg).contains("<title>Mon 2: 9:00 present</title>")
                .containsPattern("<rect class=\"heat-5\" x=\"0\" y=\"60\"")          // Monday 2: the second week's first cell
                .contains("<title>Tue 10: 3:00 present</title>")
                .containsPattern("<rect class=\"heat-2\" x=\"44\" y=\"104\"")       // Tuesday 10: 2–4 h
                .contains("<g class=\"ch-day today\"")
                .contains("<title>Mon 9: unknown, an agent was down</title>")     // not seen while the agent was down
                .containsPattern("<g class=\"ch-day unknown\"[^>]*>\\s*<title>Mon 9")
                .contains("<title>Wed 11: not seen</title>")
                .doesNotContain("HYPERLINK");
        assertThat(html).contains("class=\"legend heat-legend\"").contains("under 2 h").contains("8 h or more")
                .contains("downtime-banner");
        // seen on a day the agent was down: the hours are marked incomplete, in the calendar and the month grid
        String bob = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when()
                .get("/employees/" + pseudonyms.of(site, "E2")).then().statusCode(200).extract().asString();
        assertThat(bob).contains("<g class=\"ch-day incomplete\"").contains("<title>Mon 9: 2:00 present (incomplete: an agent was down)</title>");
        String grid = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).queryParam("month", "2026-03").when()
                .get("/presence/month").then().statusCode(200).extract().asString();
        assertThat(grid).contains("<td class=\"cell heat-2 incomplete-day\" title=\"Employee " + pseudonyms.of(site, "E2")
                + ", Mon 9: 2:00 present (incomplete: an agent was down)\">");
        // the day table below keeps the h:mm and shades the cell
        assertThat(html).containsPattern("<td class=\"num heat-cell heat-2\" title=\"Tue 10: 3:00 present\">3:00</td>");
    }

    @Test
    void theWorkstationMonthIsShadedByWorkingTimeWithATitlePerCell() throws Exception {
        String site = seed();
        String html = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).queryParam("month", "2026-03")
                .when().get("/month").then().statusCode(200).extract().asString();
        String user = "User " + pseudonyms.of(site, "workstation-user\0ACME\\ada.l");
        assertThat(html).contains("<td class=\"cell heat-1\" title=\"" + user + ", Tue 10: 1:30 working, 2 real work hours\">")
                .contains("title=\"" + user + ", Wed 11: no work\"")
                .contains("class=\"legend heat-legend\"").contains("Shade: working time that day");
    }

    @Test
    void theEmployeeDownloadsShowPseudonymsUnlessRevealedAndAreFormulaSafe() throws Exception {
        String site = seed();
        String pseudonym = pseudonyms.of(site, "E1");
        String path = "/employees/" + pseudonym;
        String label = "Employee " + pseudonym;

        var month = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when().get(path + "/month.csv")
                .then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", "attachment; filename=\"rollcall-employee-" + site + "-" + pseudonym + "-2026-03.csv\"")
                .extract().asString();
        assertThat(month.split("\r\n")).containsExactly(PresenceCsv.DAY_HEADER,
                label + ",2026-03-02,2026-03-02T07:00:00Z,2026-03-02T16:00:00Z,540,1,false,false",
                label + ",2026-03-10,2026-03-10T08:00:00Z,2026-03-10T11:00:00Z,180,1,false,false");

        String user = "User " + pseudonyms.of(site, "workstation-user\0ACME\\ada.l");
        String ws = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when().get(path + "/workstation.csv")
                .then().statusCode(200).extract().asString();
        assertThat(ws.split("\r\n")).containsExactly(EmployeeCsv.WORKSTATION_HEADER, label + ",2026-03-10," + user + ",90,2,180");
        assertThat(ws).doesNotContain("ada.l").doesNotContain("ACME");

        // revealed (hr): the real name, defused for spreadsheets, and the download itself is an audited reveal
        String revealed = given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("names", "real")
                .when().get(path + "/month.csv").then().statusCode(200).extract().asString();
        assertThat(revealed.split("\r\n")[1]).startsWith("\"'=HYPERLINK(\"\"http://x\"\",\"\"Ada\"\")\",2026-03-02,");
        String revealedWs = given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("names", "real")
                .when().get(path + "/workstation.csv").then().statusCode(200).extract().asString();
        assertThat(revealedWs).contains(",ACME\\ada.l,");
        assertThat(reveals(site)).contains(path + "/month.csv", path + "/workstation.csv");

        // a viewer may not reveal; an unknown or malformed pseudonym is not found
        given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).queryParam("names", "real")
                .when().get(path + "/month.csv").then().statusCode(403);
        given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when().get("/employees/ZZZZZZ/month.csv").then().statusCode(404);
        given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when().get("/employees/%3Cb%3E/workstation.csv").then().statusCode(404);
    }

    @Test
    void theSearchDownloadsWhatItFindsAndMatchesNamesOnlyWhenRevealed() throws Exception {
        String site = seed();
        String bob = "Employee " + pseudonyms.of(site, "E2");
        String csv = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when().get("/employees/search.csv")
                .then().statusCode(200).header("Content-Disposition", containsString("rollcall-employees-" + site + ".csv"))
                .extract().asString();
        assertThat(csv.split("\r\n")[0]).isEqualTo(EmployeeCsv.SEARCH_HEADER);
        assertThat(csv).contains(bob + ",false").doesNotContain("Bob Builder").doesNotContain("HYPERLINK");
        assertThat(given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).queryParam("q", "Bob").when()
                .get("/employees/search.csv").then().statusCode(200).extract().asString().split("\r\n")).hasSize(1);
        String revealed = given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("q", "hyperlink")
                .queryParam("names", "real").when().get("/employees/search.csv").then().statusCode(200).extract().asString();
        assertThat(revealed.split("\r\n")).containsExactly(EmployeeCsv.SEARCH_HEADER,
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"Ada\"\")\",false");
        assertThat(reveals(site)).contains("/employees/search.csv");
        // the page links its CSV with the query, escaped
        String page = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).queryParam("q", "<b>&x").when()
                .get("/employees").then().statusCode(200).extract().asString();
        assertThat(page).contains("href=\"/employees/search.csv?site=" + site + "&amp;q=%3Cb%3E%26x\"");
    }

    @Test
    void aRevealedPageKeepsNamesRealInItsLinksAndAPseudonymousOneDoesNot() throws Exception {
        String site = seed();
        String p = pseudonyms.of(site, "E1");
        String revealed = given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("month", "2026-03")
                .queryParam("names", "real").when().get("/presence/month").then().statusCode(200).extract().asString();
        assertThat(revealed).contains("href=\"/presence/month.csv?site=" + site + "&amp;month=2026-03&amp;names=real\"")
                .contains("href=\"/presence/month?site=" + site + "&amp;month=2026-02&amp;names=real\" rel=\"prev\"")
                .contains("href=\"/presence/day?site=" + site + "&amp;date=2026-03-10&amp;names=real\"");
        String employee = given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("names", "real")
                .when().get("/employees/" + p).then().statusCode(200).extract().asString();
        assertThat(employee).contains("href=\"/employees/" + p + "/month.csv?site=" + site + "&amp;names=real\"")
                .contains("href=\"/employees/" + p + "/workstation.csv?site=" + site + "&amp;names=real\"");
        String search = given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("names", "real")
                .when().get("/employees").then().statusCode(200).extract().asString();
        assertThat(search).contains("href=\"/employees/" + p + "?site=" + site + "&amp;names=real\"");

        String plain = given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("month", "2026-03")
                .when().get("/presence/month").then().statusCode(200).extract().asString();
        // only the switch that reveals them
        assertThat(plain.split("names=real", -1)).hasSize(2);
        assertThat(plain).contains("names=real\" rel=\"nofollow\">Show real names");
    }

    @Test
    void theAuditTrailDownloadsForAdminsOnly() throws Exception {
        String site = seed();
        given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("names", "real")
                .when().get("/presence/day").then().statusCode(200);
        given().spec(TestSessions.as(Role.VIEWER)).when().get("/admin/audit.csv").then().statusCode(403);
        given().spec(TestSessions.as(Role.HR)).when().get("/admin/audit.csv").then().statusCode(403);
        String csv = given().spec(TestSessions.as(Role.ADMIN)).when().get("/admin/audit.csv")
                .then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", "attachment; filename=\"rollcall-audit.csv\"").extract().asString();
        assertThat(csv.split("\r\n")[0]).isEqualTo(AdminResource.AUDIT_HEADER);
        assertThat(csv).containsPattern("\r\n[0-9T:.Z-]+,test-hr," + site + ",/presence/day,current\r\n");
        assertThat(given().spec(TestSessions.as(Role.ADMIN)).when().get("/admin/audit").then().statusCode(200).extract().asString())
                .contains("href=\"/admin/audit.csv\"");
    }

    /** The pages of this site's reveals on the audit topic. */
    private static List<String> reveals(String site) {
        return AuditTopic.events(Topic.AUDIT).stream().filter(e -> e.site().equals(site))
                .map(EventEnvelope::data).filter(RealNamesRevealed.class::isInstance)
                .map(d -> ((RealNamesRevealed) d).page()).toList();
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
