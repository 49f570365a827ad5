package dev.rollcall.report;

import dev.rollcall.report.ReadModelRows.Interval;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static dev.rollcall.report.DayResourceTest.row;
import static dev.rollcall.report.ReadModelRows.workedDay;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** The week and month grids of users × days: pages, JSON and CSV. */
@QuarkusTest
@QuarkusTestResource(dev.rollcall.testsupport.KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class PeriodResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        TestSessions.signInRevealingAs(Role.HR);  // user names are pseudonyms unless revealed
    }

    /** Mon 26 January to Sun 1 February 2026, across a month boundary. */
    private static String seedWeekFive() throws Exception {
        String site = ReadModelRows.uniqueSite("grid");
        workedDay(site, LocalDate.of(2026, 1, 26), "bob", 4, "stopped",
                List.of(Interval.stopped("2026-01-26T08:00:00Z", "2026-01-26T09:00:00Z")));        // 1:00, 1
        workedDay(site, LocalDate.of(2026, 1, 31), "bob", 9, "stopped", List.of(
                Interval.stopped("2026-01-31T08:00:00Z", "2026-01-31T09:20:00Z"),                  // 1:20, 2
                Interval.timedOut("2026-01-31T10:00:00Z", "2026-01-31T10:55:00Z")));               // 0:55, 1
        workedDay(site, LocalDate.of(2026, 2, 1), "Alice", 3, "stopped",
                List.of(Interval.stopped("2026-02-01T09:00:00Z", "2026-02-01T09:41:00Z")));        // 0:41, 1
        workedDay(site, LocalDate.of(2026, 2, 2), "Alice", 3, "stopped",
                List.of(Interval.stopped("2026-02-02T09:00:00Z", "2026-02-02T14:33:00Z")));        // next week
        return site;
    }

    @Test
    void theWeekPageShowsEachUsersDaysAndTotals() throws Exception {
        String site = seedWeekFive();

        String html = given().queryParam("site", site).queryParam("date", "2026-01-28").when().get("/week")
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();

        assertThat(html).contains("<h1>Week 5</h1>").contains("26 January – 1 February 2026")
                .contains("href=\"/day?site=" + site + "&amp;date=2026-01-26&amp;names=real\"")
                .contains("href=\"/day?site=" + site + "&amp;date=2026-02-01&amp;names=real\"")
                .contains("href=\"/week?site=" + site + "&amp;date=2026-01-19&amp;names=real\" rel=\"prev\"")
                .contains("href=\"/week?site=" + site + "&amp;date=2026-02-02&amp;names=real\" rel=\"next\"")
                .contains("href=\"/week.csv?site=" + site + "&amp;date=2026-01-26&amp;names=real\"")
                .contains("href=\"/api/workstation/week?site=" + site + "&amp;date=2026-01-26&amp;names=real\"");
        // the week's table, not the footer (whose "Generated hh:mm:ss" may contain anything)
        assertThat(html.substring(0, html.indexOf("<footer"))).doesNotContain("<span class=\"wt\">5:33</span>");
        String bob = row(html, "bob");
        // each day shaded by its hours (under 2 h: heat-1, 2–4 h: heat-2), its h:mm still written, a title per cell
        assertThat(bob).containsPattern("<td class=\"cell heat-1\" title=\"bob, \\w{3} \\d+: 1:00 working, 1 real work hour\">"
                        + "<span class=\"wt\">1:00</span><span class=\"rwh\">1</span></td>")
                .containsPattern("<td class=\"cell heat-2\" title=\"bob, \\w{3} \\d+: 2:15 working, 3 real work hours\">"
                        + "<span class=\"wt\">2:15</span><span class=\"rwh\">3</span></td>")
                .contains("<td class=\"cell total\"><span class=\"wt\">3:15</span><span class=\"rwh\">4</span></td>");
        assertThat(bob.split("class=\"cell empty\"", -1)).hasSize(6); // 7 days, 2 with data
        assertThat(row(html, "Alice")).contains("<span class=\"wt\">0:41</span><span class=\"rwh\">1</span>");
        assertThat(html).contains("<span class=\"wt\">3:56</span><span class=\"rwh\">5</span>"); // the week's total
        assertThat(html.indexOf(">Alice</th>")).isLessThan(html.indexOf(">bob</th>"));

        given().queryParam("site", site).queryParam("date", "2026-02-01").when().get("/api/workstation/week")
                .then().statusCode(200)
                .body("range.kind", equalTo("WEEK"))
                .body("range.from", equalTo("2026-01-26"))
                .body("range.to", equalTo("2026-02-01"))
                .body("days", hasSize(7))
                .body("users.username", contains("Alice", "bob"))
                .body("users[0].days[0]", nullValue())
                .body("users[0].days[6].workingMinutes", equalTo(41))
                .body("users[1].days[5].workingMinutes", equalTo(135))
                .body("users[1].days[5].realWorkHours", equalTo(3))
                .body("users[1].days[5].firstActivity", equalTo("2026-01-31T08:00:00Z"))
                .body("users[1].workingMinutes", equalTo(195))
                .body("totals[6].users", equalTo(1))
                .body("totals[6].workingMinutes", equalTo(41));
    }

    @Test
    void theMonthPageStopsAtTheMonthsEdges() throws Exception {
        String site = seedWeekFive();

        String html = given().queryParam("site", site).queryParam("month", "2026-01").when().get("/month")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("<h1>January 2026</h1>")
                .contains("href=\"/month?site=" + site + "&amp;month=2025-12&amp;names=real\" rel=\"prev\"")
                .contains("href=\"/month?site=" + site + "&amp;month=2026-02&amp;names=real\" rel=\"next\"")
                .contains("href=\"/month.csv?site=" + site + "&amp;month=2026-01&amp;names=real\"")
                .contains("href=\"/day?site=" + site + "&amp;date=2026-01-31&amp;names=real\"")
                .doesNotContain("date=2026-02-01\"><span")
                .doesNotContain(">Alice</th>")
                .contains("computed with auto-timeout 10 min");
        assertThat(html.split("<th scope=\"col\" class=\"day\">", -1)).hasSize(32);
        assertThat(row(html, "bob")).contains("<td class=\"cell total\"><span class=\"wt\">3:15</span><span class=\"rwh\">4</span></td>");

        given().queryParam("site", site).queryParam("date", "2026-02-14").when().get("/api/workstation/month")
                .then().statusCode(200)
                .body("range.kind", equalTo("MONTH"))
                .body("days", hasSize(28))
                .body("users.username", contains("Alice"))
                .body("users[0].days[0].workingMinutes", equalTo(41))
                .body("users[0].days[1].workingMinutes", equalTo(333))
                .body("users[0].realWorkHours", equalTo(1 + 8));
    }

    @Test
    void weekAndMonthDownloadAsCsvNamedAfterSiteAndRange() throws Exception {
        String site = seedWeekFive();

        given().queryParam("site", site).queryParam("date", "2026-01-28").when().get("/week.csv")
                .then().statusCode(200)
                .contentType(containsString("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"rollcall-workstation-" + site + "-2026-W05.csv\""))
                .body(equalTo(WorkstationCsv.HEADER + "\r\n"
                        + "bob,2026-01-26,60,1,2026-01-26T08:00:00Z,2026-01-26T09:00:00Z\r\n"
                        + "bob,2026-01-31,135,3,2026-01-31T08:00:00Z,2026-01-31T10:55:00Z\r\n"
                        + "Alice,2026-02-01,41,1,2026-02-01T09:00:00Z,2026-02-01T09:41:00Z\r\n"));
        given().queryParam("site", site).queryParam("month", "2026-02").when().get("/month.csv")
                .then().statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"rollcall-workstation-" + site + "-2026-02.csv\""))
                .body(equalTo(WorkstationCsv.HEADER + "\r\n"
                        + "Alice,2026-02-01,41,1,2026-02-01T09:00:00Z,2026-02-01T09:41:00Z\r\n"
                        + "Alice,2026-02-02,333,8,2026-02-02T09:00:00Z,2026-02-02T14:33:00Z\r\n"));
    }

    @Test
    void anEmptyPeriodSaysSo() {
        given().queryParam("site", ReadModelRows.uniqueSite("none")).queryParam("month", "2026-01").when().get("/month")
                .then().statusCode(200).body(containsString("No workstation reports in this month."));
    }

    @Test
    void badWeeksAndMonthsAreClear400s() {
        RealWorkHoursResourceTest.problem(given().queryParam("date", "2026-W05").when().get("/week").then(), "date must be YYYY-MM-DD");
        RealWorkHoursResourceTest.problem(given().queryParam("month", "2026-13").when().get("/month").then(), "month must be YYYY-MM");
        RealWorkHoursResourceTest.problem(given().queryParam("month", "26-01").when().get("/month.csv").then(), "month must be YYYY-MM");
        RealWorkHoursResourceTest.problem(given().queryParam("date", "tomorrow").when().get("/month").then(), "date must be YYYY-MM-DD");
        RealWorkHoursResourceTest.problem(given().queryParam("month", "1999-12").when().get("/api/workstation/month").then(), "out of range");
        RealWorkHoursResourceTest.problem(given().queryParam("date", "2026-1-5").when().get("/week.csv").then(), "date must be YYYY-MM-DD");
        RealWorkHoursResourceTest.problem(given().queryParam("site", "HQ").when().get("/api/workstation/week").then(), "site must be a site id");
    }
}
