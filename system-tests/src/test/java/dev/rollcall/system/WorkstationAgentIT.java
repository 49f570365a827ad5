package dev.rollcall.system;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.Postgres;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9 end to end: the packaged agent's workstation collector on a real X server (Xvfb, input by xdotool,
 * threshold shortened to 3 s) ships to the real workstation-ingest with its credential; the events are on the
 * real broker's workstation topic, workstation-day folds them into the user's day, and HR reads the day's real
 * work hours from work-tracing's API and the day page. The site is the test's own, with a 1-minute real work
 * block from the roster (the shortest a site can have), so about a minute of input makes one real work hour.
 * Skipped, saying why, without Xvfb and xdotool (Debian: apt-get install xvfb xdotool; `make test` installs them).
 */
class WorkstationAgentIT {

    static final String AGENT = "ws-e2e";
    static final String SECRET = "e2e-workstation-s3cret";
    static final String ADMIN = "e2e-workstation-admin-token";
    /** How long the test keeps the mouse moving: past the site's 1-minute block, with room for a late poll. */
    static final Duration FIRST_STRETCH = Duration.ofSeconds(63);

    @TempDir
    Path dir;

    static String missing() {
        for (String tool : List.of("Xvfb", "xdotool")) {
            boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
            if (!found) {
                return tool + " is not installed (Debian: apt-get install xvfb xdotool)";
            }
        }
        return null;
    }

    @Test
    void idleAndInputOnXvfbBecomeWorkingAndStoppedInKafkaInTheUsersDayAndInHrsRealWorkHours() throws Exception {
        String why = missing();
        assumeTrue(why == null, () -> "SKIPPED workstation end-to-end test: " + why);
        Path jar = Path.of(System.getProperty("rollcall.root", "..")).resolve("presence-agent/target/quarkus-app/quarkus-run.jar");
        assumeTrue(Files.exists(jar), () -> "SKIPPED: " + jar + " is missing (package presence-agent first)");

        String run = Long.toHexString(System.nanoTime());
        String user = "E2E\\tester-" + run;
        String site = "ws-" + run; // its own site: the 1-minute block must not touch other tests' days
        Path credential = dir.resolve("agent.credential");
        Files.writeString(credential, AGENT + "." + SECRET + "\n");
        Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> agents = new HashMap<>();
        agents.put("ingest.agents." + AGENT + ".site", site);
        agents.put("ingest.admin.token", ADMIN);
        agents.put("ingest.agents." + AGENT + ".token-sha256", Stack.sha256(SECRET));
        Map<String, String> ingestConfig = new HashMap<>(Stack.kafka());
        ingestConfig.putAll(agents);

        Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "640x480x24", "-nolisten", "tcp")
                .redirectError(dir.resolve("xvfb.log").toFile()).start();
        Process agent = null;
        try (var ingest = new ServiceProcess("workstation-ingest", ingestConfig).start();
             var projection = new ServiceProcess("projection-service", Stack.kafkaAndPostgres()).start();
             var report = new ServiceProcess("report-service", Stack.report()).start()) {
            // the site's rules from the roster
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + site,
                    "{\"name\": \"Workstation lab\", \"zone\": \"UTC\", \"realWorkBlockMinutes\": 1}");
            // the rules apply to what is folded after the projection has them (history only through a rebuild)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> blockMinutes(site) == 1);

            String n = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(n).as("Xvfb's display number").matches("\\d+");
            String display = ":" + n;
            xdotool(display, "mousemove", "10", "10");

            String javaCmd = ProcessHandle.current().info().command().orElse("java");
            Path outbox = dir.resolve("outbox");
            ProcessBuilder pb = new ProcessBuilder(javaCmd, "-jar", jar.toString(), "workstation",
                    "--server", ingest.baseUrl(), "--credential-file", credential.toString(), "--site", site,
                    "--user", user, "--idle-source", "x11", "--idle-after", "3s", "--poll", "250ms", "--resend", "1s",
                    "--heartbeat", "5s", "--outbox", outbox.toString());
            pb.environment().put("DISPLAY", display);
            Path log = dir.resolve("agent.log");
            agent = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                xdotool(display, "mousemove_relative", "--", "1", "1");
                assertThat(Files.readString(log)).contains(user + " working");
            });
            // a minute and a bit of input: one continuous interval longer than the site's block
            long stretchEnd = System.nanoTime() + FIRST_STRETCH.toNanos();
            await().atMost(FIRST_STRETCH.plusSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                xdotool(display, "mousemove_relative", "--", "1", "1");
                return System.nanoTime() >= stretchEnd;
            });
            assertThat(Files.readString(log)).as("no stop while the input went on").doesNotContain(user + " stopped");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Files.readString(log)).contains(user + " stopped"));
            xdotool(display, "key", "shift");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(Files.readString(log).split(java.util.regex.Pattern.quote(user + " working"), -1)).hasSize(3));
            agent.destroy(); // SIGTERM: logoff
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String agentLog = Files.readString(log);
            System.out.println("agent log:\n" + agentLog);
            // (not its "stopping" line: Quarkus's own shutdown hook may close logging first; the events are what count)
            assertThat(agentLog).doesNotContain(SECRET);
            try (Stream<Path> left = Files.list(outbox)) {
                assertThat(left.filter(p -> p.getFileName().toString().endsWith(".json")))
                        .as("every event acknowledged by the ingest (after Kafka's ack) and removed").isEmpty();
            }

            List<EventEnvelope> onTopic = workstationEventsOf(user);
            List<String> transitions = new ArrayList<>();
            List<String> sessions = new ArrayList<>();
            for (EventEnvelope e : onTopic) {
                assertThat(e.source()).isEqualTo("agent/" + AGENT);
                assertThat(e.site()).isEqualTo(site);
                if (e.data() instanceof WorkstationStateChanged w
                        && (transitions.isEmpty() || !transitions.getLast().equals(w.state().wire()))) {
                    transitions.add(w.state().wire());
                } else if (e.data() instanceof WorkstationSessionChanged s) {
                    sessions.add(s.kind().wire());
                }
            }
            assertThat(transitions).containsExactly("working", "stopped", "working", "stopped");
            assertThat(sessions).startsWith("logon").endsWith("logoff");

            LocalDate today = onTopic.getFirst().time().atOffset(ZoneOffset.UTC).toLocalDate();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<String, Object> day = day(site, user, today);
                assertThat(day).containsEntry("last_state", "stopped");
                assertThat((Long) day.get("working_seconds")).isGreaterThanOrEqualTo(FIRST_STRETCH.toSeconds());
            });
            Map<String, Object> day = day(site, user, today);
            System.out.println("workstation-day: " + day);
            long workingSeconds = (Long) day.get("working_seconds");
            assertThat(day.get("real_work_blocks")).as("the first stretch, over a minute, is one block; the second is seconds")
                    .isEqualTo(1);

            // HR's view: work-tracing's API and the day page give the same numbers
            String token = Stack.reportToken(report.baseUrl());
            JsonPath hours = given().baseUri(report.baseUrl()).auth().oauth2(token)
                    .queryParam("site", site).queryParam("username", user).queryParam("start_date", today.toString())
                    .when().get("/api/reports/real_work_hours").then().statusCode(200).extract().jsonPath();
            System.out.println("real_work_hours: " + hours.prettify());
            assertThat(hours.getBoolean("success")).isTrue();
            assertThat(hours.getList("data.username")).containsExactly(user);
            assertThat(hours.getString("data[0].work_date")).isEqualTo(today.toString());
            assertThat(hours.getInt("data[0].real_hours_counted")).isEqualTo(1);
            assertThat(hours.getLong("data[0].working_minutes")).isEqualTo(workingSeconds / 60).isGreaterThanOrEqualTo(1);
            assertThat(hours.getString("data[0].site")).isEqualTo(site);
            String page = given().baseUri(report.baseUrl()).auth().oauth2(token)
                    .queryParam("site", site).queryParam("date", today.toString()).queryParam("names", "real")
                    .when().get("/day").then().statusCode(200).extract().asString();
            String row = RealWorkHoursIT.rowOf(page, user);
            assertThat(row).contains(">" + workingSeconds / 3600 + ":" + String.format("%02d", workingSeconds / 60 % 60) + "<")
                    .contains(">1<").contains("stopped");
            // the logoff's last heartbeat said it was a deliberate stop: the agents projection keeps that, so the
            // silence that follows is no downtime and the agents page shows the agent signed off
            await().atMost(Duration.ofSeconds(60)).until(() -> signedOff(site, AGENT));
        } finally {
            if (agent != null) {
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            xvfb.destroy();
            xvfb.waitFor(10, TimeUnit.SECONDS);
            xvfb.destroyForcibly();
        }
    }

    private static void xdotool(String display, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("xdotool"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("xdotool " + String.join(" ", args)).isZero();
    }

    /** Every event on the workstation topic whose subject is the user, in offset order per partition (the key is the site). */
    private static List<EventEnvelope> workstationEventsOf(String user) {
        List<EventEnvelope> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.bootstrapServers(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = Topic.WORKSTATION.topicName();
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    EventEnvelope e = EventCodec.decode(r.value());
                    if (user.equals(e.subject())) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }

    private static boolean signedOff(String site, String agent) throws Exception {
        try (Connection c = Postgres.endpoint().connect();
             PreparedStatement ps = c.prepareStatement("SELECT stopping FROM agent_status WHERE site = ? AND agent_id = ?")) {
            ps.setString(1, site);
            ps.setString(2, agent);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (java.sql.SQLException notYet) {
            return false; // the agents projection has not published its views yet
        }
    }

    private static Map<String, Object> day(String site, String user, LocalDate date) throws Exception {
        try (Connection c = Postgres.endpoint().connect();
             PreparedStatement ps = c.prepareStatement("SELECT reports, last_state, working_seconds, real_work_blocks "
                     + "FROM workstation_user_day WHERE site = ? AND username = ? AND local_date = ?")) {
            ps.setString(1, site);
            ps.setString(2, user);
            ps.setObject(3, date);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Map.of("reports", rs.getInt(1), "last_state", rs.getString(2), "working_seconds", rs.getLong(3),
                        "real_work_blocks", rs.getInt(4)) : Map.of();
            }
        }
    }

    /** The site's real work block from the roster as the projection has it, or -1 before it has the site. */
    private static int blockMinutes(String site) throws Exception {
        try (Connection c = Postgres.endpoint().connect();
             PreparedStatement ps = c.prepareStatement("SELECT real_work_block_minutes FROM roster_site WHERE site = ?")) {
            ps.setString(1, site);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getInt(1) : -1;
            }
        }
    }
}
