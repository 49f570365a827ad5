package dev.rollcall.report;

import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.report.ReadModelRows.Interval;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The employee page's workstation section: this month's working time and real work hours per day of the user names
 * the roster gives the employee, beside their presence; the user names pseudonymised unless revealed.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class EmployeeWorkstationTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final LocalDate MONDAY = LocalDate.of(2026, 3, 9);
    static final LocalDate TUESDAY = LocalDate.of(2026, 3, 10);

    @Inject
    Pseudonyms pseudonyms;

    @Test
    void theEmployeePageShowsTheirUserNamesWorkingTimeBesidePresence() throws Exception {
        String site = ReadModelRows.uniqueSite("emp-ws");
        PresenceRows.site(site, "Workstation office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Builder");
        PresenceRows.attended(site, "E1", TUESDAY, NOW, Session.of("2026-03-10T08:00:00Z", "2026-03-10T11:00:00Z"));
        PresenceRows.workstationUser(site, "ACME\\ada.l", "E1");
        PresenceRows.workstationUser(site, "ada", "E1");
        PresenceRows.workstationUser(site, "ACME\\bob.b", "E2");
        ReadModelRows.workedDay(site, TUESDAY, "ACME\\ada.l", 10, "stopped",
                List.of(Interval.stopped("2026-03-10T08:00:00Z", "2026-03-10T09:30:00Z")));
        ReadModelRows.workedDay(site, MONDAY, "ada", 5, "stopped",
                List.of(Interval.stopped("2026-03-09T10:00:00Z", "2026-03-09T10:45:00Z")));
        ReadModelRows.workedDay(site, TUESDAY, "ACME\\bob.b", 5, "stopped",
                List.of(Interval.stopped("2026-03-10T07:00:00Z", "2026-03-10T11:00:00Z")));
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
        String path = "/employees/" + pseudonyms.of(site, "E1");
        String ada = "User " + pseudonyms.of(site, "workstation-user\0ACME\\ada.l");
        String adaShort = "User " + pseudonyms.of(site, "workstation-user\0ada");

        String html = given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when().get(path)
                .then().statusCode(200).extract().asString();
        String section = html.substring(html.indexOf("<section id=\"workstation\">"));
        section = section.substring(0, section.indexOf("</section>"));
        assertThat(section).contains("Workstation, March 2026").contains(ada).contains(adaShort)
                .doesNotContain("ada.l").doesNotContain("ACME").doesNotContain("bob")
                .doesNotContain("User " + pseudonyms.of(site, "workstation-user\0ACME\\bob.b"));
        // Tuesday: 1:30 working, 2 real work hours (40-minute blocks), 3:00 present; Monday: not seen
        assertThat(section).containsPattern("Tue 10</a></th><td>" + ada + "</td><td class=\"num heat-cell heat-1\" title=\"[^\"]*\">1:30</td><td class=\"num\">2</td><td class=\"num\">3:00</td>")
                .containsPattern("Mon 9</a></th><td>" + adaShort + "</td><td class=\"num heat-cell heat-1\" title=\"[^\"]*\">0:45</td><td class=\"num\">1</td><td class=\"num\">–</td>")
                .contains("<td class=\"num\">2:15</td><td class=\"num\">3</td>");
        assertThat(section.indexOf("Mon 9")).isLessThan(section.indexOf("Tue 10"));

        String revealed = given().spec(TestSessions.as(Role.HR)).queryParam("site", site).queryParam("names", "real")
                .when().get(path).then().statusCode(200).extract().asString();
        assertThat(revealed).contains("<td>ACME\\ada.l</td>").contains("<td>ada</td>").doesNotContain(ada).doesNotContain("bob.b");
    }

    @Test
    void anEmployeeWithoutUserNamesSaysWhereToAddThem() throws Exception {
        String site = ReadModelRows.uniqueSite("emp-ws");
        PresenceRows.site(site, "Workstation office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
        given().spec(TestSessions.as(Role.VIEWER)).queryParam("site", site).when().get("/employees/" + pseudonyms.of(site, "E1"))
                .then().statusCode(200).body(org.hamcrest.Matchers.containsString("No workstation user names in the roster"));
    }
}
