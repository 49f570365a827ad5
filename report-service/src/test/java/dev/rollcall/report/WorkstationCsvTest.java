package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkstationCsvTest {

    @Test
    void oneRowPerUserDayUnderTheHeader() {
        Instant first = Instant.parse("2026-03-10T08:00:00Z");
        Instant last = Instant.parse("2026-03-10T10:01:30Z");
        String csv = WorkstationCsv.of(List.of(
                new UserDay(LocalDate.of(2026, 3, 10), "ACME\\alice", 5, first, last, "stopped",
                        new WorkingTime(7290, 3, first, last), false),
                new UserDay(LocalDate.of(2026, 3, 10), "bob", 1, first, first, "stopped", WorkingTime.NONE, false)));

        assertThat(csv).isEqualTo("username,work_date,working_minutes,real_work_hours,first_activity,last_activity\r\n"
                + "ACME\\alice,2026-03-10,121,3,2026-03-10T08:00:00Z,2026-03-10T10:01:30Z\r\n"
                + "bob,2026-03-10,0,0,,\r\n");
    }

    @Test
    void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(WorkstationCsv.field("doe, jane")).isEqualTo("\"doe, jane\"");
        assertThat(WorkstationCsv.field("the \"boss\"")).isEqualTo("\"the \"\"boss\"\"\"");
        assertThat(WorkstationCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(WorkstationCsv.field("plain")).isEqualTo("plain");
        assertThat(WorkstationCsv.field("")).isEmpty();
    }

    @Test
    void aFieldASpreadsheetWouldRunAsAFormulaStaysText() {
        assertThat(WorkstationCsv.field("=1+1")).isEqualTo("'=1+1");
        assertThat(WorkstationCsv.field("+1")).isEqualTo("'+1");
        assertThat(WorkstationCsv.field("-1")).isEqualTo("'-1");
        assertThat(WorkstationCsv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(WorkstationCsv.field("\tx")).isEqualTo("'\tx");
        assertThat(WorkstationCsv.field("\rx")).isEqualTo("\"'\rx\"");
        assertThat(WorkstationCsv.field("=HYPERLINK(\"http://x\",\"y\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assertThat(WorkstationCsv.field("a=b")).isEqualTo("a=b");
    }
}
