package dev.rollcall.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class TempDirsTest {

    @Test
    void theDirectoriesMadeAreOwnerOnlyAndGoWithEverythingInThem() throws Exception {
        Path a = TempDirs.create("tempdirs-test");
        Path b = TempDirs.create("tempdirs-test");
        assertThat(a).isNotEqualTo(b).isDirectory().startsWith(Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rwx------");
        Files.createDirectories(a.resolve("state/keys"));
        Files.writeString(a.resolve("state/keys/agent.credential"), "ws-0042.s3cret\n");
        Files.writeString(a.resolve("outbox.log"), "{}\n");
        TempDirs.deleteTree(b); // removed early: nothing left to remove at exit, and no error for it
        Path elsewhere = Files.createTempDirectory("tempdirs-test-not-ours");
        try {
            TempDirs.deleteAll();
            assertThat(a).doesNotExist();
            assertThat(b).doesNotExist();
            assertThat(elsewhere).as("only the directories it made").isDirectory();
        } finally {
            TempDirs.deleteTree(elsewhere);
        }
        assertThat(elsewhere).doesNotExist();
    }
}
