package dev.rollcall.report;

import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.rollcall.report.PresenceRows.attended;
import static dev.rollcall.report.PresenceRows.employee;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/**
 * The presence pages, their JSON and CSV over roster and attendance rows (db/live-generation.sql), at a fixed
 * now: Tuesday 10 March 2026, 12:00 UTC, 13:00 at a site in Berlin.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class PresenceResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        TestSessions.signInAs(Role.VIEWER);
    }

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final LocalDate TUESDAY = LocalDate.of(2026, 3, 10);
    /** When the projection last folded: what it stored for open sessions is counted up to here, not to now. */
    static final Instant FOLDED = Instant.parse("2026-03-10T09:00:00Z");
    static final List<String> REAL_NAMES = List.of("Ada", "Lovelace", "Bob Builder", "Cleo", "Dan Brown", "Eve", "Night Owl");

    @Inject
    Pseudonyms pseudonyms;

    /**
     * E1 Ada: 07:00–07:30 and present since 08:10 (local). E2 Bob: 08:00–12:00. E3 Cleo: Sunday 09:00–18:00.
     * E4 Dan: no device, never seen. E5 Eve: inactive. E6 Night Owl: present since Monday 22:30.
     */
    static String seedTuesday() throws Exception {
        String site = ReadModelRows.uniqueSite("pres");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        employee(site, "E1", "Ada Lovelace");
        employee(site, "E2", "Bob Builder");
        employee(site, "E3", "Cleo Patra");
        employee(site, "E4", "Dan Brown", true);
        employee(site, "E5", "Eve Gone", false);
        employee(site, "E6", "Night Owl");
        attended(site, "E1", TUESDAY, FOLDED, Session.of("2026-03-10T06:00:00Z", "2026-03-10T06:30:00Z"),
                Session.open("2026-03-10T07:10:00Z"));
        attended(site, "E2", TUESDAY, FOLDED, Session.of("2026-03-10T07:00:00Z", "2026-03-10T11:00:00Z"));
        attended(site, "E3", LocalDate.of(2026, 3, 8), FOLDED, Session.of("2026-03-08T08:00:00Z", "2026-03-08T17:00:00Z"));
        attended(site, "E6", TUESDAY.minusDays(1), FOLDED, Session.open("2026-03-09T21:30:00Z"));
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
        return site;
    }

    String label(String site, String employeeId) {
        return "Employee " + pseudonyms.of(site, employeeId);
    }

    @Test
    void nowListsWhoIsPresentSinceWhenAndWhenTheOthersWereLastSeen() throws Exception {
        String site = seedTuesday();

        String html = given().queryParam("site", site).when().get("/presence")
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertThat(html).contains("<strong data-count=\"present\">2</strong> present")
                .contains("<strong data-count=\"absent\">3</strong> not here")
                .contains("site <strong>Berlin office</strong> · Europe/Berlin")
                .contains("<script src=\"/js/presence-now.js\" defer></script>")
                .contains("<noscript><meta http-equiv=\"refresh\" content=\"60\"></noscript>")
                .contains("data-api=\"/api/presence/now?site=" + site + "\"")
                .contains("offline for 5 min")
                .doesNotContain(label(site, "E5"));
        // present since 08:10 after 07:00–07:30: 30 min + 4 h 50 min so far, not the 2:20 the projection stored at 10:00
        assertThat(row(html, label(site, "E1"))).contains(">08:10</time>").contains(">07:00</time>")
                .contains("<td class=\"num\">5:20</td>");
        assertThat(row(html, label(site, "E6"))).contains(">Mon 9 Mar 22:30</time>").contains("<span class=\"none\">–</span>");
        assertThat(row(html, label(site, "E2"))).contains("<td>left 12:00</td>");
        assertThat(row(html, label(site, "E3"))).contains("<td>not today · last seen Sun 8 Mar 18:00</td>");
        assertThat(row(html, label(site, "E4"))).contains("never seen <span class=\"note\">no device registered</span>");
        assertThat(html.indexOf("data-rows=\"absent\"")).isGreaterThan(html.indexOf(label(site, "E1")));
        assertNoRealName(html);

        String json = given().queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200)
                .body("site.id", equalTo(site))
                .body("site.zone", equalTo("Europe/Berlin"))
                .body("site.presenceGraceMinutes", equalTo(5))
                .body("today", equalTo("2026-03-10"))
                .body("generatedAt", equalTo("2026-03-10T12:00:00Z"))
                .body("present", hasSize(2))
                .body("absent", hasSize(3))
                .body("present.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E1") + "' }.since", equalTo("2026-03-10T07:10:00Z"))
                .body("present.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E1") + "' }.arrivedToday", equalTo("2026-03-10T06:00:00Z"))
                .body("present.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E1") + "' }.todaySeconds", equalTo(320 * 60))
                .body("absent.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E2") + "' }.seenToday", equalTo(true))
                .body("absent.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E4") + "' }.devices", equalTo(0))
                .body("present[0].employee.keySet()", org.hamcrest.Matchers.containsInAnyOrder("label", "pseudonym"))
                .extract().asString();
        assertNoRealName(json);
        assertThat(json).doesNotContain("\"E1\"").doesNotContain("\"E6\"");
    }

    /**
     * A site with a 10-minute grace period. Someone whose last device went offline is present until the grace period
     * has passed (the phone may come back into the same session), and "since" stays the session's start: 9 min 59 s
     * after, present; 10 min 1 s after, not here. A session of yesterday that ended within the grace period counts too.
     */
    @Test
    void someoneIsPresentUntilTheSitesGracePeriodAfterTheirLastDeviceWentOffline() throws Exception {
        String site = ReadModelRows.uniqueSite("grace");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 10);
        employee(site, "E1", "Ada Lovelace");
        employee(site, "E2", "Bob Builder");
        employee(site, "E3", "Cleo Patra");
        // E1 left 9 min 59 s before now, E2 10 min 1 s before
        attended(site, "E1", TUESDAY, FOLDED, Session.of("2026-03-10T07:00:00Z", "2026-03-10T11:50:01Z"));
        attended(site, "E2", TUESDAY, FOLDED, Session.of("2026-03-10T07:30:00Z", "2026-03-10T11:49:59Z"));
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
        String e1 = pseudonyms.of(site, "E1");
        String e2 = pseudonyms.of(site, "E2");

        JsonPath json = JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
        assertThat(json.getInt("graceMinutes")).isEqualTo(10);
        assertThat(json.getList("present.employee.pseudonym")).containsExactly(e1);
        assertThat(json.getString("present[0].since")).isEqualTo("2026-03-10T07:00:00Z");
        assertThat(json.getString("present[0].offlineSince")).isEqualTo("2026-03-10T11:50:01Z");
        assertThat(json.getInt("present[0].todaySeconds")).isEqualTo((4 * 60 + 50) * 60);
        assertThat(json.getList("absent.employee.pseudonym")).containsExactlyInAnyOrder(e2, pseudonyms.of(site, "E3"));
        assertThat(json.getString("absent.find { it.employee.pseudonym == '" + e2 + "' }.lastSeen")).isEqualTo("2026-03-10T11:49:59Z");
        assertThat(json.getString("unknownSince")).isNull();
        assertThat(json.getList("unknown")).isEmpty();

        String html = given().queryParam("site", site).when().get("/presence").then().statusCode(200).extract().asString();
        assertThat(row(html, label(site, "E1"))).contains(">08:00</time> <span class=\"note grace\"")
                .contains(">offline since 12:50</span>");
        assertThat(row(html, label(site, "E2"))).contains("<td>left 12:49</td>");
        assertThat(html).contains("<strong data-count=\"present\">1</strong> present")
                .contains("offline for 10 min");

        // the same phone seen offline exactly at the grace period still counts; a second later it does not
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse("2026-03-10T12:00:01Z"), ZoneOffset.UTC), Clock.class);
        assertThat(JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now").then().statusCode(200)
                .extract().asString()).getList("present.employee.pseudonym")).containsExactly(e1);
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse("2026-03-10T12:00:02Z"), ZoneOffset.UTC), Clock.class);
        assertThat(JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now").then().statusCode(200)
                .extract().asString()).getList("present")).isEmpty();

        // just after midnight in Berlin: a session of Tuesday that ended 2.5 min ago is still presence, since Tuesday
        attended(site, "E3", TUESDAY, FOLDED, Session.of("2026-03-10T21:00:00Z", "2026-03-10T23:00:30Z"));
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse("2026-03-10T23:03:00Z"), ZoneOffset.UTC), Clock.class);
        JsonPath midnight = JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
        assertThat(midnight.getString("today")).isEqualTo("2026-03-11");
        assertThat(midnight.getList("present.employee.pseudonym")).containsExactly(pseudonyms.of(site, "E3"));
        assertThat(midnight.getString("present[0].since")).isEqualTo("2026-03-10T21:00:00Z");
        assertThat(midnight.getString("present[0].arrivedToday")).isNull();
    }

    /** The default grace period (report.presence-grace, 5 min) for a site the roster has not configured. */
    @Test
    void aSiteWithoutARosterEntryUsesTheDefaultGracePeriod() throws Exception {
        String site = ReadModelRows.uniqueSite("nograce");
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Builder");
        attended(site, "E1", TUESDAY, FOLDED, Session.of("2026-03-10T07:00:00Z", "2026-03-10T11:55:01Z"));
        attended(site, "E2", TUESDAY, FOLDED, Session.of("2026-03-10T07:00:00Z", "2026-03-10T11:54:59Z"));
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
        JsonPath json = JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
        assertThat(json.getInt("graceMinutes")).isEqualTo(5);
        assertThat(json.getList("present.employee.pseudonym")).containsExactly(pseudonyms.of(site, "E1"));
        assertThat(json.getList("absent.employee.pseudonym")).containsExactly(pseudonyms.of(site, "E2"));
    }

    @Test
    void theNowPageIsDownloadableAsCsv() throws Exception {
        String site = seedTuesday();
        assertThat(given().queryParam("site", site).when().get("/presence").then().statusCode(200).extract().asString())
                .contains("<a href=\"/presence.csv?site=" + site + "\" download>CSV</a>");
        String csv = given().queryParam("site", site).when().get("/presence.csv")
                .then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"rollcall-now-" + site + "-2026-03-10.csv\""))
                .extract().asString();
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(lines.getFirst()).isEqualTo(PresenceCsv.NOW_HEADER);
        assertThat(lines.subList(1, 3)).containsExactlyInAnyOrder(
                label(site, "E1") + ",present,2026-03-10T08:10:00+01:00,,2026-03-10T07:00:00+01:00,320,,,",
                label(site, "E6") + ",present,2026-03-09T22:30:00+01:00,,,,,,");
        assertThat(lines.subList(3, lines.size())).containsExactlyInAnyOrder(
                label(site, "E2") + ",absent,,,,,2026-03-10T12:00:00+01:00,1,",
                label(site, "E3") + ",absent,,,,,2026-03-08T18:00:00+01:00,1,",
                label(site, "E4") + ",absent,,,,,,0,");
        assertThat(csv).endsWith("\r\n");
        assertNoRealName(csv);
        RealWorkHoursResourceTest.problem(given().queryParam("site", "HQ").when().get("/presence.csv").then(), "site must be a site id");
    }

    @Test
    void theDayShowsArrivalDepartureTimePresentSessionsAndATimeline() throws Exception {
        String site = seedTuesday();

        String html = given().queryParam("site", site).when().get("/presence/day")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("<h1>Today</h1>")
                .contains("<strong>2</strong> employees present, <strong>1</strong> still here · <strong>2</strong> not seen.")
                // present since Monday night: not "not seen", and counted for Monday
                .contains("<li>" + label(site, "E6") + " <span class=\"when\">since <time datetime=\"2026-03-09T21:30:00Z\">"
                        + "Mon 9 Mar 22:30</time>, <span class=\"running-label\">present</span></span></li>")
                .contains("href=\"/presence/day?site=" + site + "&amp;date=2026-03-09\" rel=\"prev\"")
                .contains("href=\"/presence/day?site=" + site + "&amp;date=2026-03-11\" rel=\"next\"")
                .contains("href=\"/presence/day.csv?site=" + site + "&amp;date=2026-03-10\"")
                .contains("href=\"/presence/month?site=" + site + "&amp;month=2026-03\"")
                .contains("<li>" + label(site, "E3") + "</li>").contains("<li>" + label(site, "E4") + "</li>")
                .doesNotContain(label(site, "E5"))
                .contains("computed with present while any device is online");
        String ada = DayResourceTest.row(html, label(site, "E1"));
        assertThat(ada).contains("data-label=\"Arrived\"><time datetime=\"2026-03-10T06:00:00Z\">07:00</time>")
                .contains("data-label=\"Left\"><span class=\"running-label\">present</span>")
                .contains("data-label=\"Present\">5:20</td>")
                .contains("data-label=\"Sessions\">2</td>")
                .contains("aria-label=\"present 07:00–07:30, 08:10–now (present)\"")
                // 08:10 local is 34.028 % into the day; now, 13:00, is 54.167 %
                .contains("<rect class=\"tl-bar running\" x=\"34.028%\" y=\"13\" width=\"20.139%\"")
                .contains("<title>08:10–now, present · 4:50</title>")
                .contains("class=\"tl-now\"");
        assertThat(DayResourceTest.row(html, label(site, "E2"))).contains(">12:00</time>").contains("data-label=\"Present\">4:00</td>")
                .contains("<title>08:00–12:00 · 4:00</title>");
        assertNoRealName(html);

        given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/api/presence/day")
                .then().statusCode(200)
                .body("date", equalTo("2026-03-10"))
                .body("today", equalTo(true))
                .body("hoursInDay", equalTo(24.0f))
                .body("employees", hasSize(2))
                .body("employees.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E1") + "' }.presentMinutes", equalTo(320))
                .body("employees.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E1") + "' }.left", equalTo(null))
                .body("employees.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E1") + "' }.spans[1].running", equalTo(true))
                .body("employees.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E1") + "' }.spans[1].end", equalTo("2026-03-10T12:00:00Z"))
                .body("notSeen", hasSize(2))
                .body("fromEarlierDay[0].since", equalTo("2026-03-09T21:30:00Z"));

        String csv = given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/presence/day.csv")
                .then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"rollcall-presence-" + site + "-2026-03-10.csv\""))
                .extract().asString();
        assertThat(csv.split("\r\n")).containsExactlyInAnyOrder(
                PresenceCsv.DAY_HEADER,
                label(site, "E1") + ",2026-03-10,2026-03-10T07:00:00+01:00,,320,2,true,false",
                label(site, "E2") + ",2026-03-10,2026-03-10T08:00:00+01:00,2026-03-10T12:00:00+01:00,240,1,false,false");
        assertThat(csv).startsWith(PresenceCsv.DAY_HEADER + "\r\n").endsWith("\r\n");
        // the yesterday's session still open belongs to Monday, counted up to now
        given().queryParam("site", site).queryParam("date", "2026-03-09").when().get("/api/presence/day")
                .then().statusCode(200)
                .body("today", equalTo(false))
                .body("employees[0].presentMinutes", equalTo(14 * 60 + 30))
                .body("employees[0].present", equalTo(true));
    }

    @Test
    void theMonthIsAGridOfEmployeesByDaysWithTotals() throws Exception {
        String site = seedTuesday();

        String html = given().queryParam("site", site).queryParam("month", "2026-03").when().get("/presence/month")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("<h1>March 2026</h1>")
                .contains("<strong>4</strong> employees")
                .contains("<strong>32:50</strong> present") // 5:20 + 4:00 + 9:00 + 14:30
                .contains("href=\"/presence/month?site=" + site + "&amp;month=2026-02\" rel=\"prev\"")
                .contains("href=\"/presence/month.csv?site=" + site + "&amp;month=2026-03\"")
                .contains("href=\"/presence/day?site=" + site + "&amp;date=2026-03-31\"");
        assertThat(html.split("<th scope=\"col\" class=\"day\">", -1)).hasSize(32);
        assertThat(DayResourceTest.row(html, label(site, "E1")))
                .contains("<td class=\"cell heat-3 running\" title=\"" + label(site, "E1") + ", Tue 10: 5:20 present\"><span class=\"wt\">5:20</span></td>")
                .contains("<td class=\"cell total\"><span class=\"wt\">5:20</span><span class=\"days\">1 day</span></td>");
        assertThat(DayResourceTest.row(html, label(site, "E3"))).containsPattern("<td class=\"cell heat-5\" title=\"[^\"]+: 9:00 present\"><span class=\"wt\">9:00</span></td>");
        // the heatmap's legend: five shades, what each stands for
        assertThat(html).contains("class=\"legend heat-legend\"").contains("swatch heat-1").contains("swatch heat-5").contains("8 h or more");
        assertThat(html).contains("<span class=\"wt\">9:20</span><span class=\"days\" title=\"employees present\">2</span>");
        assertNoRealName(html);

        JsonPath month = given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/api/presence/month")
                .then().statusCode(200)
                .body("range.kind", equalTo("MONTH"))
                .body("days", hasSize(31))
                .body("employees", hasSize(4))
                .body("totals[9].presentMinutes", equalTo(9 * 60 + 20))
                .body("totals[9].employees", equalTo(2))
                .body("presentSeconds", equalTo((32 * 60 + 50) * 60))
                .extract().jsonPath();
        Map<String, Object> owl = month.getMap("employees.find { it.employee.pseudonym == '" + pseudonyms.of(site, "E6") + "' }");
        assertThat(owl).containsEntry("presentMinutes", 14 * 60 + 30).containsEntry("daysPresent", 1);

        String csv = given().queryParam("site", site).queryParam("month", "2026-03").when().get("/presence/month.csv")
                .then().statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"rollcall-presence-" + site + "-2026-03.csv\""))
                .extract().asString();
        List<String> lines = Arrays.asList(csv.split("\r\n"));
        assertThat(lines).hasSize(5);
        assertThat(lines.getFirst()).startsWith("employee,2026-03-01,2026-03-02,").endsWith(",2026-03-31,total_minutes,days_present");
        assertThat(lines).contains(monthRow(label(site, "E3"), Map.of(8, 540), 540, 1),
                monthRow(label(site, "E1"), Map.of(10, 320), 320, 1));
    }

    private static String monthRow(String label, Map<Integer, Integer> minutesByDay, int total, int days) {
        List<String> fields = new ArrayList<>(List.of(label));
        for (int d = 1; d <= 31; d++) {
            fields.add(minutesByDay.containsKey(d) ? minutesByDay.get(d).toString() : "");
        }
        fields.add(Integer.toString(total));
        fields.add(Integer.toString(days));
        return String.join(",", fields);
    }

    @Test
    void arrivalsAreTodaysNewestFirstThenTheLatestOfTheDaysBefore() throws Exception {
        String site = seedTuesday();
        employee(site, "E7", "Many Visits");
        Session[] visits = new Session[25]; // Thursday 5 March: 25 short visits, more than the page lists
        for (int i = 0; i < visits.length; i++) {
            Instant start = Instant.parse("2026-03-05T08:00:00Z").plusSeconds(i * 600L);
            visits[i] = new Session(start, start.plusSeconds(300));
        }
        attended(site, "E7", LocalDate.of(2026, 3, 5), FOLDED, visits);
        attended(site, "E7", LocalDate.of(2026, 3, 3), FOLDED, Session.of("2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z"));

        JsonPath json = given().queryParam("site", site).when().get("/api/presence/arrivals")
                .then().statusCode(200)
                .body("today", equalTo("2026-03-10"))
                .body("todays.at", org.hamcrest.Matchers.contains("2026-03-10T07:10:00Z", "2026-03-10T07:00:00Z", "2026-03-10T06:00:00Z"))
                .body("todays.firstOfDay", org.hamcrest.Matchers.contains(false, true, true))
                .body("todays.present", org.hamcrest.Matchers.contains(true, false, false))
                .body("earlierFrom", equalTo("2026-03-04"))
                .body("earlier", hasSize(20))
                .body("earlier[0].at", equalTo("2026-03-09T21:30:00Z"))
                .body("earlier[1].at", equalTo("2026-03-08T08:00:00Z"))
                .body("earlier[2].at", equalTo("2026-03-05T12:00:00Z"))
                .body("earlier[2].firstOfDay", equalTo(false))
                .extract().jsonPath();
        assertThat(json.getList("earlier.date")).doesNotContain("2026-03-03");

        String html = given().queryParam("site", site).when().get("/presence/arrivals")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("<strong>3</strong> arrivals today")
                .contains("<time datetime=\"2026-03-10T07:10:00Z\">08:10</time> <span class=\"kind kind-back\">back</span>")
                .contains("<time datetime=\"2026-03-10T07:00:00Z\">08:00</time> <span class=\"kind kind-arrived\">arrived</span>")
                .contains("<time datetime=\"2026-03-09T21:30:00Z\">Mon 9 Mar 22:30</time>")
                .contains("Earlier: the latest 20 since Wed 4 March 2026");
        assertThat(html.indexOf(">08:10</time>")).isLessThan(html.indexOf(">08:00</time>"));
        assertNoRealName(html);
    }

    @Test
    void aDaylightSavingDayIsDrawnWithItsRealLength() throws Exception {
        String site = ReadModelRows.uniqueSite("dst");
        PresenceRows.site(site, "Berlin", "Europe/Berlin", 5);
        employee(site, "E1", "Ada Lovelace");
        // 03:00–04:00 CEST on the 23-hour day: two real hours after midnight
        attended(site, "E1", LocalDate.of(2026, 3, 29), NOW, Session.of("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"));

        String html = given().queryParam("site", site).queryParam("date", "2026-03-29").when().get("/presence/day")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("This day has 23 hours: the clocks went forward.");
        assertThat(DayResourceTest.row(html, label(site, "E1")))
                .contains("<rect class=\"tl-bar\" x=\"8.696%\" y=\"13\" width=\"4.348%\"")
                .contains("<title>03:00–04:00 · 1:00</title>")
                .contains(">03</text>").doesNotContain(">02</text>");
        given().queryParam("site", site).queryParam("date", "2026-10-25").when().get("/api/presence/day")
                .then().statusCode(200).body("hoursInDay", equalTo(25.0f));
    }

    @Test
    void aSiteTheRosterDoesNotKnowShowsItsIdAndTheConfiguredZone() {
        String site = ReadModelRows.uniqueSite("unknown");
        given().queryParam("site", site).when().get("/presence")
                .then().statusCode(200)
                .body(containsString("site <strong>" + site + "</strong> · UTC"))
                .body(containsString("Nobody is present."));
        given().queryParam("site", site).when().get("/presence/day")
                .then().statusCode(200).body(containsString("Nobody was seen at " + site + " on this day yet."));
        given().queryParam("site", site).when().get("/presence/month")
                .then().statusCode(200).body(containsString("Nobody was seen at " + site + " in this month."));
    }

    @Test
    void theHeaderLinksWorkstationAndPresencePages() throws Exception {
        String site = seedTuesday();
        given().queryParam("site", site).when().get("/presence/month")
                .then().statusCode(200)
                .body(containsString("<a href=\"/presence?site=" + site + "\" aria-current=\"true\">Presence</a>"))
                .body(containsString("<a href=\"/day?site=" + site + "\">Workstations</a>"))
                .body(containsString("<a href=\"/presence/month?site=" + site + "&amp;month=2026-03\" aria-current=\"page\">Month</a>"));
        given().queryParam("site", site).when().get("/week")
                .then().statusCode(200)
                .body(containsString("<a href=\"/presence?site=" + site + "\">Presence</a>"))
                .body(containsString("<a href=\"/day?site=" + site + "\" aria-current=\"true\">Workstations</a>"));
    }

    @Test
    void badParametersAreClear400s() {
        RealWorkHoursResourceTest.problem(given().queryParam("date", "yesterday").when().get("/presence/day").then(), "date must be YYYY-MM-DD");
        RealWorkHoursResourceTest.problem(given().queryParam("date", "1900-01-01").when().get("/presence/day.csv").then(), "out of range");
        RealWorkHoursResourceTest.problem(given().queryParam("date", "2026-02-30").when().get("/api/presence/day").then(), "date must be YYYY-MM-DD");
        RealWorkHoursResourceTest.problem(given().queryParam("month", "2026-13").when().get("/presence/month").then(), "month must be YYYY-MM");
        RealWorkHoursResourceTest.problem(given().queryParam("month", "26-01").when().get("/presence/month.csv").then(), "month must be YYYY-MM");
        RealWorkHoursResourceTest.problem(given().queryParam("month", "1999-12").when().get("/api/presence/month").then(), "out of range");
        RealWorkHoursResourceTest.problem(given().queryParam("site", "HQ").when().get("/presence").then(), "site must be a site id");
        RealWorkHoursResourceTest.problem(given().queryParam("site", "x'--").when().get("/api/presence/now").then(), "site must be a site id");
        RealWorkHoursResourceTest.problem(given().queryParam("site", "a b").when().get("/api/presence/arrivals").then(), "site must be a site id");
    }

    @Test
    void theLiveScriptIsServed() {
        given().when().get("/js/presence-now.js").then().statusCode(200)
                .body(containsString("dataset.api"), not(containsString("innerHTML")));
    }

    static void assertNoRealName(String body) {
        for (String name : REAL_NAMES) {
            assertThat(body).as("shows no real name").doesNotContain(name);
        }
    }

    /** The table row of one employee on the now or arrivals page. */
    static String row(String html, String label) {
        int at = html.indexOf("class=\"employee\">" + label + "</th>");
        assertThat(at).as("a row for %s", label).isNotNegative();
        int start = html.lastIndexOf("<tr", at);
        return html.substring(start, html.indexOf("</tr>", at));
    }
}
