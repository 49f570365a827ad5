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
                new UserDay(LocalDate.of(2026, 3, 10), "bob", 1, first, first, "stopped", WorkingTime.NONE, false))).toString();

        assertThat(csv).isEqualTo("username,work_date,working_minutes,real_work_hours,first_activity,last_activity\r\n"
                + "ACME\\alice,2026-03-10,121,3,2026-03-10T08:00:00Z,2026-03-10T10:01:30Z\r\n"
                + "bob,2026-03-10,0,0,,\r\n");
    }
}
