package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void aHeaderThenRowsWithCrlfAndNullsAsEmptyFields() {
        String csv = Csv.withHeader("a", "b", "c").row("x", 1, null).row(LocalDate.of(2026, 3, 10), "", 2L).toString();
        assertThat(csv).isEqualTo("a,b,c\r\nx,1,\r\n2026-03-10,,2\r\n");
    }

    @Test
    void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(Csv.field("doe, jane")).isEqualTo("\"doe, jane\"");
        assertThat(Csv.field("the \"boss\"")).isEqualTo("\"the \"\"boss\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.field("plain")).isEqualTo("plain");
        assertThat(Csv.field("")).isEmpty();
    }

    @Test
    void aFieldASpreadsheetWouldRunAsAFormulaStaysText() {
        assertThat(Csv.field("=1+1")).isEqualTo("'=1+1");
        assertThat(Csv.field("+1")).isEqualTo("'+1");
        assertThat(Csv.field("-1")).isEqualTo("'-1");
        assertThat(Csv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.field("\tx")).isEqualTo("'\tx");
        assertThat(Csv.field("\rx")).isEqualTo("\"'\rx\"");
        assertThat(Csv.field("=HYPERLINK(\"http://x\",\"y\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assertThat(Csv.field("a=b")).isEqualTo("a=b");
    }
}
