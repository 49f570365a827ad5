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
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The agents page (health judged against a fixed now: Tuesday 10 March 2026, 12:00 UTC), and the downtime banner
 * and "incomplete, not short" mark on the presence and workstation reports whose period a downtime overlaps.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class AgentsResourceTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final LocalDate MONDAY = LocalDate.of(2026, 3, 9);

    @jakarta.inject.Inject
    Pseudonyms pseudonyms;

    @BeforeEach
    void fixedClock() {
        TestSessions.signInAs(Role.VIEWER);
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
    }

    @Test
    void thePageNamesNoPeopleSoItOffersNoRevealEvenToHr() throws Exception {
        String site = ReadModelRows.uniqueSite("agents");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        TestSessions.signInAs(null);
        given().spec(TestSessions.as(Role.HR)).queryParam("site", site).when().get("/agents").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Show real names")));
        given().spec(TestSessions.as(Role.HR)).queryParam("site", site).when().get("/presence").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("Show real names"));
    }

    @Test
    void eachAgentShowsItsHealthNowWhatItsLastHeartbeatSaidAndTheLast30DaysOfDowntime() throws Exception {
        String site = ReadModelRows.uniqueSite("agents");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        status(site, "net-healthy", NOW.minusSeconds(349), 1200L, 3);
        status(site, "net-degraded", NOW.minusSeconds(350), 1200L, 0);
        status(site, "net-offline", NOW.minusSeconds(701), 1200L, 250);
        status(site, "ws-7", NOW.minusSeconds(10), null, 0);
        gap(site, "net-healthy", "2026-03-09T08:00:00Z", "2026-03-09T09:00:00Z");
        reported(site, "net-healthy", "2026-03-09T08:30:00Z", "2026-03-09T09:30:00Z");
        gap(site, "net-healthy", "2026-01-09T08:00:00Z", "2026-01-09T09:00:00Z"); // over 30 days ago
        reported(site, "stafftrace-x", "2026-03-08T10:00:00Z", "2026-03-08T10:20:00Z"); // never sent a heartbeat
        // host names are for hr and admin (below: a viewer's)
        TestSessions.signInAs(null);
        var hr = TestSessions.as(Role.HR);
        var viewer = TestSessions.as(Role.VIEWER);

        JsonPath json = JsonPath.from(given().spec(hr).queryParam("site", site).when().get("/api/agents")
                .then().statusCode(200).extract().asString());
        assertThat(json.getList("agents.agentId")).containsExactly("stafftrace-x", "net-offline", "net-degraded", "net-healthy", "ws-7");
        assertThat(json.getList("agents.health")).containsExactly("UNKNOWN", "OFFLINE", "DEGRADED", "HEALTHY", "HEALTHY");
        assertThat(json.getInt("agents.find { it.agentId == 'net-offline' }.outboxDepth")).isEqualTo(250);
        assertThat(json.getString("agents.find { it.agentId == 'net-healthy' }.version")).isEqualTo("1.2.3");
        assertThat(json.getString("agents.find { it.agentId == 'net-healthy' }.host")).isEqualTo("host-net-healthy");
        // newest first: the silent agent's open downtime, the merged gap and report of Monday, Sunday's report
        assertThat(json.getList("downtimes.agentId")).containsExactly("net-offline", "net-healthy", "stafftrace-x");
        assertThat(json.getString("downtimes[0].start")).isEqualTo(NOW.minusSeconds(701).toString());
        assertThat(json.getString("downtimes[0].end")).isNull();
        assertThat(json.getString("downtimes[1].start")).isEqualTo("2026-03-09T08:00:00Z");
        assertThat(json.getString("downtimes[1].end")).isEqualTo("2026-03-09T09:30:00Z");

        String html = given().spec(hr).queryParam("site", site).when().get("/agents")
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertThat(html).contains("health-healthy\">HEALTHY", "health-degraded\">DEGRADED", "health-offline\">OFFLINE",
                        "health-unknown\">UNKNOWN", "still down", "host-net-offline", "Mon 9 Mar 09:00", "Mon 9 Mar 10:30")
                .doesNotContain("Fri 9 Jan");

        String csv = given().spec(hr).queryParam("site", site).when().get("/agents.csv")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(lines.getFirst()).isEqualTo("agent,health,last_seen,version,host,os,outbox_depth,devices_online,"
                + "downtime_start,downtime_end,downtime_minutes,downtime_cause");
        assertThat(lines).contains("net-healthy,HEALTHY,2026-03-10T12:54:11+01:00,1.2.3,host-net-healthy,Linux,3,2,"
                        + "2026-03-09T09:00+01:00,2026-03-09T10:30+01:00,90,gap",
                "ws-7,HEALTHY,2026-03-10T12:59:50+01:00,1.2.3,host-ws-7,Linux,0,2,,,,");

        // a viewer sees the same agents without host names: a workstation's is often its user's name
        JsonPath viewed = JsonPath.from(given().spec(viewer).queryParam("site", site).when().get("/api/agents")
                .then().statusCode(200).extract().asString());
        assertThat(viewed.getList("agents.agentId")).containsExactly("stafftrace-x", "net-offline", "net-degraded", "net-healthy", "ws-7");
        assertThat(viewed.getList("agents.host")).containsOnlyNulls();
        assertThat(viewed.getList("agents.os")).contains("Linux");
        assertThat(given().spec(viewer).queryParam("site", site).when().get("/agents").then().statusCode(200).extract().asString())
                .contains("hidden · Linux").doesNotContain("host-");
        assertThat(given().spec(viewer).queryParam("site", site).when().get("/agents.csv").then().statusCode(200).extract().asString())
                .contains("\r\nws-7,HEALTHY,2026-03-10T12:59:50+01:00,1.2.3,,Linux,0,2,,,,").doesNotContain("host-");
    }

    @Test
    void anEnrolledAgentIsUnknownUntilItsFirstHeartbeatAndARevokedOnesSilenceIsNoDowntime() throws Exception {
        String site = ReadModelRows.uniqueSite("enrolled");
        PresenceRows.site(site, "Office", "UTC", 5);
        PresenceRows.update("INSERT INTO agent_enrollment (site, agent_id, enrolled_at, host) VALUES (?, 'net-new', ?, 'pi-7')",
                site, NOW.minusSeconds(3600));
        status(site, "net-gone", NOW.minusSeconds(7200), 900L, 0);
        PresenceRows.update("INSERT INTO agent_enrollment (site, agent_id, enrolled_at, revoked_at) VALUES (?, 'net-gone', ?, ?)",
                site, NOW.minusSeconds(86_400), NOW.minusSeconds(3600));
        TestSessions.signInAs(null);
        var admin = TestSessions.as(Role.ADMIN);

        JsonPath json = JsonPath.from(given().spec(admin).queryParam("site", site).when().get("/api/agents")
                .then().statusCode(200).extract().asString());
        assertThat(json.getList("agents.agentId")).containsExactly("net-new", "net-gone");
        assertThat(json.getList("agents.health")).containsExactly("UNKNOWN", "OFFLINE");
        assertThat(json.getList("agents.revokedAt")).containsExactly(null, NOW.minusSeconds(3600).toString());
        assertThat(json.getString("agents[0].host")).isEqualTo("pi-7");
        assertThat(json.getList("downtimes")).isEmpty();
        String html = given().spec(admin).queryParam("site", site).when().get("/agents").then().statusCode(200).extract().asString();
        assertThat(html).contains("health-unknown\">UNKNOWN", "never · enrolled 11:00", "health-revoked", ">REVOKED<")
                .doesNotContain("still down");
        assertThat(given().spec(admin).queryParam("site", site).when().get("/presence").then().statusCode(200).extract().asString())
                .doesNotContain("downtime-banner");
        assertThat(given().spec(admin).queryParam("site", site).when().get("/agents.csv").then().statusCode(200).extract().asString())
                .contains("\r\nnet-gone,REVOKED,", "\r\nnet-new,UNKNOWN,,,pi-7,");
    }

    @Test
    void aDayADowntimeOverlapsHasABannerAndIsIncompleteOnItsPagesJsonAndCsvTheNextDayHasNeither() throws Exception {
        String site = ReadModelRows.uniqueSite("gaps");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Builder");
        PresenceRows.attended(site, "E1", MONDAY, NOW, Session.of("2026-03-09T07:00:00Z", "2026-03-09T15:00:00Z"));
        // Bob was not seen on Monday: in the month grid his Monday is unknown, not empty
        PresenceRows.attended(site, "E2", MONDAY.plusDays(1), NOW, Session.of("2026-03-10T07:00:00Z", "2026-03-10T09:00:00Z"));
        status(site, "net-1", NOW.minusSeconds(60), 900L, 0);
        gap(site, "net-1", "2026-03-09T10:00:00Z", "2026-03-09T11:30:00Z");

        JsonPath day = JsonPath.from(given().queryParam("site", site).queryParam("date", "2026-03-09").when()
                .get("/api/presence/day").then().statusCode(200).extract().asString());
        assertThat(day.getList("coverage.incompleteDates")).containsExactly("2026-03-09");
        assertThat(day.getBoolean("coverage.incomplete")).isTrue();
        assertThat(day.getList("coverage.downtimes.agentId")).containsExactly("net-1");

        String html = given().queryParam("site", site).queryParam("date", "2026-03-09").when().get("/presence/day")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("downtime-banner", "Agent <strong>net-1</strong> down 11:00 – 12:30 (Europe/Berlin)",
                "class=\"incomplete\"", "unknown, not absent");
        String csv = given().queryParam("site", site).queryParam("date", "2026-03-09").when().get("/presence/day.csv")
                .then().statusCode(200).extract().asString();
        assertThat(csv.split("\r\n")[0]).endsWith(",still_present,incomplete");
        assertThat(csv.split("\r\n")[1]).endsWith(",false,true");

        String month = given().queryParam("site", site).queryParam("month", "2026-03").when().get("/presence/month")
                .then().statusCode(200).extract().asString();
        assertThat(month).contains("downtime-banner", "Mon 9 Mar 11:00 – 12:30", "Agent down", "Mon 9: unknown, an agent was down\"><span class=\"wt\">?</span>");
        String monthCsv = given().queryParam("site", site).queryParam("month", "2026-03").when().get("/presence/month.csv")
                .then().statusCode(200).extract().asString();
        assertThat(monthCsv).contains("incomplete (agent down),,,,,,,,,incomplete,");

        // the workstation reports of the site say so too (their site is in UTC by configuration)
        for (String path : List.of("/day", "/week", "/month")) {
            assertThat(given().queryParam("site", site).queryParam("date", "2026-03-09").when().get(path)
                    .then().statusCode(200).extract().asString()).as(path).contains("downtime-banner", "net-1", "(UTC)");
        }
        assertThat(JsonPath.from(given().queryParam("site", site).queryParam("date", "2026-03-09").when()
                .get("/api/workstation/day").then().statusCode(200).extract().asString())
                .getList("coverage.downtimes.agentId")).containsExactly("net-1");

        // Tuesday: no downtime, no banner, complete
        String tuesday = given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/presence/day")
                .then().statusCode(200).extract().asString();
        assertThat(tuesday).doesNotContain("downtime-banner", "class=\"incomplete\"").contains("Not seen this day");
        assertThat(given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/day")
                .then().statusCode(200).extract().asString()).doesNotContain("downtime-banner");
    }

    @Test
    void anAgentSilentNowPutsTheBannerOnTheNowPageAndMakesTodayIncomplete() throws Exception {
        String site = ReadModelRows.uniqueSite("silent");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Builder");
        PresenceRows.employee(site, "E3", "Cleo Patra");
        // E1 present since 08:00 (an open session the silent agent never closed), E2 left at 09:00, E3 never seen
        PresenceRows.attended(site, "E1", LocalDate.of(2026, 3, 10), NOW, Session.open("2026-03-10T08:00:00Z"));
        PresenceRows.attended(site, "E2", LocalDate.of(2026, 3, 10), NOW, Session.of("2026-03-10T07:00:00Z", "2026-03-10T09:00:00Z"));
        status(site, "net-1", Instant.parse("2026-03-10T10:00:00Z"), 900L, 17);
        status(site, "ws-1", NOW.minusSeconds(30), null, 0);

        JsonPath now = JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
        assertThat(now.getList("coverage.incompleteDates")).containsExactly("2026-03-10");
        assertThat(now.getString("coverage.downtimes[0].cause")).isEqualTo("silent");
        // nobody present or absent: unknown since the agent's last heartbeat, the open session counted up to it
        assertThat(now.getString("unknownSince")).isEqualTo("2026-03-10T10:00:00Z");
        assertThat(now.getList("silentAgents")).containsExactly("net-1");
        assertThat(now.getList("present")).isEmpty();
        assertThat(now.getList("absent")).isEmpty();
        assertThat(now.getList("unknown")).hasSize(3);
        String ada = "unknown.find { it.employee.label == '" + label(site, "E1") + "' }";
        assertThat(now.getString(ada + ".presentSince")).isEqualTo("2026-03-10T08:00:00Z");
        assertThat(now.getInt(ada + ".todaySeconds")).isEqualTo(2 * 3600);
        String bob = "unknown.find { it.employee.label == '" + label(site, "E2") + "' }";
        assertThat(now.getString(bob + ".presentSince")).isNull();
        assertThat(now.getString(bob + ".lastSeen")).isEqualTo("2026-03-10T09:00:00Z");
        String html = given().queryParam("site", site).when().get("/presence").then().statusCode(200).extract().asString();
        assertThat(html).contains("downtime-banner", "down 11:00 – now (still down) (Europe/Berlin)")
                .contains("<h2>Unknown: <span data-silence>presence agent net-1 has been silent since 11:00</span></h2>")
                .contains("<strong data-count=\"unknown\">3</strong> unknown")
                .contains("<div class=\"people-tables\" data-known hidden>")
                .contains("<section class=\"unknown-now\" data-unknown>");
        assertThat(PresenceResourceTest.row(html, label(site, "E1"))).contains("<td>present since 09:00</td>")
                .contains("<td class=\"num\">2:00</td>");
        assertThat(PresenceResourceTest.row(html, label(site, "E2"))).contains("<td>left 10:00</td>");
        assertThat(PresenceResourceTest.row(html, label(site, "E3"))).contains("<td>never seen</td>");
        // the (hidden) present and absent tables list nobody
        assertThat(html.substring(html.indexOf("<div class=\"people-tables\" data-known hidden>"), html.indexOf("data-live"))).doesNotContain("data-key");
        assertThat(given().queryParam("site", site).when().get("/agents").then().statusCode(200).extract().asString())
                .contains("health-offline\">OFFLINE", "2 h 0 min ago");
    }

    /**
     * A workstation agent silent for hours and a network agent that is only DEGRADED: presence now is known (present
     * and not here as usual); only an OFFLINE presence agent makes it unknown.
     */
    @Test
    void aSilentWorkstationAgentOrADegradedNetworkAgentLeavesPresenceNowKnown() throws Exception {
        String site = ReadModelRows.uniqueSite("wsdown");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Builder");
        PresenceRows.attended(site, "E1", LocalDate.of(2026, 3, 10), NOW, Session.open("2026-03-10T08:00:00Z"));
        status(site, "ws-1", NOW.minusSeconds(3 * 3600), null, 0);
        status(site, "net-1", NOW.minusSeconds(700), 900L, 0);

        JsonPath now = JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
        assertThat(now.getString("unknownSince")).isNull();
        assertThat(now.getList("unknown")).isEmpty();
        assertThat(now.getList("present.employee.label")).containsExactly(label(site, "E1"));
        assertThat(now.getInt("present[0].todaySeconds")).isEqualTo(4 * 3600);
        assertThat(now.getList("absent.employee.label")).containsExactly(label(site, "E2"));
        // presence pages show only presence agents' downtimes: the silent workstation's is not there
        assertThat(now.getList("coverage.downtimes")).isEmpty();
        assertThat(now.getList("coverage.incompleteDates")).isEmpty();
        assertThat(given().queryParam("site", site).when().get("/presence").then().statusCode(200).extract().asString())
                .contains("<section class=\"unknown-now\" data-unknown hidden>", "<div class=\"people-tables\" data-known>")
                .doesNotContain("downtime-banner", "ws-1");

        // a second later the network agent is OFFLINE: everyone unknown from its last heartbeat
        QuarkusMock.installMockForType(Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC), Clock.class);
        JsonPath later = JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
        assertThat(later.getString("unknownSince")).isEqualTo(NOW.minusSeconds(700).toString());
        assertThat(later.getList("present")).isEmpty();
        assertThat(later.getList("unknown.employee.label")).containsExactlyInAnyOrder(label(site, "E1"), label(site, "E2"));
    }

    @Test
    void aSignedOffWorkstationIsStoppedNotDownANetworkAgentStoppedIsStillDownAndPresencePagesShowOnlyPresenceAgents()
            throws Exception {
        String site = ReadModelRows.uniqueSite("stops");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        status(site, "ws-off", NOW.minusSeconds(10 * 3600), null, 0, true);      // logged off last night
        status(site, "ws-crashed", NOW.minusSeconds(2 * 3600), null, 4, false);  // silent without a stop
        status(site, "net-stop", NOW.minusSeconds(3600), 900L, 0, true);         // its host stopped it at 12:00
        status(site, "net-ok", NOW.minusSeconds(30), 900L, 0, true);             // stopped half a minute ago: still healthy
        TestSessions.signInAs(null);
        var hr = TestSessions.as(Role.HR);

        JsonPath json = JsonPath.from(given().spec(hr).queryParam("site", site).when().get("/api/agents")
                .then().statusCode(200).extract().asString());
        assertThat(json.getList("agents.agentId")).containsExactly("net-stop", "ws-crashed", "ws-off", "net-ok");
        assertThat(json.getList("agents.health")).containsExactly("OFFLINE", "OFFLINE", "STOPPED", "HEALTHY");
        assertThat(json.getList("agents.stoppedAt")).containsExactly(NOW.minusSeconds(3600).toString(), null,
                NOW.minusSeconds(10 * 3600).toString(), NOW.minusSeconds(30).toString());
        // the signed-off workstation has no open downtime; the crashed one and the stopped network agent do
        assertThat(json.getList("downtimes.agentId")).containsExactly("net-stop", "ws-crashed");
        assertThat(json.getList("downtimes.cause")).containsExactly("stopped", "silent");

        String html = given().spec(hr).queryParam("site", site).when().get("/agents").then().statusCode(200).extract().asString();
        assertThat(html).contains("health-stopped\"", ">STOPPED<", "signed off", "stopped by its host at 12:00",
                "<strong>1</strong> signed off", "<strong>2</strong> offline");
        assertThat(given().spec(hr).queryParam("site", site).when().get("/agents.csv").then().statusCode(200).extract().asString())
                .contains("\r\nws-off,STOPPED,");

        // presence pages: only the network agent's downtime; workstation pages: the crashed workstation's too
        JsonPath now = JsonPath.from(given().spec(hr).queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
        assertThat(now.getList("coverage.downtimes.agentId")).containsExactly("net-stop");
        assertThat(now.getList("coverage.downtimes.cause")).containsExactly("stopped");
        assertThat(given().spec(hr).queryParam("site", site).when().get("/presence").then().statusCode(200).extract().asString())
                .contains("downtime-banner", "net-stop", "stopped by its host").doesNotContain("ws-crashed", "ws-off");
        assertThat(JsonPath.from(given().spec(hr).queryParam("site", site).queryParam("date", "2026-03-10").when()
                .get("/api/workstation/day").then().statusCode(200).extract().asString())
                .getList("coverage.downtimes.agentId")).containsExactly("ws-crashed", "net-stop");
    }

    private String label(String site, String employeeId) {
        return "Employee " + pseudonyms.of(site, employeeId);
    }

    /** With {@code -Dscreenshots=DIR} and Chromium: the agents page and a banner, at 390 and 1280 px. */
    @Test
    void screenshots() throws Exception {
        String dir = System.getProperty("screenshots");
        java.nio.file.Path chromium = Chromium.BINARY;
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null && java.nio.file.Files.isExecutable(chromium),
                "screenshots only with -Dscreenshots=DIR and Chromium");
        String site = ReadModelRows.uniqueSite("shots");
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Builder");
        PresenceRows.attended(site, "E1", MONDAY, NOW, Session.of("2026-03-09T07:00:00Z", "2026-03-09T15:00:00Z"));
        PresenceRows.attended(site, "E2", MONDAY.plusDays(1), NOW, Session.of("2026-03-10T07:00:00Z", "2026-03-10T09:00:00Z"));
        status(site, "office-scanner-berlin-1", NOW.minusSeconds(60), 8800L, 0);
        status(site, "office-scanner-berlin-2", NOW.minusSeconds(420), 9100L, 12);
        status(site, "reception-pc", NOW.minusSeconds(3 * 3600), null, 340);
        status(site, "anna-laptop", NOW.minusSeconds(14 * 3600), null, 0, true);
        status(site, "office-scanner-berlin-3", NOW.minusSeconds(2 * 3600), 9000L, 0, true);
        gap(site, "office-scanner-berlin-1", "2026-03-09T10:00:00Z", "2026-03-09T11:30:00Z");
        reported(site, "office-scanner-berlin-1", "2026-03-02T06:00:00Z", "2026-03-02T06:40:00Z");
        java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
        String base = "http://localhost:" + io.restassured.RestAssured.port;
        for (int width : new int[] {390, 1280}) {
            try (Chromium browser = Chromium.start(width, 1100)) {
                browser.cookie(base, Sessions.COOKIE, TestSessions.token("browser", Role.VIEWER));
                for (String page : List.of("agents", "presence/day?date=2026-03-09", "presence/month", "week?date=2026-03-09")) {
                    browser.open(base + "/" + page + (page.contains("?") ? "&" : "?") + "site=" + site);
                    browser.screenshot(java.nio.file.Path.of(dir, page.replaceAll("[^a-z0-9]+", "-") + "-" + width + ".png").toAbsolutePath());
                }
            }
        }
    }

    static void status(String site, String agent, Instant last, Long lastScanMillis, int outbox) throws Exception {
        status(site, agent, last, lastScanMillis, outbox, false);
    }

    static void status(String site, String agent, Instant last, Long lastScanMillis, int outbox, boolean stopping) throws Exception {
        PresenceRows.update("INSERT INTO agent_status (site, agent_id, last_heartbeat_at, first_heartbeat_at, last_event_id, version, host, os, "
                        + "uptime_seconds, outbox_depth, last_scan_millis, devices_online, stopping) "
                        + "VALUES (?, ?, ?, ?, ?, '1.2.3', ?, 'Linux', 60, ?, ?, 2, ?)",
                site, agent, last, last.minusSeconds(86_400), UUID.randomUUID(), "host-" + agent, outbox, lastScanMillis, stopping);
    }

    static void gap(String site, String agent, String start, String end) throws Exception {
        PresenceRows.update("INSERT INTO agent_gap_g1 (site, agent_id, start_at, end_at) VALUES (?, ?, ?, ?)",
                site, agent, Instant.parse(start), Instant.parse(end));
    }

    static void reported(String site, String agent, String start, String end) throws Exception {
        PresenceRows.update("INSERT INTO agent_reported_downtime_g1 (event_id, site, agent_id, start_at, end_at) VALUES (?, ?, ?, ?, ?)",
                UUID.randomUUID(), site, agent, Instant.parse(start), Instant.parse(end));
    }
}
