package dev.rollcall.report;

import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.testsupport.Postgres;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code EmployeeUpdated.active}: from the time an employee was made inactive they are listed neither as present
 * nor as absent (their phone may still be on the Wi-Fi); what they attended before stays in the reports.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class InactiveEmployeesTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final LocalDate MONDAY = LocalDate.of(2026, 3, 9);

    @Inject
    Pseudonyms pseudonyms;

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        TestSessions.signInAs(Role.VIEWER);
    }

    @Test
    void anInactiveEmployeeIsNeitherPresentNorAbsentFromTheirDeactivationOnAndTheirEarlierDaysStay() throws Exception {
        String site = ReadModelRows.uniqueSite("inactive");
        PresenceRows.site(site, "Office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E2", "Bob Leaver");
        // Bob left the company on Monday at 18:00; his phone is still seen on Tuesday; on Tuesday at 11:00 an admin
        // corrected his name (a later edit of an inactive employee: his presence from 08:05 must stay hidden)
        try (Connection c = Postgres.endpoint().connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE roster_employee SET active = false, inactive_since = ?, updated_at = ? WHERE site = ? AND employee_id = 'E2'")) {
            ps.setObject(1, Timestamp.from(Instant.parse("2026-03-09T18:00:00Z")));
            ps.setObject(2, Timestamp.from(Instant.parse("2026-03-10T11:00:00Z")));
            ps.setString(3, site);
            ps.executeUpdate();
        }
        PresenceRows.attended(site, "E1", MONDAY, NOW, Session.of("2026-03-09T08:00:00Z", "2026-03-09T16:00:00Z"));
        PresenceRows.attended(site, "E2", MONDAY, NOW, Session.of("2026-03-09T08:30:00Z", "2026-03-09T17:00:00Z"));
        PresenceRows.attended(site, "E1", MONDAY.plusDays(1), NOW, Session.open("2026-03-10T08:00:00Z"));
        PresenceRows.attended(site, "E2", MONDAY.plusDays(1), NOW, Session.open("2026-03-10T08:05:00Z"));
        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
        String ada = "Employee " + pseudonyms.of(site, "E1");
        String bob = "Employee " + pseudonyms.of(site, "E2");

        JsonPath monday = json("/api/presence/day", site, "2026-03-09");
        assertThat(monday.getList("employees.employee.label")).containsExactlyInAnyOrder(ada, bob);
        JsonPath tuesday = json("/api/presence/day", site, "2026-03-10");
        assertThat(tuesday.getList("employees.employee.label")).containsExactly(ada);
        assertThat(tuesday.getList("notSeen.label")).doesNotContain(bob);
        JsonPath now = json("/api/presence/now", site, null);
        assertThat(now.getList("present.employee.label")).containsExactly(ada);
        assertThat(now.getList("absent.employee.label")).doesNotContain(bob);
        JsonPath month = json("/api/presence/month", site, "2026-03-10");
        assertThat(month.getInt("employees.find { it.employee.label == '" + bob + "' }.daysPresent")).isEqualTo(1);
        assertThat(month.getInt("employees.find { it.employee.label == '" + ada + "' }.daysPresent")).isEqualTo(2);
        // today's arrivals without him; Monday's, before he left, with him
        JsonPath arrivals = json("/api/presence/arrivals", site, null);
        assertThat(arrivals.getList("todays.employee.label")).containsExactly(ada);
        assertThat(arrivals.getList("earlier.employee.label")).contains(bob);
    }

    private static JsonPath json(String path, String site, String date) {
        var request = given().queryParam("site", site);
        if (date != null) {
            request = request.queryParam("date", date);
        }
        return JsonPath.from(request.when().get(path).then().statusCode(200).extract().asString());
    }
}
