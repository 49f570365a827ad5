package dev.rollcall.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationOptionTest {

    @Test
    void readsDurationsAsPeopleWriteThem() {
        assertThat(DurationOption.parse("--interval", "60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(DurationOption.parse("--interval", "90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationOption.parse("--heartbeat", " 5m ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationOption.parse("--heartbeat", "1H")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationOption.parse("--settle", "750ms")).isEqualTo(Duration.ofMillis(750));
        assertThat(DurationOption.parse("--interval", "PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationOption.parse("--interval", "pt2m")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void namesTheOptionWhenItCannot() {
        assertThatThrownBy(() -> DurationOption.parse("--interval", "a minute"))
                .hasMessage("--interval must be a duration like 500ms, 60s, 5m or 1h, got 'a minute'");
        assertThatThrownBy(() -> DurationOption.parse("--interval", null)).hasMessageContaining("--interval");
        assertThatThrownBy(() -> DurationOption.parse("--interval", "-5s")).hasMessageContaining("--interval");
    }
}
