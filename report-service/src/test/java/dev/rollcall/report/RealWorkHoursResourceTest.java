package dev.rollcall.report;

import dev.rollcall.report.ReadModelRows.Interval;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.rollcall.report.ReadModelRows.workedDay;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** work-tracing's {@code GET /api/reports/real_work_hours}, over real read-model tables. */
@QuarkusTest
@QuarkusTestResource(dev.rollcall.testsupport.KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class RealWorkHoursResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        TestSessions.signInAs(Role.HR);
    }

    private static final String API = "/api/reports/real_work_hours";

    @Test
    void everyUserDayOfTheRangeWithItsRealWorkHoursAndWorkingMinutes() throws Exception {
        String site = ReadModelRows.uniqueSite("rwh");
        LocalDate tenth = LocalDate.of(2026, 3, 10);
        workedDay(site, tenth, "bob", 12, "stopped", List.of(
                Interval.stopped("2026-03-10T08:00:00Z", "2026-03-10T09:25:00Z"),      // 85 min: 2 blocks
                Interval.timedOut("2026-03-10T10:00:00Z", "2026-03-10T10:50:30Z")));   // 50.5 min: 1 block
        workedDay(site, tenth, "alice", 2, "stopped", List.of());                       // reported, never worked
        workedDay(site, tenth.plusDays(1), "alice", 3, "stopped", List.of(
                Interval.stopped("2026-03-11T07:30:00Z", "2026-03-11T08:30:00Z")));
        workedDay(ReadModelRows.uniqueSite("other"), tenth, "bob", 1, "stopped", List.of(
                Interval.stopped("2026-03-10T08:00:00Z", "2026-03-10T18:00:00Z")));

        given().queryParam("site", site).queryParam("start_date", "2026-03-10").queryParam("end_date", "2026-03-11")
                .when().get(API)
                .then().statusCode(200)
                .contentType(containsString("application/json"))
                .body("success", equalTo(true))
                .body("data", hasSize(3))
                .body("data.work_date", contains("2026-03-10", "2026-03-10", "2026-03-11"))
                .body("data.username", contains("alice", "bob", "alice"))
                .body("data[0].keySet()", containsInAnyOrder("username", "work_date", "real_hours_counted",
                        "working_minutes", "first_activity", "last_activity", "site"))
                .body("data[0].real_hours_counted", equalTo(0))
                .body("data[0].working_minutes", equalTo(0))
                .body("data[0].first_activity", nullValue())
                .body("data[0].last_activity", nullValue())
                .body("data[1].real_hours_counted", equalTo(3))
                .body("data[1].working_minutes", equalTo(135))
                .body("data[1].first_activity", equalTo("2026-03-10T08:00:00Z"))
                .body("data[1].last_activity", equalTo("2026-03-10T10:50:30Z"))
                .body("data[1].site", equalTo(site))
                .body("data[2].real_hours_counted", equalTo(1))
                .body("data[2].working_minutes", equalTo(60));
    }

    @Test
    void usernameIsAnExactFilterAndEndDateDefaultsToStartDate() throws Exception {
        String site = ReadModelRows.uniqueSite("rwh");
        workedDay(site, LocalDate.of(2026, 3, 10), "ACME\\Dana", 4, "stopped",
                List.of(Interval.stopped("2026-03-10T08:00:00Z", "2026-03-10T08:45:00Z")));
        workedDay(site, LocalDate.of(2026, 3, 11), "ACME\\Dana", 4, "stopped",
                List.of(Interval.stopped("2026-03-11T08:00:00Z", "2026-03-11T09:45:00Z")));
        workedDay(site, LocalDate.of(2026, 3, 11), "ACME\\Eve", 4, "stopped",
                List.of(Interval.stopped("2026-03-11T08:00:00Z", "2026-03-11T09:45:00Z")));

        given().queryParam("site", site).queryParam("username", "ACME\\Dana").queryParam("start_date", "2026-03-11")
                .when().get(API)
                .then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].username", equalTo("ACME\\Dana"))
                .body("data[0].work_date", equalTo("2026-03-11"))
                .body("data[0].working_minutes", equalTo(105))
                .body("data[0].real_hours_counted", equalTo(2));
        given().queryParam("site", site).queryParam("username", "acme\\dana").queryParam("start_date", "2026-03-10")
                .queryParam("end_date", "2026-03-11")
                .when().get(API)
                .then().statusCode(200).body("success", equalTo(true)).body("data", hasSize(0));
    }

    @Test
    void aRunningIntervalCountsUpToNowNotToItsProvisionalEnd() throws Exception {
        String site = ReadModelRows.uniqueSite("rwh");
        // last report 10:35, so the stored end is 10:45; it is 10:38 now
        workedDay(site, LocalDate.of(2026, 3, 10), "frank", 40, "working", List.of(
                Interval.stopped("2026-03-10T07:00:00Z", "2026-03-10T08:20:00Z"),     // 80 min, 2 blocks
                Interval.timedOut("2026-03-10T09:00:00Z", "2026-03-10T10:45:00Z")));  // stored 105 min, 2 blocks
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse("2026-03-10T10:38:00Z"), ZoneOffset.UTC), Clock.class);

        given().queryParam("site", site).when().get(API) // no dates: today, 2026-03-10
                .then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].work_date", equalTo("2026-03-10"))
                .body("data[0].working_minutes", equalTo(80 + 98))
                .body("data[0].real_hours_counted", equalTo(2 + 2))
                .body("data[0].first_activity", equalTo("2026-03-10T07:00:00Z"))
                .body("data[0].last_activity", equalTo("2026-03-10T10:38:00Z"));

        // twenty minutes earlier the running interval had only one block
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse("2026-03-10T10:18:00Z"), ZoneOffset.UTC), Clock.class);
        given().queryParam("site", site).when().get(API)
                .then().statusCode(200)
                .body("data[0].working_minutes", equalTo(80 + 78))
                .body("data[0].real_hours_counted", equalTo(2 + 1));
    }

    @Test
    void todayIsTheSitesLocalDate() throws Exception {
        // 22:30 UTC on 29 March is already 00:30 on the 30th in Berlin (report.zones.berlin in application.properties)
        String user = "zone-" + ReadModelRows.uniqueSite("u");
        workedDay("berlin", LocalDate.of(2026, 3, 29), user, 2, "stopped",
                List.of(Interval.stopped("2026-03-29T10:00:00Z", "2026-03-29T11:00:00Z")));
        workedDay("berlin", LocalDate.of(2026, 3, 30), user, 2, "stopped",
                List.of(Interval.stopped("2026-03-29T22:05:00Z", "2026-03-29T22:25:00Z")));
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse("2026-03-29T22:30:00Z"), ZoneOffset.UTC), Clock.class);

        given().queryParam("site", "berlin").queryParam("username", user).when().get(API)
                .then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].work_date", equalTo("2026-03-30"))
                .body("data[0].working_minutes", equalTo(20));
    }

    @Test
    void everyBadQueryIsAClear400ProblemThatWorkTracingClientsUnderstand() {
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("start_date", "10/03/2026"), "start_date must be YYYY-MM-DD",
                Map.of("start_date", "2026-03-10", "end_date", "2026-02-31"), "end_date must be YYYY-MM-DD",
                Map.of("start_date", "2026-03-10", "end_date", "2026-03-09"), "is before start_date",
                Map.of("start_date", "2025-01-01", "end_date", "2026-01-02"), "over a year",
                Map.of("end_date", "2026-03-10"), "end_date needs a start_date",
                Map.of("username", "  "), "username must not be blank",
                Map.of("username", "u".repeat(257)), "longer than 256 characters",
                Map.of("site", "../etc"), "site must be a site id",
                Map.of("start_date", "1999-12-31"), "out of range");
        cases.forEach((params, message) -> problem(given().queryParams(params).when().get(API).then(), message));
        // a whole leap year is still one request
        given().queryParam("start_date", "2024-01-01").queryParam("end_date", "2024-12-31").when().get(API)
                .then().statusCode(200).body("success", equalTo(true));
    }

    static void problem(ValidatableResponse response, String message) {
        response.statusCode(400)
                .contentType(containsString("application/problem+json"))
                .header("Cache-Control", equalTo("no-store"))
                .body("status", equalTo(400))
                .body("detail", containsString(message))
                .body("success", equalTo(false))
                .body("message", containsString(message));
    }
}
