package dev.rollcall.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentCredentialTest {

    @TempDir
    Path dir;

    private Path file(String content, String mode) throws IOException {
        Path f = dir.resolve("agent.credential");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void readsAnOwnerOnlyFile() throws IOException {
        AgentCredential c = AgentCredential.read(file("hq-office-1.Zm9vYmFy.c2VjcmV0\n", "rw-------"));

        assertThat(c.agentId()).isEqualTo("hq-office-1");
        assertThat(c.bearerToken()).isEqualTo("hq-office-1.Zm9vYmFy.c2VjcmV0");
        assertThat(c.toString()).doesNotContain("Zm9vYmFy").contains("hq-office-1");
        assertThat(AgentCredential.read(file("a.b", "r--------")).agentId()).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw------x"})
    void refusesAFileOthersMayReadOrWrite(String mode) throws IOException {
        Path f = file("hq-office-1.secret", mode);

        assertThatThrownBy(() -> AgentCredential.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accessible to others than its owner").hasMessageContaining("chmod 600 " + f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no-dot", ".secret", "agent.", "agent id.secret", "agent.sec ret", "agent.secret\nsecond"})
    void refusesWhatIsNotAgentIdDotSecret(String text) {
        assertThatThrownBy(() -> AgentCredential.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<agentId>.<secret>");
    }
}
