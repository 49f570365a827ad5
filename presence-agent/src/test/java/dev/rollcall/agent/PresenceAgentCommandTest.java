package dev.rollcall.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

@QuarkusMainTest
class PresenceAgentCommandTest {

    // Filtered in by Surefire from the pom, so the test does not hard-code the version it checks.
    private static final String PROJECT_VERSION = System.getProperty("rollcall.project.version");

    @Test
    void versionPrintsTheProjectVersion(QuarkusMainLauncher launcher) {
        AgentRun run = AgentRun.launch(launcher, "--version");

        assertThat(run.exitCode()).isZero();
        assertThat(PROJECT_VERSION).isNotBlank();
        assertThat(run.stdout().strip()).isEqualTo("presence-agent " + PROJECT_VERSION);
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void helpDescribesTheAgentAndItsOptions(QuarkusMainLauncher launcher) {
        AgentRun run = AgentRun.launch(launcher, "--help");

        assertThat(run.exitCode()).isZero();
        // Picocli wraps the description to the terminal width, so compare words, not line breaks.
        assertThat(run.stdout().replaceAll("\\s+", " "))
                .contains("Usage: presence-agent")
                .contains("ARP/neighbour table")
                .contains("durable local outbox")
                .contains("workstation-ingest")
                .contains("--help", "--version");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void withoutArgumentsPrintsUsageAndSucceeds(QuarkusMainLauncher launcher) {
        AgentRun run = AgentRun.launch(launcher);

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: presence-agent");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageError(QuarkusMainLauncher launcher) {
        AgentRun run = AgentRun.launch(launcher, "--frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("Unknown option: '--frobnicate'");
        assertThat(run.stdout()).doesNotContain("Usage:");
    }
}
