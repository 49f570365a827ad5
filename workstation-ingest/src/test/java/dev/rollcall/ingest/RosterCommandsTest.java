package dev.rollcall.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollcall.events.EmployeeUpdated;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The roster admin API's employee body: {@code workstationUsers} optional, absent leaves them unchanged. */
class RosterCommandsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final RosterCommands COMMANDS = new RosterCommands(new TimeBounds(Period.ofDays(400), Duration.ofHours(1)));
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    EmployeeUpdated employee(String body) throws Exception {
        return (EmployeeUpdated) COMMANDS.updateEmployee("hq", "e-1", JSON.readTree(body), "admin", NOW, UUID.randomUUID()).data();
    }

    @Test
    void workstationUsersAreOptional() throws Exception {
        assertThat(employee("{\"name\":\"Jane\",\"workstationUsers\":[\"ACME\\\\jdoe\",\"jdoe\"]}").workstationUsers())
                .containsExactly("ACME\\jdoe", "jdoe");
        assertThat(employee("{\"name\":\"Jane\",\"workstationUsers\":[]}").workstationUsers()).isEmpty();
        assertThat(employee("{\"name\":\"Jane\"}").workstationUsers()).isNull();
    }

    @Test
    void badWorkstationUsersAreRefusedWithTheField() {
        assertThatThrownBy(() -> employee("{\"name\":\"Jane\",\"workstationUsers\":\"jdoe\"}"))
                .isInstanceOf(InvalidInputException.class).hasMessage("workstationUsers must be an array of strings");
        assertThatThrownBy(() -> employee("{\"name\":\"Jane\",\"workstationUsers\":[\"jdoe\", 3]}"))
                .isInstanceOf(InvalidInputException.class).hasMessage("workstationUsers must be an array of strings");
        assertThatThrownBy(() -> employee("{\"name\":\"Jane\",\"workstationUsers\":[\"jdoe\",\"jdoe\"]}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("twice");
    }

    @Test
    void staffTraceIdsAreOptionalAndCheckedLikeEmployeeIds() throws Exception {
        assertThat(employee("{\"name\":\"Jane\",\"staffTraceIds\":[\"17\",\"jdoe-phone\"]}").staffTraceIds())
                .containsExactly("17", "jdoe-phone");
        assertThat(employee("{\"name\":\"Jane\",\"staffTraceIds\":[]}").staffTraceIds()).isEmpty();
        assertThat(employee("{\"name\":\"Jane\",\"workstationUsers\":[\"jdoe\"]}").staffTraceIds()).isNull();
        assertThatThrownBy(() -> employee("{\"name\":\"Jane\",\"staffTraceIds\":[\"a b\"]}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("staffTraceIds must be 1 to 64 letters");
        assertThatThrownBy(() -> employee("{\"name\":\"Jane\",\"staffTraceIds\":17}"))
                .isInstanceOf(InvalidInputException.class).hasMessage("staffTraceIds must be an array of strings");
    }
}
