package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashTest {

    @Test
    void theRightPasswordMatchesAndNothingElseDoes() {
        String stored = PasswordHash.hash("correct horse battery", 1000);
        assertThat(stored).startsWith("pbkdf2-sha256$1000$");
        assertThat(PasswordHash.matches("correct horse battery", stored)).isTrue();
        assertThat(PasswordHash.matches("correct horse batterY", stored)).isFalse();
        assertThat(PasswordHash.matches("", stored)).isFalse();
        assertThat(PasswordHash.matches(null, stored)).isFalse();
        // salted: the same password hashes differently each time
        assertThat(PasswordHash.hash("correct horse battery", 1000)).isNotEqualTo(stored);
        // the iteration count travels with the hash
        assertThat(PasswordHash.matches("correct horse battery", PasswordHash.hash("correct horse battery", 2000))).isTrue();
    }

    @Test
    void aMalformedHashMatchesNothing() {
        for (String bad : new String[] {"", "plain", "pbkdf2-sha256$x$y$z", "md5$1$AA$AA", "pbkdf2-sha256$1000$!!$!!"}) {
            assertThat(PasswordHash.matches("anything", bad)).as(bad).isFalse();
        }
    }

    @Test
    void newPasswordsMustBeLongEnough() {
        assertThat(PasswordHash.weakness("short")).contains("at least 12");
        assertThat(PasswordHash.weakness(null)).contains("at least 12");
        assertThat(PasswordHash.weakness("twelve chars")).isNull();
        assertThat(PasswordHash.weakness("x".repeat(201))).contains("at most 200");
    }
}
