package dev.rollcall.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Enrollment and revocation of agents ({@code rollcall.agents}): golden samples both ways, and what they refuse. */
class EnrollmentEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void goldenSamplesDecodeAndEncode() throws IOException {
        JsonNode samples;
        try (InputStream in = getClass().getResourceAsStream("/golden/enrollment.v1.json")) {
            samples = JSON.readTree(in);
        }
        List<EventEnvelope> expected = List.of(
                EventEnvelope.of(UUID.fromString("0b6c1d2e-3f40-4a51-8b62-7c8d9e0f1a21"), "ingest/enrollment",
                        Instant.parse("2026-11-21T08:00:00Z"), "hq", "hq-7k2m9q4x", new AgentEnrolled("hq-7k2m9q4x", "office-pi")),
                EventEnvelope.of(UUID.fromString("0b6c1d2e-3f40-4a51-8b62-7c8d9e0f1a22"), "ingest/enrollment",
                        Instant.parse("2026-11-21T08:05:00Z"), "hq", "hq-p3n8w2ra", new AgentEnrolled("hq-p3n8w2ra", null)),
                EventEnvelope.of(UUID.fromString("0b6c1d2e-3f40-4a51-8b62-7c8d9e0f1a23"), "admin",
                        Instant.parse("2026-11-21T17:30:00Z"), "hq", "hq-7k2m9q4x", new AgentRevoked("hq-7k2m9q4x")));
        assertThat(samples.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(EventCodec.fromTree(samples.get(i))).isEqualTo(expected.get(i));
            assertThat(EventCodec.toTree(expected.get(i))).isEqualTo(samples.get(i));
            assertThat(expected.get(i).topic()).isEqualTo(Topic.AGENTS);
        }
    }

    @Test
    void agentIdsAreWhatACredentialCanCarry() {
        assertThatThrownBy(() -> new AgentEnrolled("has.dot", null)).hasMessageContaining("agentId");
        assertThatThrownBy(() -> new AgentEnrolled(" ", null)).hasMessageContaining("agentId");
        assertThatThrownBy(() -> new AgentRevoked("x".repeat(129))).hasMessageContaining("agentId");
        assertThat(new AgentEnrolled("hq-1", "  ").host()).isNull();
        assertThatThrownBy(() -> EventCodec.decode("{\"specversion\":\"1.0\",\"id\":\"0b6c1d2e-3f40-4a51-8b62-7c8d9e0f1a23\","
                + "\"type\":\"rollcall.agents.revoked.v1\",\"source\":\"admin\",\"time\":\"2026-11-21T17:30:00Z\","
                + "\"site\":\"hq\",\"data\":{}}")).isInstanceOf(EventDecodingException.class).hasMessageContaining("agentId");
    }
}
