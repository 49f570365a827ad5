package dev.rollcall.system;

import dev.rollcall.testsupport.TempDirs;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5 end to end, as four processes: an administrator makes a one-time code; the packaged agent enrolls with it
 * from a fresh start and its network collector (a loopback "LAN", heartbeats every second) beats through the
 * ingest; the agents page shows it HEALTHY with what its heartbeat said. The agent is stopped (SIGTERM), and once
 * the thresholds have passed (made short here: healthy under 5 s, offline after 10 s, in the projection and the
 * pages alike) the page shows it OFFLINE, stopped by its host, and the day reports of its site carry the outage
 * banner and today is incomplete. Started again, it is HEALTHY, and its silence is a stored downtime (a gap between
 * heartbeats). Then it is killed (SIGKILL) and started again a few seconds later, too soon for a gap: the outage it
 * reports about itself from its alive mark is the stored downtime.
 */
class AgentHealthIT {

    static final String ADMIN_TOKEN = "e2e-admin-token";

    @Test
    void anEnrolledAgentIsHealthyItsSilenceOfflineWithABannerAndItsReturnAStoredDowntime() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String site = "e2e-" + run;
        Path home = TempDirs.create("agent-health-it");
        Map<String, String> config = new HashMap<>();
        config.put("ingest.admin.token", ADMIN_TOKEN);
        config.put("projection.agents.offline-after", "PT10S");
        config.put("report.agents.healthy-under", "PT5S");
        config.put("report.agents.offline-after", "PT10S");
        try (var ingest = new ServiceProcess("workstation-ingest", with(Stack.kafkaAndPostgres(), config)).start();
             var projection = new ServiceProcess("projection-service", with(Stack.kafkaAndPostgres(), config)).start();
             var report = new ServiceProcess("report-service", with(Stack.report(), config)).start()) {
            // nothing yet: no agent on the page
            assertThat(agents(report, site).getList("agents")).isEmpty();

            String code = given().baseUri(ingest.baseUrl()).header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .contentType(ContentType.JSON).body("{\"site\":\"" + site + "\"}")
                    .when().post("/api/admin/enrollment-codes").then().statusCode(201).extract().path("code");
            assertThat(PackagedAgent.run(home, "agent-health-enroll", "enroll", "--server", ingest.baseUrl(), "--code", code))
                    .as("enroll, see " + PackagedAgent.logFile("agent-health-enroll")).isZero();
            String credential = Files.readString(home.resolve(".rollcall-agent/agent.credential")).lines().findFirst().orElseThrow();
            String agent = credential.substring(0, credential.indexOf('.'));

            Instant last;
            try (var collector = network(home, ingest, site)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                        assertThat(agents(report, site).getList("agents.health")).containsExactly("HEALTHY"));
                String page = Stack.reportAs(report).queryParam("site", site).when().get("/agents")
                        .then().statusCode(200).extract().asString();
                assertThat(page).contains(agent, "health-healthy\">HEALTHY");
                JsonPath a = agents(report, site);
                assertThat(a.getString("agents[0].version")).isNotBlank();
                assertThat(a.getString("agents[0].host")).isNotBlank();
                assertThat(a.getInt("agents[0].outboxDepth")).isGreaterThanOrEqualTo(0);
            }
            // the agent stopped: after 10 s without a heartbeat it is OFFLINE, still down, and today is incomplete
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(agents(report, site).getList("agents.health")).containsExactly("OFFLINE"));
            last = Instant.parse(agents(report, site).getString("agents[0].lastSeen"));
            assertThat(Duration.between(last, Instant.now())).isGreaterThan(Duration.ofSeconds(10));
            // SIGTERM: its last heartbeat said it was stopping; a network agent stopped still leaves presence unknown
            assertThat(agents(report, site).getString("agents[0].stoppedAt")).isEqualTo(last.toString());
            assertThat(Stack.reportAs(report).queryParam("site", site).when().get("/agents")
                    .then().statusCode(200).extract().asString()).contains("health-offline\">OFFLINE", "still down",
                    "stopped by its host at");
            LocalDate today = LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC);
            String day = Stack.reportAs(report).queryParam("site", site).queryParam("date", today.toString())
                    .when().get("/presence/day").then().statusCode(200).extract().asString();
            assertThat(day).contains("downtime-banner", "Agent <strong>" + agent + "</strong> down", "still down", "class=\"incomplete\"");
            JsonPath dayJson = JsonPath.from(Stack.reportAs(report).queryParam("site", site)
                    .queryParam("date", today.toString()).when().get("/api/presence/day").then().statusCode(200).extract().asString());
            assertThat(dayJson.getList("coverage.incompleteDates")).containsExactly(today.toString());
            assertThat(Stack.reportAs(report).queryParam("site", site).when().get("/day")
                    .then().statusCode(200).extract().asString()).contains("downtime-banner", agent);

            // started again: HEALTHY, and its silence is a stored gap from its last heartbeat before to the first after
            Instant beforeKill;
            try (var collector = network(home, ingest, site)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    JsonPath a = agents(report, site);
                    assertThat(a.getList("agents.health")).containsExactly("HEALTHY");
                    assertThat(a.getList("downtimes.cause")).contains("gap");
                    assertThat(a.getList("downtimes.start")).contains(last.toString());
                    assertThat(a.getString("agents[0].stoppedAt")).isNull();
                });
                // a few seconds of beats, so that the next outage stands apart from this one
                Instant back = Instant.parse(agents(report, site).getString("downtimes[0].end"));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                        Instant.parse(agents(report, site).getString("agents[0].lastSeen")).isAfter(back.plusSeconds(3)));
                // kill -9: no stopping heartbeat, no shutdown hook; only the alive mark of its last scan is left
                beforeKill = Instant.now();
                collector.kill();
            }
            int downtimesBefore = agents(report, site).getList("downtimes").size();
            // The outage itself: 3 s, more than two scan intervals (so the agent reports it) and, with the start-up,
            // less than the 10 s after which a gap between heartbeats would be a downtime.
            Thread.sleep(3_000);
            try (var collector = network(home, ingest, site)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    JsonPath a = agents(report, site);
                    assertThat(a.getList("agents.health")).containsExactly("HEALTHY");
                    assertThat(a.getList("downtimes")).hasSize(downtimesBefore + 1);
                    // newest first: the reported outage, from its last scan before the kill to its restart
                    assertThat(a.getString("downtimes[0].cause")).isEqualTo("reported");
                    Instant start = Instant.parse(a.getString("downtimes[0].start"));
                    Instant end = Instant.parse(a.getString("downtimes[0].end"));
                    assertThat(start).isBefore(beforeKill).isAfter(beforeKill.minusSeconds(3));
                    assertThat(Duration.between(start, end)).isGreaterThan(Duration.ofSeconds(3));
                });
            }
        }
    }

    /** The enrolled agent's network collector on a loopback "LAN", a heartbeat every second. */
    private static PackagedAgent network(Path home, ServiceProcess ingest, String site) throws IOException {
        return PackagedAgent.start(home, "agent-health-network", "network", "--server", ingest.baseUrl(), "--site", site,
                "--subnet", "127.0.0.0/30", "--interface", "lo", "--method", "neighbour", "--settle", "200ms",
                "--interval", "1s", "--heartbeat", "1s", "--outbox", home.resolve("outbox").toString());
    }

    private static JsonPath agents(ServiceProcess report, String site) {
        return JsonPath.from(Stack.reportAs(report).queryParam("site", site).when().get("/api/agents")
                .then().statusCode(200).extract().asString());
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(base);
        m.putAll(extra);
        return m;
    }
}
