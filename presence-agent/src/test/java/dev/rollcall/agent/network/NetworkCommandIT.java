package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rollcall.agent.TestJvm;
import dev.rollcall.agent.ship.FakeIngestMain;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.testsupport.NetnsLab;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent ({@code target/quarkus-app}) end to end, inside the ARP lab's namespace: it scans two
 * phones by real ARP and ships their changes and its heartbeats, with its bearer credential, to an ingest
 * (a test server in the same namespace). The ingest goes away, a phone comes back meanwhile, the ingest
 * returns: the queued change arrives. SIGTERM stops the agent.
 */
class NetworkCommandIT {

    private static final String PHONE_A = "02:13:00:aa:00:0a";
    private static final String PHONE_B = "02:13:00:bb:00:0b";
    private static final int PORT = 18081;

    @TempDir
    Path dir;

    /** The test ingest process and what it has received (each accepted batch's events, in order). */
    private static final class Ingest {
        final Process process;
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        final List<EventEnvelope> events;

        Ingest(NetnsLab lab, List<EventEnvelope> events, Path log) throws IOException {
            this.events = events;
            process = new ProcessBuilder(lab.inAgentNamespace(TestJvm.command(FakeIngestMain.class, Integer.toString(PORT))))
                    .redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("REQUEST ")) {
                            String[] f = line.split(" ", 3);
                            authorizations.add(f[1].replace('_', ' '));
                            var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f[2]);
                            body.path("events").forEach(e -> events.add(EventCodec.fromTree(e)));
                        }
                    }
                } catch (IOException ended) {
                    // the process was stopped
                }
            });
        }

        void stop() throws InterruptedException {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The outages the agent reported about itself, once per event id. */
    private static List<AgentDowntimeReported> outages(List<EventEnvelope> received) {
        Map<UUID, AgentDowntimeReported> byId = new LinkedHashMap<>();
        for (EventEnvelope e : received) {
            if (e.data() instanceof AgentDowntimeReported d) {
                assertThat(e.subject()).isEqualTo("lab-agent");
                byId.putIfAbsent(e.id(), d);
            }
        }
        return List.copyOf(byId.values());
    }

    /** The device changes received, once per event id (a re-send after a lost answer is the same event). */
    private static List<DeviceStateChanged> changesOf(List<EventEnvelope> received, String mac) {
        Map<UUID, DeviceStateChanged> byId = new LinkedHashMap<>();
        for (EventEnvelope e : received) {
            if (e.data() instanceof DeviceStateChanged d && d.mac().equals(mac)) {
                byId.putIfAbsent(e.id(), d);
            }
        }
        return List.copyOf(byId.values());
    }

    @Test
    void scansRealArpShipsChangesAndHeartbeatsAndCatchesUpAfterTheIngestWasAway() throws Exception {
        String why = NetnsLab.unavailableBecause("the real ARP test");
        assumeTrue(why == null, () -> "SKIPPED agent end-to-end test: " + why);
        Path jar = Path.of(System.getProperty("rollcall.agent.jar", "target/quarkus-app/quarkus-run.jar"));
        assumeTrue(Files.exists(jar), () -> "SKIPPED: the packaged agent " + jar + " is missing (run mvn verify)");

        Path credential = dir.resolve("agent.credential");
        Files.writeString(credential, "lab-agent.s3cret-for-the-lab\n");
        Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));
        List<EventEnvelope> received = new CopyOnWriteArrayList<>();

        try (NetnsLab lab = NetnsLab.named("rc-arp").subnet("10.213.0.0/24").shortArpTimers().create(PHONE_A, PHONE_B)) {
            NetnsLab.Phone a = lab.phones().get(0);
            Ingest ingest = new Ingest(lab, received, dir.resolve("ingest-1.log"));
            String java = TestJvm.command(NetworkCommandIT.class).getFirst();
            List<String> agentCmd = new ArrayList<>(List.of(java, "-jar", jar.toAbsolutePath().toString(), "network",
                    "--server", "http://127.0.0.1:" + PORT, "--credential-file", credential.toString(),
                    "--site", "lab", "--subnet", lab.subnet(), "--interface", NetnsLab.INTERFACE,
                    "--method", "neighbour", "--interval", "3s", "--heartbeat", "4s",
                    "--outbox", dir.resolve("outbox").toString()));
            Path agentErr = dir.resolve("agent.err");
            Path agentOut = dir.resolve("agent.out");
            Process agent = new ProcessBuilder(lab.inAgentNamespace(agentCmd))
                    .redirectOutput(agentOut.toFile()).redirectError(agentErr.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(changesOf(received, PHONE_A)).containsExactly(
                            new DeviceStateChanged(PHONE_A, "10.213.0.10", DeviceState.ONLINE));
                    assertThat(changesOf(received, PHONE_B)).containsExactly(
                            new DeviceStateChanged(PHONE_B, "10.213.0.11", DeviceState.ONLINE));
                    assertThat(received).anySatisfy(e -> assertThat(e.data()).isInstanceOfSatisfying(
                            AgentHeartbeat.class, h -> assertThat(h.devicesOnline()).containsExactly(PHONE_A, PHONE_B)));
                });
                assertThat(ingest.authorizations).containsOnly("Bearer lab-agent.s3cret-for-the-lab");
                assertThat(received).allSatisfy(e -> {
                    assertThat(e.site()).isEqualTo("lab");
                    assertThat(e.source()).isEqualTo("agent/lab-agent");
                });

                lab.leave(a);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(changesOf(received, PHONE_A)).hasSize(2).last()
                                .isEqualTo(new DeviceStateChanged(PHONE_A, null, DeviceState.OFFLINE)));

                ingest.stop();
                lab.comeBack(a);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(Files.readString(agentErr)).contains("cannot reach the server"));
                assertThat(changesOf(received, PHONE_A)).as("nothing arrives while the ingest is away").hasSize(2);

                ingest = new Ingest(lab, received, dir.resolve("ingest-2.log"));
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                        assertThat(changesOf(received, PHONE_A)).containsExactly(
                                new DeviceStateChanged(PHONE_A, "10.213.0.10", DeviceState.ONLINE),
                                new DeviceStateChanged(PHONE_A, null, DeviceState.OFFLINE),
                                new DeviceStateChanged(PHONE_A, "10.213.0.10", DeviceState.ONLINE)));
                assertThat(changesOf(received, PHONE_B)).as("phone B never left").hasSize(1);
                // The ingest records a batch before it answers: wait for the agent to have its 200, too.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(Files.readString(agentErr)).contains("the server accepts events again"));

                agent.destroy(); // SIGTERM, as systemd stops a service
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
                String log = Files.readString(agentErr);
                System.out.println("agent log:\n" + log);
                assertThat(log).contains("presence-agent ", "(agent lab-agent, site lab)", PHONE_A + " online at 10.213.0.10",
                        PHONE_A + " offline", "stopping");
                assertThat(log).doesNotContain("s3cret");
                assertThat(agentOut).as("a service's stdout stays empty: logs go to stderr").isEmptyFile();

                // SIGTERM sent a last heartbeat saying so (within the stop's grace)
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received)
                        .filteredOn(e -> e.data() instanceof AgentHeartbeat).last()
                        .satisfies(e -> assertThat(((AgentHeartbeat) e.data()).stopping()).isTrue()));
                EventEnvelope stopped = received.stream().filter(e -> e.data() instanceof AgentHeartbeat h && h.stopping())
                        .findFirst().orElseThrow();

                // Started again more than two scan intervals (6 s) later: nobody watched meanwhile, and it says so.
                Thread.sleep(7_000);
                agent = new ProcessBuilder(lab.inAgentNamespace(agentCmd))
                        .redirectOutput(agentOut.toFile()).redirectError(dir.resolve("agent-2.err").toFile()).start();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(outages(received))
                        .singleElement().satisfies(d -> {
                            assertThat(d.start()).isEqualTo(stopped.time());
                            assertThat(Duration.between(d.start(), d.end())).isGreaterThan(Duration.ofSeconds(6));
                        }));
                // kill -9 after a scan, start again 7 s later: the outage since its last scan is reported too
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(received)
                        .filteredOn(e -> e.data() instanceof AgentHeartbeat h && !h.stopping() && e.time().isAfter(stopped.time()))
                        .isNotEmpty());
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                Instant killed = Instant.now();
                Thread.sleep(7_000);
                agent = new ProcessBuilder(lab.inAgentNamespace(agentCmd))
                        .redirectOutput(agentOut.toFile()).redirectError(dir.resolve("agent-3.err").toFile()).start();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(outages(received)).hasSize(2).last()
                        .satisfies(d -> {
                            assertThat(d.start()).isBefore(killed).isAfter(killed.minusSeconds(10));
                            assertThat(d.end()).isAfter(killed.plusSeconds(6));
                        }));
            } finally {
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                ingest.stop();
            }
        }
    }
}
