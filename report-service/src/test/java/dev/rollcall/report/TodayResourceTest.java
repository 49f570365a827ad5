package dev.rollcall.report;

import dev.rollcall.testsupport.Postgres;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/** The page and its JSON over real read-model tables (created from projection-service's own schema file). */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql"))
class TodayResourceTest {

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
                .body(not(containsString("08:01:00</time>")));

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
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO workstation_event "
                    + "(event_id, site, username, state, occurred_at, local_date, source) VALUES (?, ?, ?, ?, ?, ?, 'test')")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, site);
                ps.setString(3, user);
                ps.setString(4, state);
                ps.setTimestamp(5, Timestamp.from(at));
                ps.setObject(6, day);
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
