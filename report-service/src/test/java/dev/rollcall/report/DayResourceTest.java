package dev.rollcall.report;

import dev.rollcall.report.ReadModelRows.Interval;
import dev.rollcall.testsupport.Postgres;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static dev.rollcall.report.ReadModelRows.workedDay;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/** The day page, its JSON and its CSV over real read-model tables (created from projection-service's own schema file). */
@QuarkusTest
@QuarkusTestResource(dev.rollcall.testsupport.KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class DayResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        TestSessions.signInRevealingAs(Role.HR);  // user names are pseudonyms unless revealed
    }

    @Test
    void todaysUsersAreListedWithTheirStateChangesOnThePageAndInJson() throws Exception {
        String site = site();
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(8, ChronoUnit.HOURS);
        report(site, "ACME\\alice", "working", start);
        report(site, "ACME\\alice", "working", start.plusSeconds(60));
        report(site, "ACME\\alice", "stopped", start.plusSeconds(3600));
        report(site, "ACME\\bob", "working", start.plusSeconds(120));

        given().queryParam("site", site).when().get("/")
                .then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("ACME\\alice"))
                .body(containsString("ACME\\bob"))
                .body(containsString("08:00:00</time> working"))
                .body(containsString("09:00:00</time> stopped"))
                .body(not(containsString("08:01:00</time>")))
                // the rules of the projection's live generation (db/live-generation.sql), after a rule change too
                .body(containsString("computed with auto-timeout 10 min, real work hour = 40 min block"));

        given().queryParam("site", site).when().get("/api/workstation/day")
                .then().statusCode(200)
                .body("site", equalTo(site))
                .body("users", hasSize(2))
                .body("users[0].username", equalTo("ACME\\alice"))
                .body("users[0].currentState", equalTo("stopped"))
                .body("users[0].reports", equalTo(3))
                .body("users[0].changes", hasSize(2))
                .body("users[1].username", equalTo("ACME\\bob"))
                .body("users[1].currentState", equalTo("working"));
    }

    @Test
    void theFooterNamesTheRulesTheSiteWasFoldedWithAndEarlierOnesUntilARebuild() throws Exception {
        String site = site();
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(8, ChronoUnit.HOURS);
        report(site, "ACME\\alice", "working", start);
        siteRules(site, 600, 2400, "configuration", Instant.parse("2026-11-01T00:00:00Z"));
        given().queryParam("site", site).when().get("/").then().statusCode(200)
                .body(containsString("computed with " + site + ": auto-timeout 10 min, real work hour = 40 min block (as configured), "
                        + "days in UTC (projection generation 1)"));

        // the roster gave the site an hour-long block: days folded before keep 40 minutes until a rebuild
        siteRules(site, 600, 3600, "roster and configuration", Instant.parse("2026-11-21T10:00:00Z"));
        String expected = "computed with " + site + ": auto-timeout 10 min, real work hour = 60 min block (from the roster and "
                + "configuration), days in UTC; days folded before 2026-11-21T10:00:00Z may still carry auto-timeout 10 min, "
                + "real work hour = 40 min block (as configured), days in UTC until a rebuild (projection generation 1)";
        given().queryParam("site", site).when().get("/").then().statusCode(200).body(containsString(expected));
        given().queryParam("site", site).when().get("/month").then().statusCode(200).body(containsString(expected));
        // another site is not concerned
        given().queryParam("site", site()).when().get("/week").then().statusCode(200)
                .body(containsString("computed with auto-timeout 10 min, real work hour = 40 min block, days in UTC (projection generation 1)"));
    }

    static void siteRules(String site, int timeoutSeconds, int blockSeconds, String source, Instant since) throws Exception {
        try (Connection c = Postgres.endpoint().connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO workstation_site_rules (site, auto_timeout_seconds, real_work_block_seconds, zone, source, since) "
                        + "VALUES (?, ?, ?, 'UTC', ?, ?)")) {
            ps.setString(1, site);
            ps.setInt(2, timeoutSeconds);
            ps.setInt(3, blockSeconds);
            ps.setString(4, source);
            ps.setTimestamp(5, Timestamp.from(since));
            ps.executeUpdate();
        }
    }

    @Test
    void anotherDayIsReachableAndAnEmptyDaySaysSo() throws Exception {
        String site = site();
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        report(site, "carol", "working", yesterday.atTime(10, 0).toInstant(ZoneOffset.UTC));
        given().queryParam("site", site).queryParam("date", yesterday.toString()).when().get("/")
                .then().statusCode(200).body(containsString("carol"));
        given().queryParam("site", site).when().get("/")
                .then().statusCode(200).body(containsString("No workstation reports for this day yet"));
    }

    @Test
    void namesAreEscaped() throws Exception {
        String site = site();
        report(site, "<script>alert(1)</script>", "working", Instant.now().truncatedTo(ChronoUnit.DAYS).plusSeconds(60));
        given().queryParam("site", site).when().get("/")
                .then().statusCode(200)
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt;"))
                .body(not(containsString("<script>alert(1)")));
    }

    @Test
    void badQueryParametersAreClear400s() {
        given().queryParam("date", "yesterday").when().get("/api/workstation/day")
                .then().statusCode(400).contentType(containsString("problem+json"))
                .body("detail", containsString("date must be YYYY-MM-DD"));
        given().queryParam("date", "1900-01-01").when().get("/")
                .then().statusCode(400).body("detail", containsString("out of range"));
        given().queryParam("site", "'; drop table x;--").when().get("/")
                .then().statusCode(400).body("detail", containsString("site must be a site id"));
        RealWorkHoursResourceTest.problem(given().queryParam("date", "2026-02-30").when().get("/day").then(), "date must be YYYY-MM-DD");
        RealWorkHoursResourceTest.problem(given().queryParam("date", "x").when().get("/day.csv").then(), "date must be YYYY-MM-DD");
    }

    @Test
    void aRunningIntervalIsShownAsRunningAndCountedUpToNow() throws Exception {
        String site = ReadModelRows.uniqueSite("day");
        workedDay(site, LocalDate.of(2026, 3, 10), "frank", 40, "working", List.of(
                Interval.stopped("2026-03-10T07:00:00Z", "2026-03-10T08:20:00Z"),     // 80 min, 2 blocks
                Interval.timedOut("2026-03-10T09:00:00Z", "2026-03-10T10:45:00Z")));  // running: 98 min so far
        workedDay(site, LocalDate.of(2026, 3, 10), "gina", 3, "working", List.of(
                Interval.timedOut("2026-03-10T06:00:00Z", "2026-03-10T06:50:00Z")));  // timed out long ago
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse("2026-03-10T10:38:00Z"), ZoneOffset.UTC), Clock.class);

        String html = given().queryParam("site", site).when().get("/")
                .then().statusCode(200).extract().asString();
        String frank = row(html, "frank");
        assertThat(frank).contains("data-label=\"Working\">2:58</td>")
                .contains("data-label=\"Real work hours\">4</td>")
                .contains("data-label=\"First\"><time datetime=\"2026-03-10T07:00:00Z\">07:00</time>")
                .contains("<span class=\"running-label\">running</span>")
                .contains("class=\"state state-working\">working<")
                .contains("class=\"tl-bar running\"")
                .contains(">running</text>")
                .contains("class=\"tl-now\"");
        // 09:00 is 37.5 % into the day, 10:38 is 44.306 %
        assertThat(frank).contains("<rect class=\"tl-bar running\" x=\"37.500%\" y=\"13\" width=\"6.806%\"");
        String gina = row(html, "gina");
        assertThat(gina).contains("data-label=\"Working\">0:50</td>").contains("state-timed-out\">timed out<")
                .doesNotContain("tl-bar running");
        assertThat(html).contains("<strong>1</strong> working now");

        given().queryParam("site", site).when().get("/api/workstation/day")
                .then().statusCode(200)
                .body("today", equalTo(true))
                .body("hoursInDay", equalTo(24.0f))
                .body("users.username", contains("frank", "gina"))
                .body("users[0].running", equalTo(true))
                .body("users[0].workingSeconds", equalTo((80 + 98) * 60))
                .body("users[0].workingMinutes", equalTo(178))
                .body("users[0].realWorkHours", equalTo(4))
                .body("users[0].firstActivity", equalTo("2026-03-10T07:00:00Z"))
                .body("users[0].lastActivity", equalTo("2026-03-10T10:38:00Z"))
                .body("users[0].intervals", hasSize(2))
                .body("users[0].intervals[0].running", equalTo(false))
                .body("users[0].intervals[1].running", equalTo(true))
                .body("users[0].intervals[1].end", equalTo("2026-03-10T10:38:00Z"))
                .body("users[0].intervals[1].realWorkBlocks", equalTo(2))
                .body("users[1].running", equalTo(false));

        given().queryParam("site", site).when().get("/api/workstation/week")
                .then().statusCode(200)
                .body("users[0].username", equalTo("frank"))
                .body("users[0].workingMinutes", equalTo(178))
                .body("users[0].days[1].running", equalTo(true))
                .body("users[0].days[1].realWorkHours", equalTo(4));
    }

    @Test
    void anIntervalCrossingMidnightCountsForItsStartDayAndIsClippedWithAMarker() throws Exception {
        String site = ReadModelRows.uniqueSite("day");
        workedDay(site, LocalDate.of(2026, 3, 9), "night-owl", 6, "stopped",
                List.of(Interval.stopped("2026-03-09T22:00:00Z", "2026-03-10T01:30:00Z"))); // 3:30, 5 blocks

        String html = given().queryParam("site", site).queryParam("date", "2026-03-09").when().get("/day")
                .then().statusCode(200).extract().asString();
        assertThat(row(html, "night-owl"))
                .contains("data-label=\"Working\">3:30</td>")
                .contains("data-label=\"Real work hours\">5</td>")
                .contains("<rect class=\"tl-bar\" x=\"91.667%\" y=\"13\" width=\"8.333%\"")
                .contains("class=\"tl-continues\"")
                .contains("22:00–01:30 the next day")
                .contains("aria-label=\"working 22:00–01:30 the next day\"");
        given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/day")
                .then().statusCode(200).body(containsString("No workstation reports for this day yet"));
    }

    @Test
    void aDaylightSavingDayIsDrawnWithItsRealLength() throws Exception {
        String user = "dst-" + ReadModelRows.uniqueSite("u");
        // 03:00–04:00 CEST on the 23-hour day: two real hours after midnight
        workedDay("berlin", LocalDate.of(2026, 3, 29), user, 2, "stopped",
                List.of(Interval.stopped("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")));

        String html = given().queryParam("site", "berlin").queryParam("date", "2026-03-29").when().get("/day")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("This day has 23 hours: the clocks went forward.");
        assertThat(row(html, user)).contains("<rect class=\"tl-bar\" x=\"8.696%\" y=\"13\" width=\"4.348%\"")
                .contains("<title>03:00–04:00 · 1:00 · 1 real work hour</title>")
                .contains(">03</text>").doesNotContain(">02</text>");
        given().queryParam("site", "berlin").queryParam("date", "2026-03-29").when().get("/api/workstation/day")
                .then().statusCode(200).body("zone", equalTo("Europe/Berlin")).body("hoursInDay", equalTo(23.0f));
        given().queryParam("site", "berlin").queryParam("date", "2026-10-25").when().get("/day")
                .then().statusCode(200).body(containsString("This day has 25 hours: the clocks went back."));
    }

    @Test
    void theDaysTableDownloadsAsCsv() throws Exception {
        String site = ReadModelRows.uniqueSite("csv");
        workedDay(site, LocalDate.of(2026, 3, 10), "doe, jane", 4, "stopped",
                List.of(Interval.stopped("2026-03-10T08:00:00Z", "2026-03-10T09:30:00Z")));
        workedDay(site, LocalDate.of(2026, 3, 10), "=cmd|' /C calc'!A0", 1, "stopped", List.of());

        given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/day.csv")
                .then().statusCode(200)
                .contentType(containsString("text/csv"))
                .contentType(containsStringIgnoringCase("charset=UTF-8"))
                .header("Content-Disposition", equalTo("attachment; filename=\"rollcall-workstation-" + site + "-2026-03-10.csv\""))
                .body(equalTo("username,work_date,working_minutes,real_work_hours,first_activity,last_activity\r\n"
                        + "'=cmd|' /C calc'!A0,2026-03-10,0,0,,\r\n"
                        + "\"doe, jane\",2026-03-10,90,2,2026-03-10T08:00:00Z,2026-03-10T09:30:00Z\r\n"));
        String page = given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/day")
                .then().statusCode(200).extract().asString();
        assertThat(page).contains("href=\"/day.csv?site=" + site + "&amp;date=2026-03-10&amp;names=real\"")
                .contains("href=\"/week?site=" + site + "&amp;date=2026-03-10&amp;names=real\"")
                .contains("href=\"/month?site=" + site + "&amp;month=2026-03&amp;names=real\"")
                .contains("href=\"/day?site=" + site + "&amp;date=2026-03-09&amp;names=real\" rel=\"prev\"")
                .contains("href=\"/day?site=" + site + "&amp;date=2026-03-11&amp;names=real\" rel=\"next\"");
    }

    /** The table row of one user on a day page. */
    static String row(String html, String username) {
        String escaped = username.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        int start = html.indexOf("<th scope=\"row\" class=\"user\" title=\"" + escaped + "\">" + escaped + "</th>");
        assertThat(start).as("a row for %s", username).isNotNegative();
        return html.substring(start, html.indexOf("</tr>", start));
    }

    @Test
    void theStylesheetIsServed() {
        given().when().get("/css/rollcall.css").then().statusCode(200).body(containsString("--working"));
    }

    private static String site() {
        return "rt-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Writes what projection-service would have written for one report. */
    private static void report(String site, String user, String state, Instant at) throws Exception {
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        try (Connection c = Postgres.endpoint().connect()) {
            // the reports of a user-day are packed in the live generation's table (generation 1 here); the pages sort them
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO workstation_report_day_g1 AS d (site, local_date, username, reports) "
                    + "VALUES (?, ?, ?, rollcall_workstation_report(?, ?, ?)) "
                    + "ON CONFLICT (site, local_date, username) DO UPDATE SET reports = d.reports || excluded.reports")) {
                ps.setString(1, site);
                ps.setObject(2, day);
                ps.setString(3, user);
                ps.setObject(4, UUID.randomUUID());
                ps.setTimestamp(5, Timestamp.from(at));
                ps.setBoolean(6, "working".equals(state));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO workstation_user_day AS d "
                    + "(site, local_date, username, reports, first_at, last_at, last_state) VALUES (?, ?, ?, 1, ?, ?, ?) "
                    + "ON CONFLICT (site, local_date, username) DO UPDATE SET reports = d.reports + 1, "
                    + "first_at = LEAST(d.first_at, excluded.first_at), last_at = GREATEST(d.last_at, excluded.last_at), "
                    + "last_state = CASE WHEN excluded.last_at >= d.last_at THEN excluded.last_state ELSE d.last_state END")) {
                ps.setString(1, site);
                ps.setObject(2, day);
                ps.setString(3, user);
                ps.setTimestamp(4, Timestamp.from(at));
                ps.setTimestamp(5, Timestamp.from(at));
                ps.setString(6, state);
                ps.executeUpdate();
            }
        }
    }
}
