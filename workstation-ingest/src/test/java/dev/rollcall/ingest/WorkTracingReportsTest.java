package dev.rollcall.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkTracingReportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2024-05-10T12:00:00Z");
    private static final UUID ID = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private final WorkTracingReports reports = new WorkTracingReports("hq", ZoneId.of("Europe/Berlin"),
            new TimeBounds(Period.ofDays(400), Duration.ofHours(1)));

    @Test
    void aFullReportBecomesAWorkstationEvent() throws Exception {
        var e = reports.toEvent(JSON.readTree("{\"user\":\"ACME\\\\jdoe\",\"state\":\"working\",\"ts\":\"2024-05-10T10:20:30Z\"}"), NOW, ID);
        assertThat(e.id()).isEqualTo(ID);
        assertThat(e.site()).isEqualTo("hq");
        assertThat(e.subject()).isEqualTo("ACME\\jdoe");
        assertThat(e.time()).isEqualTo(Instant.parse("2024-05-10T10:20:30Z"));
        assertThat(e.source()).isEqualTo("ingest/work-tracing");
        assertThat(e.data()).isEqualTo(new WorkstationStateChanged("ACME\\jdoe", null, WorkstationState.WORKING));
    }

    @Test
    void withoutTsTheServersTimeIsUsed() throws Exception {
        var e = reports.toEvent(JSON.readTree("{\"user\":\"jdoe\",\"state\":\"stopped\"}"), NOW, ID);
        assertThat(e.time()).isEqualTo(NOW);
        assertThat(reports.toEvent(JSON.readTree("{\"user\":\"jdoe\",\"state\":\"stopped\",\"ts\":null}"), NOW, ID).time()).isEqualTo(NOW);
    }

    @ParameterizedTest
    @CsvSource({
            // a local time is read in the site's zone, summer (UTC+2) and winter (UTC+1)
            "2024-05-10T12:20:30,        2024-05-10T10:20:30Z",
            "2024-01-15T09:00:00,        2024-01-15T08:00:00Z",
            "2024-05-10T12:20:30+02:00,  2024-05-10T10:20:30Z",
            "2024-05-10T10:20:30.123Z,   2024-05-10T10:20:30.123Z",
    })
    void timesWithAndWithoutOffset(String ts, String expected) throws Exception {
        var e = reports.toEvent(JSON.readTree("{\"user\":\"u\",\"state\":\"working\",\"ts\":\"" + ts + "\"}"), NOW, ID);
        assertThat(e.time()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]                                                          | the body must be a JSON object",
            "{\"state\":\"working\"}                                     | user is required",
            "{\"user\":\"  \",\"state\":\"working\"}                     | user must not be blank",
            "{\"user\":42,\"state\":\"working\"}                         | user must be a string",
            "{\"user\":\"u\"}                                            | state is required",
            "{\"user\":\"u\",\"state\":\"idle\"}                         | state must be one of 'working' or 'stopped', got 'idle'",
            "{\"user\":\"u\",\"state\":\"working\",\"ts\":\"soon\"}      | ts 'soon' is not an ISO-8601 time",
            "{\"user\":\"u\",\"state\":\"working\",\"ts\":1715336430}    | ts must be an ISO-8601 time string",
            "{\"user\":\"u\",\"state\":\"working\",\"ts\":\"1970-01-01T00:00:00Z\"} | is more than 400 days in the past",
            "{\"user\":\"u\",\"state\":\"working\",\"ts\":\"2024-05-10T13:00:01Z\"} | is in the future",
            "{\"user\":\"u\\u0000x\",\"state\":\"working\"}              | user contains control characters",
    })
    void badReportsSayWhatIsWrong(String body, String message) throws Exception {
        var node = JSON.readTree(body);
        assertThatThrownBy(() -> reports.toEvent(node, NOW, ID))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message.strip());
    }

    @Test
    void theBoundsThemselvesAreAccepted() throws Exception {
        assertThat(reports.toEvent(JSON.readTree("{\"user\":\"u\",\"state\":\"working\",\"ts\":\"2024-05-10T13:00:00Z\"}"), NOW, ID).time())
                .isEqualTo(Instant.parse("2024-05-10T13:00:00Z"));
        assertThat(reports.toEvent(JSON.readTree("{\"user\":\"u\",\"state\":\"working\",\"ts\":\"2023-04-06T12:00:00Z\"}"), NOW, ID).time())
                .isEqualTo(Instant.parse("2023-04-06T12:00:00Z"));
        assertThatThrownBy(() -> reports.toEvent(JSON.readTree("{\"user\":\"u\",\"state\":\"working\",\"ts\":\"2023-04-06T11:59:59Z\"}"), NOW, ID))
                .hasMessageContaining("in the past");
    }

    @Test
    void aVeryLongUserIsRefused() throws Exception {
        String user = "x".repeat(300);
        assertThatThrownBy(() -> reports.toEvent(JSON.readTree("{\"user\":\"" + user + "\",\"state\":\"working\"}"), NOW, ID))
                .hasMessage("user is longer than 256 characters");
    }
}
