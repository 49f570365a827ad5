package dev.rollcall.projection;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static dev.rollcall.projection.ReadModelRows.count;
import static dev.rollcall.projection.ReadModelRows.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;

/**
 * Presence through Kafka: device changes and heartbeats (some late, some repeated), then the roster, arriving
 * after them, end in the attendance HR sees; a rebuild of presence-day gives the same rows.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class PresenceDayProjectionTest {

    static final String TOKEN = "Bearer test-admin-token";
    static final String PATH = "/admin/projections/presence-day";
    static final String ADA_24 = "3c:22:fb:00:00:24";
    static final String ADA_5 = "3c:22:fb:00:00:05";
    static final String BOB = "3c:22:fb:00:00:b0";
    static final String CAROL = "3e:22:fb:00:00:c0";
    static final String SHARED = "3c:22:fb:00:00:5a";

    @Test
    void devicesThenTheRosterEndInTheAttendanceAndARebuildGivesTheSameRows() throws Exception {
        String site = "office-" + UUID.randomUUID().toString().substring(0, 8);
        // Monday 23 November 2026, Berlin is UTC+1
        EventEnvelope adaOnline = change(site, ADA_24, DeviceState.ONLINE, "2026-11-23T08:00:00Z");
        EventEnvelope adaFlaps = change(site, ADA_24, DeviceState.OFFLINE, "2026-11-23T12:00:00Z");
        List<EventEnvelope> devices = List.of(
                adaOnline,
                change(site, ADA_5, DeviceState.ONLINE, "2026-11-23T08:02:00Z"),
                change(site, SHARED, DeviceState.ONLINE, "2026-11-23T10:00:00Z"),
                change(site, ADA_5, DeviceState.OFFLINE, "2026-11-23T11:00:00Z"),
                change(site, ADA_24, DeviceState.ONLINE, "2026-11-23T12:03:00Z"),
                change(site, SHARED, DeviceState.OFFLINE, "2026-11-23T14:00:00Z"),
                change(site, ADA_24, DeviceState.OFFLINE, "2026-11-23T16:30:00Z"),
                adaOnline, // re-sent
                adaFlaps,  // late: the agent was cut off for a while
                // Bob works late: 23:30 to 02:00 in Berlin
                change(site, BOB, DeviceState.ONLINE, "2026-11-23T22:30:00Z"),
                change(site, BOB, DeviceState.OFFLINE, "2026-11-24T01:00:00Z"),
                // Tuesday: Bob's offline change is lost, Carol's online change is lost; the heartbeats correct both
                change(site, BOB, DeviceState.ONLINE, "2026-11-24T07:00:00Z"),
                heartbeat(site, "2026-11-24T08:55:00Z", BOB, CAROL),
                heartbeat(site, "2026-11-24T09:00:00Z", CAROL),
                // a workstation agent's heartbeat lists no devices and reports no scans: it tells presence nothing
                workstationHeartbeat(site, "2026-11-24T09:02:00Z"),
                change(site, CAROL, DeviceState.OFFLINE, "2026-11-24T10:00:00Z"));
        TopicWriter.send(devices);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM device_online_interval WHERE site = ?", site) == 7);
        assertThat(rows("SELECT mac, start_at, end_at, ended_by FROM device_online_interval WHERE site = ? ORDER BY start_at, mac", site))
                .containsExactly(
                        ADA_24 + "|2026-11-23T08:00:00Z|2026-11-23T12:00:00Z|offline",
                        ADA_5 + "|2026-11-23T08:02:00Z|2026-11-23T11:00:00Z|offline",
                        SHARED + "|2026-11-23T10:00:00Z|2026-11-23T14:00:00Z|offline",
                        ADA_24 + "|2026-11-23T12:03:00Z|2026-11-23T16:30:00Z|offline",
                        BOB + "|2026-11-23T22:30:00Z|2026-11-24T01:00:00Z|offline",
                        BOB + "|2026-11-24T07:00:00Z|2026-11-24T09:00:00Z|heartbeat",
                        CAROL + "|2026-11-24T08:55:00Z|2026-11-24T10:00:00Z|offline");
        assertThat(count("SELECT count(*) FROM attendance_day WHERE site = ?", site)).as("nobody owns a device yet").isZero();

        // the roster comes after the devices' events; the shared device changes hands at noon
        Instant nov1 = Instant.parse("2026-11-01T00:00:00Z");
        TopicWriter.send(
                roster(site, nov1, new SiteConfigured("Berlin office", ZoneId.of("Europe/Berlin"), 5)),
                roster(site, nov1, new EmployeeUpdated("ada", "Ada", true)),
                roster(site, nov1, new EmployeeUpdated("bob", "Bob", true)),
                roster(site, nov1, new EmployeeUpdated("carol", "Carol", true)),
                roster(site, nov1, new DeviceAssigned(ADA_24, "ada", "phone 2.4 GHz")),
                roster(site, nov1, new DeviceAssigned(ADA_5, "ada", "phone 5 GHz")),
                roster(site, nov1, new DeviceAssigned(BOB, "bob", null)),
                roster(site, nov1, new DeviceAssigned(CAROL, "carol", null)),
                roster(site, nov1, new DeviceAssigned(SHARED, "bob", "shared laptop")),
                roster(site, Instant.parse("2026-11-23T12:00:00Z"), new DeviceAssigned(SHARED, "carol", "shared laptop")));

        List<String> expectedDays = List.of(
                "ada|2026-11-23|2026-11-23T08:00:00Z|2026-11-23T16:30:00Z|510|1",
                "bob|2026-11-23|2026-11-23T10:00:00Z|2026-11-24T01:00:00Z|270|2",
                "bob|2026-11-24|2026-11-24T07:00:00Z|2026-11-24T09:00:00Z|120|1",
                "carol|2026-11-23|2026-11-23T12:00:00Z|2026-11-23T14:00:00Z|120|1",
                "carol|2026-11-24|2026-11-24T08:55:00Z|2026-11-24T10:00:00Z|65|1");
        await().atMost(Duration.ofSeconds(30)).until(() -> days(site).equals(expectedDays));
        assertThat(rows("SELECT employee_id, local_date, start_at, end_at FROM attendance_session WHERE site = ? "
                + "ORDER BY employee_id, start_at", site)).containsExactly(
                "ada|2026-11-23|2026-11-23T08:00:00Z|2026-11-23T16:30:00Z",
                "bob|2026-11-23|2026-11-23T10:00:00Z|2026-11-23T12:00:00Z",
                "bob|2026-11-23|2026-11-23T22:30:00Z|2026-11-24T01:00:00Z",
                "bob|2026-11-24|2026-11-24T07:00:00Z|2026-11-24T09:00:00Z",
                "carol|2026-11-23|2026-11-23T12:00:00Z|2026-11-23T14:00:00Z",
                "carol|2026-11-24|2026-11-24T08:55:00Z|2026-11-24T10:00:00Z");
        assertThat(count("SELECT count(*) FROM device_event WHERE site = ?", site)).as("each change once").isEqualTo(12);
        assertThat(rows("SELECT agent_id, occurred_at FROM agent_heartbeat WHERE site = ? ORDER BY occurred_at", site))
                .as("the network agent's heartbeats; the workstation agent's is the agents projection's alone")
                .containsExactly("net-1|2026-11-24T08:55:00Z", "net-1|2026-11-24T09:00:00Z");

        // Carol is still in: her phone comes back, nothing ends it yet
        TopicWriter.send(change(site, CAROL, DeviceState.ONLINE, "2026-11-24T13:00:00Z"));
        await().atMost(Duration.ofSeconds(30)).until(() -> days(site).contains(
                "carol|2026-11-24|2026-11-24T08:55:00Z|null|65|2"));

        // a rebuild of presence-day folds all three topics again, in whatever interleaving, to the same rows
        int old = status().getInt("live.generation");
        int next = given().header("Authorization", TOKEN).when().post(PATH + "/rebuild").then().statusCode(202)
                .extract().jsonPath().getInt("generation");
        await().atMost(Duration.ofSeconds(60)).until(() -> status().getInt("live.generation") == next);
        assertThat(status().getList("topics", String.class)).containsExactly("rollcall.presence", "rollcall.agents", "rollcall.roster");
        for (String table : List.of("device_event", "agent_heartbeat", "device_online_interval", "attendance_session",
                "attendance_day", "presence_roster_device_assignment", "presence_roster_site")) {
            String a = "SELECT * FROM " + table + "_g" + old + " WHERE site = '" + site + "'";
            String b = "SELECT * FROM " + table + "_g" + next + " WHERE site = '" + site + "'";
            assertThat(count("SELECT count(*) FROM (" + a + " EXCEPT " + b + ") d")).as(table + " old minus new").isZero();
            assertThat(count("SELECT count(*) FROM (" + b + " EXCEPT " + a + ") d")).as(table + " new minus old").isZero();
            assertThat(count("SELECT count(*) FROM (" + a + ") d")).as(table).isPositive();
        }
        assertThat(days(site)).contains("carol|2026-11-24|2026-11-24T08:55:00Z|null|65|2");
    }

    @Test
    void everyProjectionHasItsStatusAndItsRebuild() {
        given().header("Authorization", TOKEN).when().get("/admin/projections").then().statusCode(200)
                .body("projection", hasItems("workstation-day", "roster", "presence-day"));
        given().header("Authorization", TOKEN).when().get("/admin/projections/roster").then().statusCode(200)
                .body("topics[0]", containsString("rollcall.roster"));
        given().header("Authorization", TOKEN).when().post("/admin/projections/nothing-like-it/rebuild").then().statusCode(404)
                .body("detail", containsString("presence-day"));
    }

    static List<String> days(String site) throws Exception {
        return rows("SELECT employee_id, local_date, arrived_at, left_at, minutes_present, sessions FROM attendance_day "
                + "WHERE site = ? ORDER BY employee_id, local_date", site);
    }

    static JsonPath status() {
        return given().header("Authorization", TOKEN).when().get(PATH).then().statusCode(200).extract().jsonPath();
    }

    static EventEnvelope change(String site, String mac, DeviceState state, String at) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/net-1", Instant.parse(at), site, mac,
                new DeviceStateChanged(mac, state == DeviceState.ONLINE ? "192.168.1.20" : null, state));
    }

    static EventEnvelope heartbeat(String site, String at, String... online) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/net-1", Instant.parse(at), site, "net-1",
                new AgentHeartbeat("net-1", "1.0.0", "scanner", "linux", 3600, 0, 900L, List.of(online)));
    }

    static EventEnvelope workstationHeartbeat(String site, String at) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/pc-1", Instant.parse(at), site, "pc-1",
                new AgentHeartbeat("pc-1", "1.0.0", "pc-1", "windows", 600, 0, null, List.of()));
    }

    static EventEnvelope roster(String site, Instant at, RollcallEvent data) {
        return EventEnvelope.of(UUID.randomUUID(), "report/roster", at, site, null, data);
    }
}
