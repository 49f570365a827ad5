package dev.rollcall.agent.workstation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollcall.agent.TestJvm;
import dev.rollcall.agent.ship.FakeIngestMain;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged agent's workstation collector on a real X server (Xvfb), with input driven by xdotool and the
 * threshold shortened to 3 s: it reports working, stopped once the display has been idle past the threshold,
 * working again at the next input, and logoff + stopped when it is stopped with SIGTERM; every event reaches an
 * ingest (the test server also used by NetworkCommandIT) over HTTP with the agent's credential.
 * Skipped, saying why, without Xvfb or xdotool (Debian: apt-get install xvfb xdotool; `make test` does it).
 */
class WorkstationXvfbIT {

    static final Duration IDLE_AFTER = Duration.ofSeconds(3);
    static final Duration POLL = Duration.ofMillis(250);

    @TempDir
    Path dir;

    static String missing() {
        for (String tool : List.of("Xvfb", "xdotool")) {
            boolean found = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
            if (!found) {
                return tool + " is not installed (Debian: apt-get install xvfb xdotool)";
            }
        }
        return null;
    }

    /** An Xvfb of its own: {@code -displayfd 1} makes it pick a free display number and print it. */
    record Xvfb(Process process, String display) implements AutoCloseable {
        static Xvfb start(Path log) throws IOException {
            Process p = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "640x480x24", "-nolisten", "tcp")
                    .redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String n = out.readLine();
            if (n == null || !n.strip().matches("\\d+")) {
                p.destroyForcibly();
                throw new IOException("Xvfb did not start: " + Files.readString(log));
            }
            return new Xvfb(p, ":" + n.strip());
        }

        void input(String... xdotoolArgs) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("xdotool"));
            cmd.addAll(List.of(xdotoolArgs));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DISPLAY", display);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("xdotool " + String.join(" ", xdotoolArgs) + ": " + out).isZero();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    /** The test ingest process (FakeIngestMain on a free port) and the events it accepted. */
    static final class Ingest implements AutoCloseable {
        final Process process;
        final int port;
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        final List<EventEnvelope> events = new CopyOnWriteArrayList<>();

        Ingest(Path log) throws IOException {
            process = new ProcessBuilder(TestJvm.command(FakeIngestMain.class, "0")).redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (first == null || !first.startsWith("LISTENING ")) {
                throw new IOException("the test ingest did not start: " + Files.readString(log));
            }
            port = Integer.parseInt(first.substring("LISTENING ".length()).strip());
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    ObjectMapper json = new ObjectMapper();
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("REQUEST ")) {
                            String[] f = line.split(" ", 3);
                            authorizations.add(f[1].replace('_', ' '));
                            json.readTree(f[2]).path("events").forEach(e -> events.add(EventCodec.fromTree(e)));
                        }
                    }
                } catch (IOException ended) {
                    // stopped
                }
            });
        }

        /** The workstation events, once per id, in the order sent: "working", "stopped", "logon" … */
        List<String> workstation() {
            Map<UUID, String> byId = new LinkedHashMap<>();
            for (EventEnvelope e : events) {
                if (e.data() instanceof WorkstationStateChanged w) {
                    byId.putIfAbsent(e.id(), w.state().wire());
                } else if (e.data() instanceof WorkstationSessionChanged s) {
                    byId.putIfAbsent(e.id(), s.kind().wire());
                }
            }
            return List.copyOf(byId.values());
        }

        /** The state changes only: repeats folded away. */
        List<String> transitions() {
            List<String> out = new ArrayList<>();
            for (EventEnvelope e : events) {
                if (e.data() instanceof WorkstationStateChanged w
                        && (out.isEmpty() || !out.getLast().equals(w.state().wire()))) {
                    out.add(w.state().wire());
                }
            }
            return out;
        }

        Instant firstTime(WorkstationState state, Instant after) {
            return events.stream().filter(e -> e.data() instanceof WorkstationStateChanged w && w.state() == state)
                    .map(EventEnvelope::time).filter(t -> !t.isBefore(after)).min(Instant::compareTo).orElseThrow();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void idlePastTheThresholdIsStoppedInputIsWorkingAndSigtermIsLogoff() throws Exception {
        String why = missing();
        assumeTrue(why == null, () -> "SKIPPED workstation Xvfb test: " + why);
        Path jar = Path.of(System.getProperty("rollcall.agent.jar", "target/quarkus-app/quarkus-run.jar"));
        assumeTrue(Files.exists(jar), () -> "SKIPPED: the packaged agent " + jar + " is missing (run mvn verify)");

        Path credential = dir.resolve("agent.credential");
        Files.writeString(credential, "ws-lab.s3cret-of-the-workstation\n");
        Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));

        try (Xvfb x = Xvfb.start(dir.resolve("xvfb.log")); Ingest ingest = new Ingest(dir.resolve("ingest.log"))) {
            x.input("mousemove", "20", "20");
            String java = TestJvm.command(WorkstationXvfbIT.class).getFirst();
            ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString(), "workstation",
                    "--server", "http://127.0.0.1:" + ingest.port, "--credential-file", credential.toString(),
                    "--site", "lab", "--user", "LAB\\tester", "--idle-source", "x11",
                    "--idle-after", IDLE_AFTER.toMillis() + "ms", "--poll", POLL.toMillis() + "ms", "--resend", "1s",
                    "--heartbeat", "5s", "--outbox", dir.resolve("outbox").toString());
            pb.environment().put("DISPLAY", x.display());
            Path agentErr = dir.resolve("agent.err");
            Path agentOut = dir.resolve("agent.out");
            Process agent = pb.redirectOutput(agentOut.toFile()).redirectError(agentErr.toFile()).start();
            try {
                // Keep the display busy until the agent has said working.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    x.input("mousemove_relative", "--", "1", "1");
                    assertThat(ingest.workstation()).startsWith("logon", "working");
                });
                x.input("mousemove", "30", "30");
                Instant lastInput = Instant.now();

                // No input: stopped once idle reaches the threshold, not before.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(ingest.transitions()).containsExactly("working", "stopped"));
                Duration toStopped = Duration.between(lastInput, ingest.firstTime(WorkstationState.STOPPED, lastInput));
                System.out.printf("stopped %d ms after the last input (threshold %d ms, poll %d ms)%n",
                        toStopped.toMillis(), IDLE_AFTER.toMillis(), POLL.toMillis());
                assertThat(toStopped).isBetween(IDLE_AFTER.minusMillis(300), IDLE_AFTER.plus(POLL).plusSeconds(2));
                // While stopped, stopped is repeated (the re-send), never working.
                await().atMost(Duration.ofSeconds(10)).until(() -> ingest.events.stream().filter(e ->
                        e.data() instanceof WorkstationStateChanged w && w.state() == WorkstationState.STOPPED).count() >= 2);
                assertThat(ingest.transitions()).containsExactly("working", "stopped");

                // A key press (xdotool): working again at the next poll.
                Instant pressed = Instant.now();
                x.input("key", "shift");
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                        assertThat(ingest.transitions()).containsExactly("working", "stopped", "working"));
                Duration toWorking = Duration.between(pressed, ingest.firstTime(WorkstationState.WORKING, pressed));
                System.out.printf("working %d ms after the key press%n", toWorking.toMillis());
                assertThat(toWorking).isLessThan(POLL.plusSeconds(2));
                assertThat(ingest.events).anySatisfy(e -> assertThat(e.data()).isInstanceOfSatisfying(AgentHeartbeat.class,
                        h -> assertThat(h.agentId()).isEqualTo("ws-lab")));

                agent.destroy(); // SIGTERM, as logout does to the user's systemd unit
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(ingest.workstation()).endsWith("logoff", "stopped"));
                assertThat(ingest.transitions()).containsExactly("working", "stopped", "working", "stopped");
                // the last heartbeat says the stop was deliberate: the night after a logoff is no outage
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ingest.events)
                        .filteredOn(e -> e.data() instanceof AgentHeartbeat).last()
                        .satisfies(e -> assertThat(((AgentHeartbeat) e.data()).stopping()).isTrue()));
                assertThat(ingest.events).filteredOn(e -> e.data() instanceof AgentHeartbeat h && h.stopping()).hasSize(1);

                assertThat(ingest.authorizations).containsOnly("Bearer ws-lab.s3cret-of-the-workstation");
                assertThat(ingest.events).allSatisfy(e -> {
                    assertThat(e.site()).isEqualTo("lab");
                    assertThat(e.source()).isEqualTo("agent/ws-lab");
                });
                assertThat(ingest.events).filteredOn(e -> e.data() instanceof WorkstationStateChanged)
                        .allSatisfy(e -> assertThat(((WorkstationStateChanged) e.data()).user()).isEqualTo("LAB\\tester"));
                String log = Files.readString(agentErr);
                System.out.println("agent log:\n" + log);
                assertThat(log).contains("workstation collector for LAB\\tester", "X11 screen-saver extension on display "
                        + x.display(), "LAB\\tester stopped", "LAB\\tester working");
                // (not its "stopping" line: Quarkus's shutdown hook may close logging first; the events above count)
                assertThat(log).doesNotContain("s3cret");
                assertThat(agentOut).as("stdout stays empty: logs go to stderr").isEmptyFile();
            } finally {
                agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
