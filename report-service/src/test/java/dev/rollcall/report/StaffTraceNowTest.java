package dev.rollcall.report;

import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A StaffTrace site's "now": the employees its agent's fresh heartbeat lists present are present (mapped through the
 * roster's StaffTrace ids, an unmapped id being the employee's own), since the first heartbeat of the run listing
 * them; once its latest heartbeat is older than the offline threshold, nobody is present by it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class StaffTraceNowTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @Inject
    Pseudonyms pseudonyms;

    @BeforeEach
    void signIn() {
        TestSessions.signInAs(Role.VIEWER);
    }

    @Test
    void theEmployeesAFreshStaffTraceHeartbeatListsArePresentSinceTheirRunBegan() throws Exception {
        String site = ReadModelRows.uniqueSite("stnow");
        PresenceRows.site(site, "StaffTrace office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace", true);
        PresenceRows.employee(site, "E2", "Bob Builder", true);
        PresenceRows.employee(site, "E3", "Cy Gone", false);
        PresenceRows.employee(site, "E4", "Dan Away", true);
        PresenceRows.staffTraceId(site, "17", "E1");
        // Ada (StaffTrace's 17) was present at 11:40, not at 11:45, again from 11:50; Bob (unmapped: his own id) from 11:45
        PresenceRows.staffTraceHeartbeat(site, Instant.parse("2026-03-10T11:40:00Z"), "17");
        PresenceRows.staffTraceHeartbeat(site, Instant.parse("2026-03-10T11:45:00Z"), "E2");
        PresenceRows.staffTraceHeartbeat(site, Instant.parse("2026-03-10T11:50:00Z"), "17", "E2");
        PresenceRows.staffTraceHeartbeat(site, Instant.parse("2026-03-10T11:55:00Z"), "E2", "17", "E3");
        String ada = "Employee " + pseudonyms.of(site, "E1");
        String bob = "Employee " + pseudonyms.of(site, "E2");
        String cy = "Employee " + pseudonyms.of(site, "E3");
        String dan = "Employee " + pseudonyms.of(site, "E4");

        QuarkusMock.installMockForType(Clock.fixed(NOW, ZoneOffset.UTC), Clock.class);
        JsonPath now = now(site);
        assertThat(now.getList("present.employee.label")).containsExactlyInAnyOrder(ada, bob);
        assertThat(now.getString("present.find { it.employee.label == '" + ada + "' }.since")).isEqualTo("2026-03-10T11:50:00Z");
        assertThat(now.getString("present.find { it.employee.label == '" + bob + "' }.since")).isEqualTo("2026-03-10T11:45:00Z");
        assertThat(now.getString("present.find { it.employee.label == '" + bob + "' }.arrivedToday")).isEqualTo("2026-03-10T11:45:00Z");
        assertThat(now.getLong("present.find { it.employee.label == '" + bob + "' }.todaySeconds")).isEqualTo(15 * 60);
        // the inactive one is listed neither way; the one not in the heartbeat is absent
        assertThat(now.getList("absent.employee.label")).containsExactly(dan).doesNotContain(cy);
        String page = given().queryParam("site", site).when().get("/presence").then().statusCode(200).extract().asString();
        assertThat(page).contains(ada, bob).doesNotContain("Ada Lovelace");

        // 12:07: the latest heartbeat (11:55) is older than the offline threshold (700 s): nobody is present by it
        QuarkusMock.installMockForType(Clock.fixed(Instant.parse("2026-03-10T12:07:00Z"), ZoneOffset.UTC), Clock.class);
        JsonPath stale = now(site);
        assertThat(stale.getList("present")).isEmpty();
        assertThat(stale.getList("absent.employee.label")).containsExactlyInAnyOrder(ada, bob, dan);
    }

    private static JsonPath now(String site) {
        return JsonPath.from(given().queryParam("site", site).when().get("/api/presence/now").then().statusCode(200).extract().asString());
    }
}
