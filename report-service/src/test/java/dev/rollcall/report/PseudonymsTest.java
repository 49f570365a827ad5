package dev.rollcall.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PseudonymsTest {

    private static final String KEY = "a-test-key-that-is-long-enough-to-use-0123";

    @Test
    void aPseudonymIsStablePerSiteAndEmployeeAndDependsOnTheKey() {
        Pseudonyms p = new Pseudonyms(KEY);

        assertThat(p.of("hq", "E-17")).matches("[0-9A-HJKMNP-TV-Z]{6}")
                .isEqualTo(new Pseudonyms(KEY).of("hq", "E-17"))
                .isNotEqualTo(p.of("hq", "E-18"))
                .isNotEqualTo(p.of("berlin", "E-17"))
                .isNotEqualTo(new Pseudonyms(KEY + "x").of("hq", "E-17"));
        // the separator keeps ("hq", "1E") and ("hq1", "E") apart
        assertThat(p.of("hq", "1E")).isNotEqualTo(p.of("hq1", "E"));
    }

    @Test
    void theLabelIsThePseudonymUnlessRealNamesAreShown() {
        Employee hidden = new Pseudonyms(KEY).employee("hq", "E-17", "Ada Lovelace");  // outside a revealed request
        assertThat(hidden.label()).isEqualTo("Employee " + hidden.pseudonym()).doesNotContain("Ada");
        assertThat(hidden.name()).isNull();
        assertThat(hidden.id()).isNull();

        Employee shown = new Pseudonyms(KEY).employee("hq", "E-17", "Ada Lovelace", true);
        assertThat(shown.label()).isEqualTo("Ada Lovelace");
        assertThat(shown.id()).isEqualTo("E-17");
        assertThat(shown.pseudonym()).isEqualTo(hidden.pseudonym());
        assertThat(new Pseudonyms(KEY).employee("hq", "E-99", null, true).label()).startsWith("Employee ");
    }

    @Test
    void aConfiguredKeyMustBeLongEnough(@TempDir Path dir) {
        assertThat(Pseudonyms.key(Optional.of(" " + KEY + "\n"), dir.resolve("unused"))).isEqualTo(KEY);
        assertThatThrownBy(() -> Pseudonyms.key(Optional.of("secret"), dir.resolve("unused")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("report.pseudonym-key is too short")
                .hasMessageContaining("at least 32");
        assertThat(dir.resolve("unused")).doesNotExist();
    }

    @Test
    void withoutAConfiguredKeyTheInstallMakesItsOwnOnceAndKeepsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rollcall/report-pseudonym.key");

        String made = Pseudonyms.key(Optional.empty(), file);
        assertThat(made).hasSizeGreaterThanOrEqualTo(Pseudonyms.MIN_KEY_LENGTH);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Pseudonyms.key(Optional.empty(), file)).isEqualTo(made);
        assertThat(Pseudonyms.key(Optional.empty(), dir.resolve("another.key"))).isNotEqualTo(made);
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void aKeyThatCannotBeKeptStopsTheStartSayingWhatToSet(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> Pseudonyms.key(Optional.empty(), notADirectory.resolve("key")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot keep a pseudonym key in")
                .hasMessageContaining("set report.pseudonym-key");
        Path empty = Files.writeString(dir.resolve("empty.key"), "\n");
        assertThatThrownBy(() -> Pseudonyms.key(Optional.empty(), empty))
                .hasMessageContaining("the key in " + empty + " is empty");
    }
}
