package dev.rollcall.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The workstation agent's session events: golden sample both ways, every kind round-trips, bad kinds are named. */
class WorkstationSessionChangedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final EventEnvelope LOCK = EventEnvelope.of(UUID.fromString("5e2a9c1b-7d3f-4b6a-8c2e-1f0a9b8c7d6e"),
            "agent/hq-pc-0042", Instant.parse("2026-11-20T12:01:07.250Z"), "hq", "ACME\\jdoe",
            new WorkstationSessionChanged("ACME\\jdoe", "PC-0042", WorkstationSessionKind.LOCK));

    @Test
    void goldenSampleDecodesToTheRecordAndTheRecordEncodesToIt() throws IOException {
        assertThat(EventCodec.decode(golden())).isEqualTo(LOCK);
        assertThat(JSON.readTree(EventCodec.encode(LOCK))).isEqualTo(JSON.readTree(golden()));
        assertThat(LOCK.data().topic()).isEqualTo(Topic.WORKSTATION);
    }

    @ParameterizedTest
    @EnumSource(WorkstationSessionKind.class)
    void everyKindRoundTripsWithAndWithoutHost(WorkstationSessionKind kind) {
        for (String host : new String[] {"ws-7", null}) {
            EventEnvelope e = EventEnvelope.of(UUID.randomUUID(), "agent/a", Instant.parse("2026-11-20T08:00:00Z"), "hq",
                    "jdoe", new WorkstationSessionChanged("jdoe", host, kind));
            assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
            assertThat(EventCodec.toTree(e).get("data").get("kind").textValue()).isEqualTo(kind.wire());
        }
    }

    @Test
    void onlyLogoffLockSuspendAndShutdownEndWork() {
        assertThat(java.util.Arrays.stream(WorkstationSessionKind.values()).filter(WorkstationSessionKind::endsWork))
                .containsExactly(WorkstationSessionKind.LOGOFF, WorkstationSessionKind.LOCK, WorkstationSessionKind.SUSPEND,
                        WorkstationSessionKind.SHUTDOWN);
    }

    @Test
    void anUnknownOrMissingKindOrUserIsRefusedWithAReason() throws IOException {
        ObjectNode napping = (ObjectNode) JSON.readTree(golden());
        ((ObjectNode) napping.get("data")).put("kind", "napping");
        assertThatThrownBy(() -> EventCodec.fromTree(napping)).isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("kind must be one of 'logon', 'logoff', 'lock', 'unlock', 'suspend', 'resume', "
                        + "'boot', 'shutdown', got 'napping'");
        ObjectNode noKind = (ObjectNode) JSON.readTree(golden());
        ((ObjectNode) noKind.get("data")).remove("kind");
        assertThatThrownBy(() -> EventCodec.fromTree(noKind)).isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("kind is required");
        ObjectNode noUser = (ObjectNode) JSON.readTree(golden());
        ((ObjectNode) noUser.get("data")).put("user", " ");
        assertThatThrownBy(() -> EventCodec.fromTree(noUser)).isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("user");
        JsonNode ok = JSON.readTree(golden());
        assertThat(EventCodec.fromTree(ok).data()).isInstanceOf(WorkstationSessionChanged.class);
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = getResource()) {
            assertThat(in).as("golden sample").isNotNull();
            return in.readAllBytes();
        }
    }

    private static InputStream getResource() {
        return WorkstationSessionChangedTest.class.getResourceAsStream("/golden/workstation-session-changed.v1.json");
    }
}
