package dev.rollcall.projection;

import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.rollcall.projection.ReadModelRows.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The agents projection against a real broker and a real Postgres: status, gaps, reported outages, late beats. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class AgentsProjectionTest {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void theLatestHeartbeatIsTheStatusAndAGapOver700SecondsIsADowntimeWhateverTheOrder() throws Exception {
        String site = "agents-" + UUID.randomUUID().toString().substring(0, 8);
        EventEnvelope b0 = beat(site, "net-1", T0, "1.0.0", 0);
        EventEnvelope b1 = beat(site, "net-1", T0.plusSeconds(300), "1.0.0", 3);
        EventEnvelope b2 = beat(site, "net-1", T0.plusSeconds(1000), "1.0.0", 0);  // 700 s: not yet a gap
        EventEnvelope b3 = beat(site, "net-1", T0.plusSeconds(1701), "1.0.1", 12); // 701 s: a gap
        EventEnvelope other = beat(site, "ws-7", T0.plusSeconds(60), "2.0.0", 0);
        EventEnvelope reported = EventEnvelope.of(UUID.randomUUID(), "ingest/stafftrace", T0.plusSeconds(1701), site, "net-1",
                new AgentDowntimeReported(T0.plusSeconds(5000), T0.plusSeconds(6000)));
        EventEnvelope enrolled = EventEnvelope.of(UUID.randomUUID(), "ingest/enrollment", T0.minusSeconds(600), site, "net-9",
                new dev.rollcall.events.AgentEnrolled("net-9", "pi-9"));
        EventEnvelope revoked = EventEnvelope.of(UUID.randomUUID(), "admin", T0.plusSeconds(60), site, "ws-7",
                new dev.rollcall.events.AgentRevoked("ws-7"));
        // newest first, re-sent ones in between
        TopicWriter.send(b3, b1, other, b3, b0, reported, b2, reported, enrolled, revoked, enrolled);

        await().atMost(Duration.ofSeconds(20)).until(() -> downtimes(site).size() == 2 && status(site).size() == 2
                && rows("SELECT agent_id FROM agent_enrollment WHERE site = ?", site).size() == 2);
        // enrolled, never beat yet; revoked
        assertThat(rows("SELECT agent_id, enrolled_at, host, revoked_at FROM agent_enrollment WHERE site = ? ORDER BY agent_id", site))
                .containsExactly("net-9|" + T0.minusSeconds(600) + "|pi-9|null", "ws-7|null|null|" + T0.plusSeconds(60));
        assertThat(status(site)).containsExactly(
                "net-1|" + T0.plusSeconds(1701) + "|" + T0 + "|1.0.1|host-net-1|Linux|12|2",
                "ws-7|" + T0.plusSeconds(60) + "|" + T0.plusSeconds(60) + "|2.0.0|host-ws-7|Linux|0|2");
        assertThat(downtimes(site)).containsExactly(
                "net-1|" + T0.plusSeconds(1000) + "|" + T0.plusSeconds(1701) + "|gap",
                "net-1|" + T0.plusSeconds(5000) + "|" + T0.plusSeconds(6000) + "|reported");

        // a heartbeat that comes late from inside the gap closes it; an older one does not change the status
        TopicWriter.send(beat(site, "net-1", T0.plusSeconds(1350), "1.0.0", 99));
        await().atMost(Duration.ofSeconds(20)).until(() -> downtimes(site).size() == 1);
        assertThat(downtimes(site)).containsExactly("net-1|" + T0.plusSeconds(5000) + "|" + T0.plusSeconds(6000) + "|reported");
        assertThat(status(site).getFirst()).startsWith("net-1|" + T0.plusSeconds(1701) + "|" + T0 + "|1.0.1|");

        // an agent that comes back after an hour: a gap from its last heartbeat to the new one
        TopicWriter.send(beat(site, "net-1", T0.plusSeconds(1701 + 3600), "1.0.1", 0));
        await().atMost(Duration.ofSeconds(20)).until(() -> downtimes(site).size() == 2);
        assertThat(downtimes(site)).containsExactly(
                "net-1|" + T0.plusSeconds(1701) + "|" + T0.plusSeconds(1701 + 3600) + "|gap",
                "net-1|" + T0.plusSeconds(5000) + "|" + T0.plusSeconds(6000) + "|reported");

        // make replay PROJECTION=agents: a new generation folds the topic again and ends in the same rows
        List<String> statusBefore = status(site);
        List<String> downtimesBefore = downtimes(site);
        String path = "/admin/projections/agents";
        int next = given().header("Authorization", "Bearer test-admin-token").when().post(path + "/rebuild").then().statusCode(202)
                .extract().jsonPath().getInt("generation");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().header("Authorization", "Bearer test-admin-token").when()
                .get(path).then().statusCode(200).extract().jsonPath().getInt("live.generation") == next);
        assertThat(status(site)).isEqualTo(statusBefore);
        assertThat(downtimes(site)).isEqualTo(downtimesBefore);
    }

    @Test
    void aWorkstationSwitchedOffAfterASignOffHasNoDowntimeANetworkAgentStoppedDoes() throws Exception {
        String site = "agents-" + UUID.randomUUID().toString().substring(0, 8);
        Instant night = T0.plus(Duration.ofHours(15));
        EventEnvelope wsMorning = workstationBeat(site, "ws-1", T0, false);
        EventEnvelope wsLogoff = workstationBeat(site, "ws-1", T0.plusSeconds(200), true);
        EventEnvelope wsNextDay = workstationBeat(site, "ws-1", night, false);
        EventEnvelope netStop = EventEnvelope.of(UUID.randomUUID(), "agent/net-1", T0.plusSeconds(200), site, "net-1",
                new AgentHeartbeat("net-1", "1.0.0", "host-net-1", "Linux", 60, 0, 1200L, List.of(), true));
        EventEnvelope netBack = beat(site, "net-1", night, "1.0.0", 0);
        // a crashed workstation (no stopping beat) is an outage like any agent's
        EventEnvelope ws2Morning = workstationBeat(site, "ws-2", T0, false);
        EventEnvelope ws2NextDay = workstationBeat(site, "ws-2", night, false);
        // the next day's beat comes first: the late sign-off must remove the gap it made
        TopicWriter.send(wsMorning, wsNextDay, netStop, netBack, ws2Morning, ws2NextDay);
        await().atMost(Duration.ofSeconds(20)).until(() -> downtimes(site).size() == 3);
        TopicWriter.send(wsLogoff, wsLogoff);
        await().atMost(Duration.ofSeconds(20)).until(() -> downtimes(site).size() == 2);
        assertThat(downtimes(site)).containsExactly(
                "ws-2|" + T0 + "|" + night + "|gap",
                "net-1|" + T0.plusSeconds(200) + "|" + night + "|gap");

        // the status says whether the latest heartbeat was a deliberate stop
        TopicWriter.send(workstationBeat(site, "ws-1", night.plusSeconds(100), true));
        await().atMost(Duration.ofSeconds(20)).until(() -> stopping(site).contains("ws-1|" + night.plusSeconds(100) + "|true"));
        assertThat(stopping(site)).containsExactly("net-1|" + night + "|false", "ws-1|" + night.plusSeconds(100) + "|true",
                "ws-2|" + night + "|false");
    }

    @Test
    void aGenerationMadeBeforeTheStoppingFlagGetsItWithoutLosingRows() throws Exception {
        int g = 9000 + new java.util.Random().nextInt(999);
        try (var c = dev.rollcall.testsupport.Postgres.endpoint().connect(); var st = c.createStatement()) {
            st.execute("CREATE TABLE agents_heartbeat_g" + g + " (event_id uuid PRIMARY KEY, site text NOT NULL, agent_id text NOT NULL, "
                    + "occurred_at timestamptz NOT NULL, version text NOT NULL, host text NOT NULL, os text NOT NULL, "
                    + "uptime_seconds bigint NOT NULL, outbox_depth integer NOT NULL, last_scan_millis bigint, devices_online integer NOT NULL)");
            st.execute("CREATE TABLE agent_status_g" + g + " (site text NOT NULL, agent_id text NOT NULL, last_heartbeat_at timestamptz NOT NULL, "
                    + "first_heartbeat_at timestamptz NOT NULL, last_event_id uuid NOT NULL, version text NOT NULL, host text NOT NULL, "
                    + "os text NOT NULL, uptime_seconds bigint NOT NULL, outbox_depth integer NOT NULL, last_scan_millis bigint, "
                    + "devices_online integer NOT NULL, PRIMARY KEY (site, agent_id))");
            st.execute("INSERT INTO agent_status_g" + g + " VALUES ('old', 'net-1', now(), now(), gen_random_uuid(), '1', 'h', 'Linux', 1, 0, 9, 0)");
            try {
                st.execute("SELECT rollcall_agents_create(" + g + ")");
                assertThat(rows("SELECT agent_id, stopping FROM agent_status_g" + g)).containsExactly("net-1|false");
                assertThat(rows("SELECT column_name FROM information_schema.columns WHERE table_name = ? AND column_name = 'stopping'",
                        "agents_heartbeat_g" + g)).containsExactly("stopping");
            } finally {
                st.execute("SELECT rollcall_agents_drop(" + g + ")");
            }
        }
    }

    static List<String> stopping(String site) throws Exception {
        return rows("SELECT agent_id, last_heartbeat_at, stopping FROM agent_status WHERE site = ? ORDER BY agent_id", site);
    }

    static EventEnvelope workstationBeat(String site, String agent, Instant at, boolean stopping) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/" + agent, at, site, agent,
                new AgentHeartbeat(agent, "1.0.0", "PC-" + agent, "Windows 11", 60, 0, null, List.of(), stopping));
    }

    static List<String> status(String site) throws Exception {
        return rows("SELECT agent_id, last_heartbeat_at, first_heartbeat_at, version, host, os, outbox_depth, devices_online "
                + "FROM agent_status WHERE site = ? ORDER BY agent_id", site);
    }

    static List<String> downtimes(String site) throws Exception {
        return rows("SELECT agent_id, start_at, end_at, cause FROM agent_downtime WHERE site = ? ORDER BY start_at", site);
    }

    static EventEnvelope beat(String site, String agent, Instant at, String version, int outbox) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/" + agent, at, site, agent, new AgentHeartbeat(agent, version,
                "host-" + agent, "Linux", 60, outbox, 1200L, List.of("3c:22:fb:00:00:01", "3c:22:fb:00:00:02")));
    }
}
