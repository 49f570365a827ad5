package dev.rollcall.system;

import dev.rollcall.events.AgentEnrolled;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.TempDirs;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent enrolled from a fresh start, end to end, as processes: the packaged ingest serves HTTPS with a
 * self-signed certificate and keeps agents in PostgreSQL; an administrator makes a code; the packaged agent
 * refuses a server whose certificate its CA bundle does not vouch for (the code is not spent), enrolls with the
 * right bundle into its default credential file (0600 in a 0700 directory), and its network collector, reading
 * that file by default, ships a heartbeat that lands on the agents topic. Revoked, the credential is refused.
 * And with two ingest replicas on one database: a code raced on both is redeemed once, and a revocation on one
 * is refused by the other within seconds.
 */
class AgentEnrollmentIT {

    static final String ADMIN_TOKEN = "system-test-admin-token";
    static final String PASS = "test-only-password";

    @Test
    void anAgentEnrolledFromAFreshStartSendsEventsThatLandInKafka() throws Exception {
        Path work = TempDirs.create("agent-enrollment-it");
        Path home = work.resolve("home");
        Files.createDirectories(home);
        certificate(work, "ingest");
        certificate(work, "impostor");
        String site = "it-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        int tlsPort = freePort();

        Map<String, String> props = new HashMap<>(Stack.kafkaAndPostgres());
        props.put("ingest.admin.token", ADMIN_TOKEN);
        props.put("quarkus.http.ssl-port", Integer.toString(tlsPort));
        props.put("quarkus.http.ssl.certificate.key-store-file", work.resolve("ingest.p12").toString());
        props.put("quarkus.http.ssl.certificate.key-store-password", PASS);
        try (var ingest = new ServiceProcess("workstation-ingest", props).start()) {
            String server = "https://localhost:" + tlsPort;
            String code = given().baseUri(ingest.baseUrl()).header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .contentType(ContentType.JSON).body("{\"site\":\"" + site + "\"}")
                    .when().post("/api/admin/enrollment-codes").then().statusCode(201).extract().path("code");
            Path credential = home.resolve(".rollcall-agent/agent.credential");

            Run wrongCertificate = agent(home, "enroll", "--server", server, "--code", code,
                    "--ca-bundle", work.resolve("impostor.pem").toString());
            assertThat(wrongCertificate.exit()).as(wrongCertificate.output()).isEqualTo(1);
            assertThat(wrongCertificate.output()).contains("not trusted", "nothing was stored");
            assertThat(credential).doesNotExist();

            Map<TopicPartition, Long> before = endOffsets();
            Run enroll = agent(home, "enroll", "--server", server, "--code", code, "--ca-bundle", work.resolve("ingest.pem").toString());
            assertThat(enroll.exit()).as(enroll.output()).isZero();
            assertThat(enroll.output()).contains("of site " + site);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential.getParent()))).isEqualTo("rwx------");
            String token = Files.readString(credential).lines().findFirst().orElseThrow();
            String agentId = token.substring(0, token.indexOf('.'));

            // the collector finds the credential by default; a loopback "LAN" so that it scans and beats at once
            Process network = start(home, "network", "--server", server, "--ca-bundle", work.resolve("ingest.pem").toString(),
                    "--site", site, "--subnet", "127.0.0.0/30", "--interface", "lo", "--method", "neighbour",
                    "--settle", "200ms", "--outbox", work.resolve("outbox").toString());
            try {
                List<EventEnvelope> seen = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    seen.clear();
                    seen.addAll(recordsAfter(before));
                    return seen.stream().anyMatch(e -> e.data() instanceof AgentHeartbeat);
                });
                assertThat(seen).anySatisfy(e -> {
                    assertThat(e.data()).isInstanceOf(AgentEnrolled.class);
                    assertThat(e.subject()).isEqualTo(agentId);
                    assertThat(e.site()).isEqualTo(site);
                });
                assertThat(seen).anySatisfy(e -> {
                    assertThat(e.data()).isInstanceOf(AgentHeartbeat.class);
                    assertThat(e.source()).isEqualTo("agent/" + agentId);
                    assertThat(e.site()).isEqualTo(site);
                });
            } finally {
                network.destroy();
                if (!network.waitFor(15, TimeUnit.SECONDS)) {
                    network.destroyForcibly().waitFor();
                }
            }

            given().baseUri(ingest.baseUrl()).header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .when().delete("/api/admin/agents/" + agentId).then().statusCode(200);
            given().baseUri(ingest.baseUrl()).header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                    .body("{\"events\":[]}").when().post("/api/agent/events").then().statusCode(401);
        }
    }

    @Test
    void anAgentRenewsItsShortLivedCredentialByItselfAndKeepsShippingPastItsFirstExpiry() throws Exception {
        Path work = TempDirs.create("agent-renewal-it");
        Path home = work.resolve("home");
        Files.createDirectories(home);
        String site = "it-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        Duration validity = Duration.ofSeconds(9);
        Map<String, String> props = new HashMap<>(Stack.kafkaAndPostgres());
        props.put("ingest.admin.token", ADMIN_TOKEN);
        props.put("ingest.enrollment.credential-validity", validity.toString());
        try (var ingest = new ServiceProcess("workstation-ingest", props).start()) {
            String server = ingest.baseUrl();   // plain http to this machine: allowed for loopback only
            Run enroll = agent(home, "enroll", "--server", server, "--code", code(ingest, site));
            assertThat(enroll.exit()).as(enroll.output()).isZero();
            Path credential = home.resolve(".rollcall-agent/agent.credential");
            String first = Files.readString(credential).lines().findFirst().orElseThrow();
            String agentId = first.substring(0, first.indexOf('.'));
            java.time.Instant firstExpiry = java.time.Instant.parse(Files.readString(credential).lines()
                    .filter(l -> l.startsWith("expires-at=")).findFirst().orElseThrow().substring("expires-at=".length()));
            Map<TopicPartition, Long> before = endOffsets();

            Path log = Path.of(System.getProperty("rollcall.logs", "target/service-logs")).resolve("presence-agent-renewal.log");
            Process network = start(home, log, "network", "--server", server, "--site", site, "--subnet", "127.0.0.0/30",
                    "--interface", "lo", "--method", "neighbour", "--settle", "200ms", "--interval", "1s",
                    "--heartbeat", "1s", "--outbox", work.resolve("outbox").toString());
            try {
                // heartbeats made well after the first credential expired still land: the agent renewed by itself
                List<EventEnvelope> late = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    late.clear();
                    recordsAfter(before).stream().filter(e -> e.data() instanceof AgentHeartbeat)
                            .filter(e -> e.source().equals("agent/" + agentId))
                            .filter(e -> e.time().isAfter(firstExpiry.plus(validity))).forEach(late::add);
                    return late.size() >= 3;
                });
                String now = Files.readString(credential).lines().findFirst().orElseThrow();
                assertThat(now).startsWith(agentId + ".").isNotEqualTo(first);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential))).isEqualTo("rw-------");
                given().baseUri(server).header("Authorization", "Bearer " + first).contentType(ContentType.JSON)
                        .body("{\"events\":[]}").when().post("/api/agent/events").then().statusCode(401);
                String output = Files.readString(log);
                assertThat(output).contains("renewed the credential of agent " + agentId);
                assertThat(output).doesNotContain(first.substring(agentId.length() + 1), now.substring(agentId.length() + 1));
                System.out.printf("renewals by the agent: %d in %s%n", output.split("renewed the credential", -1).length - 1,
                        Duration.between(firstExpiry.minus(validity), java.time.Instant.now()));
            } finally {
                network.destroy();
                if (!network.waitFor(15, TimeUnit.SECONDS)) {
                    network.destroyForcibly().waitFor();
                }
            }
        }
    }

    @Test
    void twoReplicasRedeemACodeOnceAndBothRefuseARevokedAgentWithinSeconds() throws Exception {
        Map<String, String> props = new HashMap<>(Stack.kafkaAndPostgres());
        props.put("ingest.admin.token", ADMIN_TOKEN);
        props.put("ingest.enrollment.attempts-per-address", "1000");   // every redemption here comes from 127.0.0.1
        String site = "it-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try (var a = new ServiceProcess("workstation-ingest", props).start();
             var b = new ServiceProcess("workstation-ingest", props).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                String credential = null;
                for (int round = 0; round < 10; round++) {
                    String code = code(a, site);
                    CountDownLatch go = new CountDownLatch(1);
                    Future<io.restassured.response.Response> viaA = pool.submit(() -> { go.await(); return redeem(a, code); });
                    Future<io.restassured.response.Response> viaB = pool.submit(() -> { go.await(); return redeem(b, code); });
                    go.countDown();
                    List<Integer> statuses = List.of(viaA.get().statusCode(), viaB.get().statusCode());
                    assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(201, 410);
                    credential = (viaA.get().statusCode() == 201 ? viaA.get() : viaB.get()).path("credential");
                }
                String token = credential;
                String agentId = token.substring(0, token.indexOf('.'));
                String body = "{\"events\":[]}";   // authentication comes first: 400 means "authenticated"
                for (ServiceProcess replica : List.of(a, b)) {
                    given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                            .body(body).when().post("/api/agent/events").then().statusCode(400);
                }
                given().baseUri(a.baseUrl()).header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .when().delete("/api/admin/agents/" + agentId).then().statusCode(200);
                long revoked = System.nanoTime();
                given().baseUri(a.baseUrl()).header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                        .body(body).when().post("/api/agent/events").then().statusCode(401);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                        given().baseUri(b.baseUrl()).header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                                .body(body).when().post("/api/agent/events").statusCode() == 401);
                Duration took = Duration.ofNanos(System.nanoTime() - revoked);
                System.out.printf("revoked on replica A, refused by replica B after %d ms%n", took.toMillis());
                assertThat(took).isLessThan(Duration.ofSeconds(3));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static String code(ServiceProcess ingest, String site) {
        return given().baseUri(ingest.baseUrl()).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(ContentType.JSON).body("{\"site\":\"" + site + "\"}")
                .when().post("/api/admin/enrollment-codes").then().statusCode(201).extract().path("code");
    }

    private static io.restassured.response.Response redeem(ServiceProcess ingest, String code) {
        return given().baseUri(ingest.baseUrl()).contentType(ContentType.JSON).body("{\"code\":\"" + code + "\"}")
                .when().post("/api/agent/enroll");
    }

    record Run(int exit, String output) {
    }

    private static Run agent(Path home, String... args) throws Exception {
        Process p = start(home, args);
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("presence-agent " + args[0] + " did not finish: " + out);
        }
        return new Run(p.exitValue(), out);
    }

    /** The packaged agent, with {@code home} as its user's home (where its default credential file lives). */
    private static Process start(Path home, String... args) throws IOException {
        return start(home, args[0].equals("network")
                ? Path.of(System.getProperty("rollcall.logs", "target/service-logs")).resolve("presence-agent-network.log")
                : null, args);
    }

    /** The packaged agent, its output into {@code log} when given. */
    private static Process start(Path home, Path log, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("rollcall.root", "..")).resolve("presence-agent/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: package presence-agent first");
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m", "-Duser.home=" + home, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("STATE_DIRECTORY");
        if (log != null) {
            Files.createDirectories(log.getParent());
            pb.redirectOutput(log.toFile());
        }
        return pb.start();
    }

    private static void certificate(Path dir, String name) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        for (List<String> cmd : List.of(
                List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                        "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                        "-keystore", name + ".p12", "-storepass", PASS),
                List.of(keytool, "-exportcert", "-rfc", "-alias", name, "-keystore", name + ".p12", "-storepass", PASS,
                        "-file", name + ".pem"))) {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as("keytool: " + out).isZero();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(Topic.AGENTS.topicName()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        return parts;
    }

    private static Map<TopicPartition, Long> endOffsets() {
        try (var c = consumer()) {
            return c.endOffsets(partitions(c));
        }
    }

    private static List<EventEnvelope> recordsAfter(Map<TopicPartition, Long> from) {
        List<EventEnvelope> out = new ArrayList<>();
        try (var c = consumer()) {
            List<TopicPartition> parts = partitions(c);
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            parts.forEach(tp -> c.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(EventCodec.decode(r.value()));
                }
            }
        }
        return out;
    }
}
