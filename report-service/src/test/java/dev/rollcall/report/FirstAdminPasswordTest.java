package dev.rollcall.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first admin's password from the environment or a file obeys the same rule as the account form's. */
class FirstAdminPasswordTest {

    @Test
    void aWeakPasswordFromTheEnvironmentStopsTheStartSayingWhatToChange() {
        assertThatThrownBy(() -> Accounts.firstAdminPassword(Optional.of("s3cr3t"), Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("REPORT_AUTH_FIRST_ADMIN_PASSWORD")
                .hasMessageContaining("too weak")
                .hasMessageContaining("at least " + PasswordHash.MIN_PASSWORD_LENGTH + " characters")
                .hasMessageNotContaining("s3cr3t");  // the message may be logged
    }

    @Test
    void aWeakOrEmptyPasswordFileStopsTheStartNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("admin-password");
        Files.writeString(file, "short\n");
        assertThatThrownBy(() -> Accounts.firstAdminPassword(Optional.empty(), Optional.of(file)))
                .hasMessageContaining(file.toString()).hasMessageContaining("too weak");
        Files.writeString(file, "   \n");
        assertThatThrownBy(() -> Accounts.firstAdminPassword(Optional.empty(), Optional.of(file)))
                .hasMessageContaining("too weak");
    }

    @Test
    void aStrongOneIsTakenAndNoneLeavesNoAdminToMake(@TempDir Path dir) throws Exception {
        assertThat(Accounts.firstAdminPassword(Optional.of(" system-tests-admin-password "), Optional.empty()))
                .contains("system-tests-admin-password");
        // what make run writes: 18 random bytes in base64 without / + =
        Path file = dir.resolve("admin-password");
        Files.writeString(file, "q3ZkT0m9xYh2LwB7cN4s\n");
        assertThat(Accounts.firstAdminPassword(Optional.empty(), Optional.of(file))).contains("q3ZkT0m9xYh2LwB7cN4s");
        assertThat(Accounts.firstAdminPassword(Optional.empty(), Optional.of(dir.resolve("absent")))).isEmpty();
        assertThat(Accounts.firstAdminPassword(Optional.empty(), Optional.empty())).isEmpty();
    }
}
