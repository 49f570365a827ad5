package dev.rollcall.agent.workstation;

import dev.rollcall.agent.AgentRun;
import dev.rollcall.testsupport.TempDirs;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code presence-agent workstation} as an operator meets it: the help with work-tracing's defaults, each
 * configuration mistake refused before anything runs (exit 2), and a desktop without an idle source refused with a
 * message (exit 3), never silence.
 */
@QuarkusMainTest
class WorkstationCommandTest {

    private static Path credential() throws IOException {
        Path f = TempDirs.create("agent-cred").resolve("agent.credential");
        Files.writeString(f, "ws-0042.s3cret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static String[] complete(String... overrides) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--server", "https://ingest.example.com");
        options.put("--credential-file", credential().toString());
        options.put("--site", "hq");
        options.put("--outbox", TempDirs.create("agent-outbox").toString());
        // A logind session that exists nowhere: no idle source, whatever machine runs the test.
        options.put("--idle-source", "logind");
        options.put("--session", "no-such-session-zz9");
        for (int i = 0; i < overrides.length; i += 2) {
            options.put(overrides[i], overrides[i + 1]);
        }
        List<String> all = new ArrayList<>(List.of("workstation"));
        options.forEach((k, v) -> all.addAll(List.of(k, v)));
        return all.toArray(String[]::new);
    }

    private static void assertRefused(AgentRun run, String... messageParts) {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("presence-agent workstation: ").contains(messageParts)
                .contains("presence-agent workstation --help");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void helpListsTheOptionsWithWorkTracingsDefaults(QuarkusMainLauncher launcher) {
        AgentRun run = AgentRun.launch(launcher, "workstation", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout().replaceAll("\\s+", " "))
                .contains("Usage: presence-agent workstation")
                .contains("--server=URL", "--credential-file=PATH", "--site=ID", "--idle-after=DURATION",
                        "--poll=DURATION", "--resend=DURATION", "--heartbeat=DURATION", "--idle-source=SOURCE",
                        "--session=ID", "--user=NAME", "--outbox=DIR", "--outbox-max=EVENTS", "--ca-bundle=PEM", "--once")
                .contains("no input for this long means stopped Default: 10m")
                .contains("how often the idle time is read Default: 60s")
                .contains("how often the current state is sent again Default: 1m")
                .contains("as presence-agent enroll writes it")
                .contains("never which keys, windows or screen contents")
                .contains("AGENT_IDLE_AFTER");
        assertThat(AgentRun.launch(launcher, "--help").stdout()).contains("workstation");
    }

    @Test
    void mistakesAreRefusedWithWhatToFix(QuarkusMainLauncher launcher) throws IOException {
        assertRefused(AgentRun.launch(launcher, complete("--server", " ")), "--server is required");
        assertRefused(AgentRun.launch(launcher, complete("--site", "Not A Site")), "--site:");
        assertRefused(AgentRun.launch(launcher, complete("--idle-after", "soon")),
                "--idle-after must be a duration like 500ms, 60s, 5m or 1h, got 'soon'");
        assertRefused(AgentRun.launch(launcher, complete("--poll", "10ms")), "--poll must be at least 100ms");
        assertRefused(AgentRun.launch(launcher, complete("--server", "http://ingest.example.com")), "https");
        assertRefused(AgentRun.launch(launcher, complete("--credential-file", "/nonexistent/agent.credential")),
                "no such file: /nonexistent/agent.credential");
        assertRefused(AgentRun.launch(launcher, complete("--idle-source", "wayland")),
                "--idle-source must be one of auto, x11, logind, windows, got 'wayland'");
    }

    @Test
    void aDesktopWithoutAnIdleSourceExitsThreeWithAMessage(QuarkusMainLauncher launcher) throws IOException {
        AgentRun run = AgentRun.launch(launcher, complete());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stderr()).contains("presence-agent workstation: no systemd-logind session found");
        assertThat(run.stdout()).isEmpty();

        AgentRun x11 = AgentRun.launch(launcher, complete("--idle-source", "windows"));
        assertThat(x11.exitCode()).isEqualTo(3);
        assertThat(x11.stderr()).contains("--idle-source windows works only on Windows");
    }
}
