package dev.rollcall.agent.workstation;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which idle source each OS and desktop gets, and the messages where none works. */
class IdleSourcesTest {

    record Named(String describe) implements IdleSource {
        @Override
        public Reading read() {
            return new Reading(Duration.ZERO, false);
        }
    }

    static final IdleSources.Openers ALL_WORK = new IdleSources.Openers(d -> new Named("x11 " + d),
            s -> Optional.of(new Named("logind " + s)), () -> new Named("windows"));
    static final IdleSources.Openers NO_LOGIND = new IdleSources.Openers(d -> new Named("x11 " + d),
            s -> Optional.empty(), () -> new Named("windows"));

    static String picked(String choice, Map<String, String> env, String os, IdleSources.Openers o) {
        return IdleSources.select(choice, null, env, os, o).describe();
    }

    @Test
    void windowsGetsGetLastInputInfo() {
        assertThat(picked("auto", Map.of(), "Windows 11", ALL_WORK)).isEqualTo("windows");
        assertThat(picked("windows", Map.of(), "Windows Server 2022", ALL_WORK)).isEqualTo("windows");
    }

    @Test
    void linuxX11GetsTheScreenSaverExtensionWaylandAndConsolesGetLogind() {
        assertThat(picked("auto", Map.of("DISPLAY", ":0", "XDG_SESSION_TYPE", "x11"), "Linux", ALL_WORK)).isEqualTo("x11 :0");
        assertThat(picked("auto", Map.of("DISPLAY", ":0", "XDG_SESSION_TYPE", "wayland"), "Linux", ALL_WORK))
                .isEqualTo("logind null");
        assertThat(picked("auto", Map.of("DISPLAY", ":1", "WAYLAND_DISPLAY", "wayland-0"), "Linux", ALL_WORK))
                .isEqualTo("logind null");
        assertThat(picked("auto", Map.of(), "Linux", ALL_WORK)).isEqualTo("logind null");
        assertThat(picked("x11", Map.of("DISPLAY", ":0", "XDG_SESSION_TYPE", "wayland"), "Linux", ALL_WORK)).isEqualTo("x11 :0");
    }

    @Test
    void unsupportedPlacesAreRefusedWithAMessageNotSilence() {
        assertThatThrownBy(() -> picked("auto", Map.of(), "Mac OS X", ALL_WORK))
                .isInstanceOf(UnsupportedDesktopException.class)
                .hasMessageContaining("supports Windows and Linux desktops").hasMessageContaining("Mac OS X is not supported");
        assertThatThrownBy(() -> picked("auto", Map.of("XDG_SESSION_TYPE", "wayland"), "Linux", NO_LOGIND))
                .isInstanceOf(UnsupportedDesktopException.class)
                .hasMessageContaining("a Wayland session").hasMessageContaining("no systemd-logind session");
        assertThatThrownBy(() -> picked("windows", Map.of(), "Linux", ALL_WORK))
                .isInstanceOf(UnsupportedDesktopException.class).hasMessageContaining("only on Windows");
        assertThatThrownBy(() -> picked("x11", Map.of(), "Linux", ALL_WORK))
                .isInstanceOf(UnsupportedDesktopException.class).hasMessageContaining("needs DISPLAY");
        IdleSources.Openers brokenX = new IdleSources.Openers(d -> {
            throw new IllegalStateException("cannot open X display ':9'");
        }, s -> Optional.empty(), () -> new Named("windows"));
        assertThatThrownBy(() -> picked("auto", Map.of("DISPLAY", ":9"), "Linux", brokenX))
                .isInstanceOf(UnsupportedDesktopException.class)
                .hasMessageStartingWith("no idle source on this desktop: cannot open X display ':9', and no systemd-logind");
        assertThatThrownBy(() -> picked("x11", Map.of("DISPLAY", ":9"), "Linux", brokenX))
                .isInstanceOf(UnsupportedDesktopException.class).hasMessage("cannot open X display ':9'");
        IdleSources.Openers brokenXButLogind = new IdleSources.Openers(brokenX.x11WithLock(),
                s -> Optional.of(new Named("logind " + s)), () -> new Named("windows"));
        assertThat(picked("auto", Map.of("DISPLAY", ":9"), "Linux", brokenXButLogind)).isEqualTo("logind null");
        assertThatThrownBy(() -> picked("wayland", Map.of(), "Linux", ALL_WORK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--idle-source must be one of");
    }
}
