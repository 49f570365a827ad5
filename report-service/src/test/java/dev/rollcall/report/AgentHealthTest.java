package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentHealthTest {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void eachStateAndItsBoundaries() {
        assertThat(AgentHealth.of(null, NOW)).isEqualTo(AgentHealth.UNKNOWN);
        assertThat(AgentHealth.of(NOW, NOW)).isEqualTo(AgentHealth.HEALTHY);
        assertThat(AgentHealth.of(NOW.plusSeconds(30), NOW)).isEqualTo(AgentHealth.HEALTHY);
        assertThat(AgentHealth.of(NOW.minusSeconds(349), NOW)).isEqualTo(AgentHealth.HEALTHY);
        assertThat(AgentHealth.of(NOW.minusSeconds(350), NOW)).isEqualTo(AgentHealth.DEGRADED);
        assertThat(AgentHealth.of(NOW.minusSeconds(700), NOW)).isEqualTo(AgentHealth.DEGRADED);
        assertThat(AgentHealth.of(NOW.minusSeconds(701), NOW)).isEqualTo(AgentHealth.OFFLINE);
        // the verdict moves with the clock: the same heartbeat, later
        Instant beat = NOW.minusSeconds(100);
        assertThat(AgentHealth.of(beat, NOW)).isEqualTo(AgentHealth.HEALTHY);
        assertThat(AgentHealth.of(beat, NOW.plusSeconds(700))).isEqualTo(AgentHealth.OFFLINE);
    }

    @Test
    void theThresholdsAreConfigurableAndKeepTheirBoundaries() {
        AgentHealth.Thresholds fast = new AgentHealth.Thresholds(Duration.ofSeconds(3), Duration.ofSeconds(6));
        assertThat(AgentHealth.of(null, NOW, fast)).isEqualTo(AgentHealth.UNKNOWN);
        assertThat(AgentHealth.of(NOW.minusMillis(2999), NOW, fast)).isEqualTo(AgentHealth.HEALTHY);
        assertThat(AgentHealth.of(NOW.minusSeconds(3), NOW, fast)).isEqualTo(AgentHealth.DEGRADED);
        assertThat(AgentHealth.of(NOW.minusSeconds(6), NOW, fast)).isEqualTo(AgentHealth.DEGRADED);
        assertThat(AgentHealth.of(NOW.minusMillis(6001), NOW, fast)).isEqualTo(AgentHealth.OFFLINE);
        assertThatThrownBy(() -> new AgentHealth.Thresholds(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .hasMessageContaining("healthy-under <= offline-after");
        assertThat(AgentHealth.Thresholds.DEFAULT).isEqualTo(new AgentHealth.Thresholds(Duration.ofSeconds(350), Duration.ofSeconds(700)));
    }

    @Test
    void aWorkstationAgentSignedOffIsStoppedWhateverItsAgeOthersKeepTheirHealth() {
        var t = AgentHealth.Thresholds.DEFAULT;
        // a workstation agent (no presence) whose last heartbeat was stopping: STOPPED, a minute or a night later
        assertThat(AgentHealth.of(NOW.minusSeconds(60), true, false, NOW, t)).isEqualTo(AgentHealth.STOPPED);
        assertThat(AgentHealth.of(NOW.minusSeconds(14 * 3600), true, false, NOW, t)).isEqualTo(AgentHealth.STOPPED);
        // a network agent stopped on purpose still leaves presence unknown: the usual thresholds
        assertThat(AgentHealth.of(NOW.minusSeconds(349), true, true, NOW, t)).isEqualTo(AgentHealth.HEALTHY);
        assertThat(AgentHealth.of(NOW.minusSeconds(700), true, true, NOW, t)).isEqualTo(AgentHealth.DEGRADED);
        assertThat(AgentHealth.of(NOW.minusSeconds(701), true, true, NOW, t)).isEqualTo(AgentHealth.OFFLINE);
        // a workstation agent that did not stop deliberately: the usual thresholds
        assertThat(AgentHealth.of(NOW.minusSeconds(701), false, false, NOW, t)).isEqualTo(AgentHealth.OFFLINE);
        assertThat(AgentHealth.of(null, true, false, NOW, t)).isEqualTo(AgentHealth.UNKNOWN);
    }
}
