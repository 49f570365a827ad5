package dev.rollcall.system;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5 end to end, as three processes: an agent (its config credential, {@code ingest.agents.<id>.*}) sends
 * heartbeats through the ingest; the agents page shows it HEALTHY; it stops, and once the thresholds have passed
 * (made short here: healthy under 2 s, offline after 4 s, in the projection and the pages alike) the page shows it
 * OFFLINE and the day report of its site carries the outage banner and is incomplete. Then it comes back: the
 * silence is a stored downtime (a gap between heartbeats), and the agent is HEALTHY again.
 */
class AgentHealthIT {

    static final String SECRET = "e2e-agent-secret";

    @Test
    void anAgentsHeartbeatsMakeItHealthyItsSilenceOfflineWithABannerAndItsReturnAStoredDowntime() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String site = "e2e-" + run;
        String agent = "net-" + run;
        Map<String, String> config = new HashMap<>();
        config.put("ingest.agents." + agent + ".site", site);
        config.put("ingest.agents." + agent + ".token-sha256", HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(SECRET.getBytes(StandardCharsets.UTF_8))));
        config.put("projection.agents.offline-after", "PT4S");
        config.put("report.agents.healthy-under", "PT2S");
        config.put("report.agents.offline-after", "PT4S");
        try (var ingest = new ServiceProcess("workstation-ingest", with(Stack.kafka(), config)).start();
             var projection = new ServiceProcess("projection-service", with(Stack.kafkaAndPostgres(), config)).start();
             var report = new ServiceProcess("report-service", with(Stack.report(), config)).start()) {
            // nothing yet: the agent is not on the page
            assertThat(agents(report, site).getList("agents")).isEmpty();

            Instant first = Instant.now();
            beat(ingest, site, agent, first, 3);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                beat(ingest, site, agent, Instant.now(), 3);
                assertThat(agents(report, site).getList("agents.health")).containsExactly("HEALTHY");
            });
            String page = Stack.reportAs(report).queryParam("site", site).when().get("/agents")
                    .then().statusCode(200).extract().asString();
            assertThat(page).contains(agent, "health-healthy\">HEALTHY", "e2e-host");
            assertThat(agents(report, site).getInt("agents[0].outboxDepth")).isEqualTo(3);

            // the agent stops: after 4 s without a heartbeat it is OFFLINE, still down, and today is incomplete
            Instant last = Instant.parse(agents(report, site).getString("agents[0].lastSeen"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(agents(report, site).getList("agents.health")).containsExactly("OFFLINE"));
            assertThat(Duration.between(last, Instant.now())).isGreaterThan(Duration.ofSeconds(4));
            assertThat(Stack.reportAs(report).queryParam("site", site).when().get("/agents")
                    .then().statusCode(200).extract().asString()).contains("health-offline\">OFFLINE", "still down");
            LocalDate today = LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC);
            String day = Stack.reportAs(report).queryParam("site", site).queryParam("date", today.toString())
                    .when().get("/presence/day").then().statusCode(200).extract().asString();
            assertThat(day).contains("downtime-banner", "Agent <strong>" + agent + "</strong> down", "still down", "class=\"incomplete\"");
            JsonPath dayJson = JsonPath.from(Stack.reportAs(report).queryParam("site", site)
                    .queryParam("date", today.toString()).when().get("/api/presence/day").then().statusCode(200).extract().asString());
            assertThat(dayJson.getList("coverage.incompleteDates")).containsExactly(today.toString());
            assertThat(Stack.reportAs(report).queryParam("site", site).when().get("/day")
                    .then().statusCode(200).extract().asString()).contains("downtime-banner", agent);

            // it comes back: HEALTHY, and its silence is a stored gap from its last heartbeat to the new one
            Instant back = Instant.now();
            beat(ingest, site, agent, back, 0);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                JsonPath a = agents(report, site);
                assertThat(a.getList("agents.health")).containsExactly("HEALTHY");
                assertThat(a.getList("downtimes.cause")).containsExactly("gap");
                assertThat(a.getString("downtimes[0].start")).isEqualTo(last.toString());
                assertThat(a.getString("downtimes[0].end")).isNotNull();
            });
        }
    }

    private static JsonPath agents(ServiceProcess report, String site) {
        return JsonPath.from(Stack.reportAs(report).queryParam("site", site).when().get("/api/agents")
                .then().statusCode(200).extract().asString());
    }

    /** One heartbeat as the agent sends it: a batch of CloudEvents with its bearer credential. */
    private static void beat(ServiceProcess ingest, String site, String agent, Instant at, int outbox) {
        EventEnvelope e = EventEnvelope.of(UUID.randomUUID(), "agent/" + agent, at, site, agent,
                new AgentHeartbeat(agent, "0.1.0-e2e", "e2e-host", "Linux", 60, outbox, 250L, List.of()));
        given().baseUri(ingest.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + agent + "." + SECRET)
                .body("{\"events\": [" + EventCodec.encodeToString(e) + "]}")
                .when().post("/api/agent/events").then().statusCode(200);
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(base);
        m.putAll(extra);
        return m;
    }
}
