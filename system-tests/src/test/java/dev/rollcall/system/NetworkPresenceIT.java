package dev.rollcall.system;

import dev.rollcall.testsupport.NetnsLab;
import dev.rollcall.testsupport.TempDirs;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 4 end to end with real ARP: two "phones" (network namespaces with veth pairs and chosen MAC addresses) on
 * an office bridge; the packaged agent scans them from the office namespace and ships to the ingest on the host;
 * the projection folds; HR's presence pages show both employees present. One phone's link goes down: its employee
 * stays on the "now" page, offline, for the site's grace period, then leaves it; back after that: present again,
 * and the day shows two sessions. Needs root (namespaces);
 * elsewhere it is skipped, saying so.
 */
class NetworkPresenceIT {

    static final String PHONE_ADA = "02:5b:00:aa:00:01";
    static final String PHONE_BOB = "02:5b:00:bb:00:02";
    static final String SECRET = "e2e-network-agent-secret";
    static final String ADMIN = "e2e-admin-token";

    @Test
    void phonesSeenByRealArpBecomeTheAttendanceHrSeesAndALinkGoingDownAndBackShowsUp() throws Exception {
        String unavailable = NetnsLab.unavailableBecause("the real ARP end-to-end test");
        assumeTrue(unavailable == null, () -> "skipped: " + unavailable);
        Path agentJar = Path.of(System.getProperty("rollcall.root", "..")).resolve("presence-agent/target/quarkus-app/quarkus-run.jar");
        assertThat(agentJar).as("package presence-agent first").exists();

        String run = UUID.randomUUID().toString().substring(0, 6);
        String site = "arp-" + run;
        String agent = "arp-agent-" + run;
        Map<String, String> config = new HashMap<>();
        config.put("ingest.agents." + agent + ".site", site);
        config.put("ingest.agents." + agent + ".token-sha256", Stack.sha256(SECRET));
        config.put("ingest.admin.token", ADMIN);
        Path dir = TempDirs.create("i5b-arp");
        Path credential = dir.resolve("agent.credential");
        Files.writeString(credential, agent + "." + SECRET);
        Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));
        Process agentProcess = null;
        Process relay = null;
        // the office LAN; the agent runs in its namespace and reaches the services on the host over the uplink
        try (var lab = NetnsLab.named("i5b").subnet("10.215.0.0/24").shortArpTimers().uplinkToHost().create(PHONE_ADA, PHONE_BOB);
             var ingest = new ServiceProcess("workstation-ingest", with(Stack.kafka(), config)).start();
             var projection = new ServiceProcess("projection-service", with(Stack.kafkaAndPostgres(), config)).start();
             var report = new ServiceProcess("report-service", with(Stack.report(), config)).start()) {
            // the roster: the site (a grace of 1 minute, the shortest), two employees, their phones
            Instant before = Instant.now().minus(Duration.ofHours(1));
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + site, "{\"name\": \"ARP office\", \"zone\": \"UTC\", \"presenceGraceMinutes\": 1}");
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + site + "/employees/E1", "{\"name\": \"Ada Lovelace\"}");
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + site + "/employees/E2", "{\"name\": \"Bob Builder\"}");
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + site + "/devices/" + PHONE_ADA, "{\"employeeId\": \"E1\", \"from\": \"" + before + "\"}");
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + site + "/devices/" + PHONE_BOB, "{\"employeeId\": \"E2\", \"from\": \"" + before + "\"}");

            String port = ingest.baseUrl().substring(ingest.baseUrl().lastIndexOf(':') + 1);
            String java = ProcessHandle.current().info().command().orElse("java");
            // the agent sends its credential in clear text only over loopback: relay the office's loopback to the host
            relay = new ProcessBuilder(lab.inAgentNamespace(new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    LoopbackRelay.class.getName(), port, lab.hostAddress())))).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            List<String> cmd = lab.inAgentNamespace(new ArrayList<>(List.of(java, "-jar", agentJar.toAbsolutePath().toString(), "network",
                    "--server", "http://127.0.0.1:" + port, "--credential-file", credential.toString(),
                    "--site", site, "--subnet", lab.subnet(), "--interface", NetnsLab.INTERFACE, "--method", "neighbour",
                    "--interval", "2s", "--heartbeat", "4s", "--outbox", dir.resolve("outbox").toString())));
            Path log = Path.of(System.getProperty("rollcall.logs", "target/service-logs"), "presence-agent-arp.log");
            Files.createDirectories(log.getParent());
            agentProcess = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(now(report, site).getList("present")).as("present now").hasSize(2));
            assertThat(agents(report, site).getList("agents.agentId")).containsExactly(agent);
            assertThat(agents(report, site).getList("agents.health")).containsExactly("HEALTHY");

            NetnsLab.Phone ada = lab.phones().getFirst();
            lab.leave(ada);
            // within the site's grace (1 minute) after her phone went offline she is still present, "offline since"
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(now(report, site).getList("present.offlineSince")).as("Ada's phone offline, within the grace")
                            .filteredOn(Objects::nonNull).hasSize(1));
            // then she leaves the now page: the grace has passed since her phone went offline, so her return is a
            // new session (the projection bridges gaps up to the grace only)
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(now(report, site).getList("present")).as("present after Ada's phone left").hasSize(1));
            assertThat(now(report, site).getList("absent.seenToday")).containsExactly(true);

            lab.comeBack(ada);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(now(report, site).getList("present")).as("present after Ada's phone came back").hasSize(2);
                JsonPath day = JsonPath.from(Stack.reportAs(report).queryParam("site", site).when()
                        .get("/api/presence/day").then().statusCode(200).extract().asString());
                assertThat(day.getList("employees.sessions", Integer.class)).containsExactlyInAnyOrder(1, 2);
            });
            String page = Stack.reportAs(report).queryParam("site", site).when().get("/presence/day")
                    .then().statusCode(200).extract().asString();
            assertThat(page).contains("<strong>2</strong> employees present").doesNotContain("downtime-banner");
        } finally {
            if (relay != null) {
                relay.destroyForcibly().waitFor();
            }
            if (agentProcess != null) {
                agentProcess.destroy();
                if (!agentProcess.waitFor(20, TimeUnit.SECONDS)) {
                    agentProcess.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static JsonPath now(ServiceProcess report, String site) {
        return JsonPath.from(Stack.reportAs(report).queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
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
