package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollcall.agent.AgentRun;
import dev.rollcall.testsupport.TempDirs;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code presence-agent network} as an operator meets it: the help, and every configuration mistake refused
 * before anything runs, with a message that says what to do (exit code 2, nothing on stdout).
 */
@QuarkusMainTest
class NetworkCommandTest {

    /** A subnet every Linux machine has, so the checks after the subnet's are reached. */
    private static final String[] LOOPBACK = {"--subnet", "127.0.0.0/30", "--interface", "lo", "--method", "neighbour"};

    private static Path credential(String mode) throws IOException {
        Path f = TempDirs.create("agent-cred").resolve("agent.credential");
        Files.writeString(f, "hq-office-1.s3cret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private static String[] args(String... extra) {
        List<String> all = new ArrayList<>(List.of("network"));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    /** A complete configuration, with some options replaced by {@code overrides} ({@code --option value} pairs). */
    private static String[] complete(Path credential, String... overrides) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < LOOPBACK.length; i += 2) {
            options.put(LOOPBACK[i], LOOPBACK[i + 1]);
        }
        options.put("--server", "https://ingest.example.com");
        options.put("--credential-file", credential.toString());
        options.put("--site", "hq");
        options.put("--outbox", TempDirs.create("agent-outbox").toString());
        for (int i = 0; i < overrides.length; i += 2) {
            options.put(overrides[i], overrides[i + 1]);
        }
        List<String> all = new ArrayList<>();
        options.forEach((k, v) -> all.addAll(List.of(k, v)));
        return args(all.toArray(String[]::new));
    }

    private static void assertRefused(AgentRun run, String... messageParts) {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("presence-agent network: ").contains(messageParts)
                .contains("presence-agent network --help");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void helpListsTheOptionsWithTheirConfiguredDefaults(QuarkusMainLauncher launcher) {
        AgentRun run = AgentRun.launch(launcher, "network", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout().replaceAll("\\s+", " "))
                .contains("Usage: presence-agent network")
                .contains("--server=URL", "--credential-file=PATH", "--site=ID", "--subnet=CIDR", "--interface=NAME",
                        "--allow-large", "--interval=DURATION", "--offline-after=SCANS", "--heartbeat=DURATION",
                        "--outbox=DIR", "--outbox-max=EVENTS", "--ca-bundle=PEM", "--method=METHOD", "--once")
                .contains("time between scans Default: 60s")
                .contains("before a device is offline Default: 2")
                .contains("time between heartbeats Default: 5m")
                .contains("AGENT_OUTBOX_MAX");
    }

    @Test
    void theTopCommandNamesTheNetworkCollector(QuarkusMainLauncher launcher) {
        AgentRun run = AgentRun.launch(launcher, "--help");
        assertThat(run.stdout()).contains("network");
    }

    @Test
    void aSubnetIsRequired(QuarkusMainLauncher launcher) {
        assertRefused(AgentRun.launch(launcher, args()), "--subnet is required");
    }

    @Test
    void anAbsurdlyLargeSubnetIsRefusedUnlessAllowed(QuarkusMainLauncher launcher) {
        assertRefused(AgentRun.launch(launcher, args("--subnet", "10.0.0.0/16")), "65534 host addresses",
                "--allow-large");
        assertRefused(AgentRun.launch(launcher, args("--subnet", "10.0.0.0/8", "--allow-large")), "at most 65534");
    }

    @Test
    void aSubnetMustBeOnALocalLink(QuarkusMainLauncher launcher) {
        assertRefused(AgentRun.launch(launcher, args("--subnet", "198.51.100.0/24", "--method", "neighbour")),
                "198.51.100.0/24 is on none of this machine's interfaces");
        assertRefused(AgentRun.launch(launcher, args("--subnet", "198.51.100.0/24", "--interface", "lo")),
                "198.51.100.0/24 is not on interface lo");
        assertRefused(AgentRun.launch(launcher, args("--subnet", "10.0.0.0/24", "--interface", "nosuch0")),
                "no network interface 'nosuch0'");
    }

    @Test
    void aCredentialFileOthersCanReadIsRefused(QuarkusMainLauncher launcher) throws IOException {
        Path open = credential("rw-r--r--");
        assertRefused(AgentRun.launch(launcher, complete(open)), "chmod 600 " + open);
    }

    @Test
    void theCredentialNeverGoesOutInClearText(QuarkusMainLauncher launcher) throws IOException {
        assertRefused(AgentRun.launch(launcher, complete(credential("rw-------"), "--server", "http://ingest.example.com")),
                "clear text");
    }

    @Test
    void requiredSettingsAndNonsenseValuesAreNamed(QuarkusMainLauncher launcher) throws IOException {
        Path cred = credential("rw-------");
        assertRefused(AgentRun.launch(launcher, args(LOOPBACK)), "--server is required");
        assertRefused(AgentRun.launch(launcher, complete(cred, "--site", "Head Office")), "--site");
        assertRefused(AgentRun.launch(launcher, complete(cred, "--interval", "0s")), "--interval must be at least 1s");
        assertRefused(AgentRun.launch(launcher, complete(cred, "--heartbeat", "often")), "--heartbeat must be a duration");
        assertRefused(AgentRun.launch(launcher, complete(cred, "--offline-after", "0")), "--offline-after");
        assertRefused(AgentRun.launch(launcher, complete(cred, "--outbox-max", "0")), "--outbox-max");
        assertRefused(AgentRun.launch(launcher, complete(cred, "--method", "nmap")), "--method must be");
        assertRefused(AgentRun.launch(launcher, complete(Path.of("/nonexistent/agent.credential"))), "no such file");
    }

    @Test
    void onceScansAndPrintsWithoutAServer(QuarkusMainLauncher launcher) {
        AgentRun run = AgentRun.launch(launcher, args("--once", "--settle", "10ms", "--subnet", "127.0.0.0/30",
                "--interface", "lo", "--method", "neighbour"));

        // Loopback has no ARP: nothing to print, but a clean run. (The in-process launcher folds log lines into
        // what it calls output; the packaged agent writes them to stderr, as NetworkCommandIT shows.)
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().lines().filter(l -> !l.contains(" INFO "))).isEmpty();
    }
}
