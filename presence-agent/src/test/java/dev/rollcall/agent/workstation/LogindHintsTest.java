package dev.rollcall.agent.workstation;

import dev.rollcall.agent.workstation.LogindIdleSource.SessionHints;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** systemd-logind's session hints as {@code loginctl show-session} prints them, and how the session is found. */
class LogindHintsTest {

    static final String IDLE_LOCKED = """
            IdleHint=yes
            IdleSinceHint=1763632800000000
            IdleSinceHintMonotonic=7200000000
            LockedHint=yes
            """;

    @Test
    void anIdleSessionCountsFromTheMonotonicHint() {
        SessionHints h = SessionHints.parse("2", IDLE_LOCKED);
        assertThat(h.idle()).isTrue();
        assertThat(h.locked()).isTrue();
        // the wall clock says 1 h since, the monotonic clock 11 min: the monotonic one wins (the wall may have stepped)
        assertThat(h.idleAt(1763632800000000L + 3_600_000_000L, 7200000000L + 660_000_000L)).isEqualTo(Duration.ofMinutes(11));
    }

    @Test
    void withoutAUsableMonotonicHintTheWallClockHintIsUsedAndNeverNegative() {
        SessionHints h = SessionHints.parse("2", "IdleHint=yes\nIdleSinceHint=1763632800000000\nIdleSinceHintMonotonic=0\nLockedHint=no\n");
        assertThat(h.idleAt(1763632800000000L + 600_000_000L, 1)).isEqualTo(Duration.ofMinutes(10));
        assertThat(h.idleAt(1763632800000000L - 5, 1)).isEqualTo(Duration.ZERO);
        assertThat(h.locked()).isFalse();
    }

    @Test
    void aBusySessionIsZeroIdleWhateverTheTimestampsSay() {
        SessionHints h = SessionHints.parse("c3", "IdleHint=no\nIdleSinceHint=1\nIdleSinceHintMonotonic=1\nLockedHint=no\n");
        assertThat(h.idleAt(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2)).isEqualTo(Duration.ZERO);
    }

    @Test
    void anAnswerWithoutIdleHintIsAnError() {
        assertThatThrownBy(() -> SessionHints.parse("9", "Failed to get session: No session '9' known\n"))
                .hasMessageContaining("no IdleHint for session 9");
    }

    @Test
    void theSessionIsTheOneNamedElseXdgSessionIdElseTheUsersDisplaySession() throws IOException {
        List<List<String>> asked = new ArrayList<>();
        CommandRunner loginctl = cmd -> {
            asked.add(cmd);
            if (cmd.get(1).equals("show-user")) {
                return "c7\n";
            }
            return IDLE_LOCKED;
        };
        assertThat(LogindIdleSource.find(loginctl, "5", Map.of("XDG_SESSION_ID", "3"), "jdoe")).get()
                .extracting(LogindIdleSource::describe).isEqualTo("systemd-logind session 5");
        assertThat(LogindIdleSource.find(loginctl, null, Map.of("XDG_SESSION_ID", "3"), "jdoe")).get()
                .extracting(LogindIdleSource::describe).isEqualTo("systemd-logind session 3");
        asked.clear();
        assertThat(LogindIdleSource.find(loginctl, null, Map.of(), "jdoe")).get()
                .extracting(LogindIdleSource::describe).isEqualTo("systemd-logind session c7");
        assertThat(asked.getFirst()).containsExactly("loginctl", "show-user", "jdoe", "--property=Display", "--value");
        assertThat(LogindIdleSource.find(loginctl, null, Map.of(), "jdoe").get().read().locked()).isTrue();
    }

    @Test
    void noLogindOrNoSessionIsNoSource() {
        CommandRunner noSystemd = cmd -> {
            throw new IOException("loginctl failed (exit 1): System has not been booted with systemd");
        };
        assertThat(LogindIdleSource.find(noSystemd, null, Map.of(), "jdoe")).isEmpty();
        assertThat(LogindIdleSource.find(cmd -> "\n", null, Map.of(), "jdoe")).isEmpty();
    }
    static final String NEVER_SET = "IdleHint=no\nIdleSinceHint=0\nIdleSinceHintMonotonic=0\nLockedHint=no\n";
    static final long MIN = 60_000_000_000L;

    @Test
    void aHintNobodyEverSetIsSaidOnceAfterTheTimeUnlocked() {
        var watch = new LogindIdleSource.UnsetHintWatch(Duration.ofMinutes(20));
        SessionHints unset = SessionHints.parse("4", NEVER_SET);
        assertThat(watch.see(unset, 0)).isEmpty();
        assertThat(watch.see(unset, 19 * MIN)).isEmpty();
        assertThat(watch.see(unset, 20 * MIN)).get().asString()
                .startsWith("the idle hint of systemd-logind session 4 has not been set yet, after 20 min unlocked")
                .contains("never report stopped").contains("--idle-source x11");
        assertThat(watch.see(unset, 60 * MIN)).as("once").isEmpty();
    }

    @Test
    void lockedTimeDoesNotCountAndTheClockStartsAgainAtTheUnlock() {
        var watch = new LogindIdleSource.UnsetHintWatch(Duration.ofMinutes(20));
        SessionHints unset = SessionHints.parse("4", NEVER_SET);
        SessionHints locked = SessionHints.parse("4", NEVER_SET.replace("LockedHint=no", "LockedHint=yes"));
        assertThat(watch.see(unset, 0)).isEmpty();
        assertThat(watch.see(locked, 15 * MIN)).isEmpty();
        assertThat(watch.see(unset, 30 * MIN)).as("15 min unlocked since the lock").isEmpty();
        assertThat(watch.see(unset, 35 * MIN)).isPresent();
    }

    @Test
    void aDesktopThatSetsTheHintAtAllIsNeverWarnedAbout() {
        var watch = new LogindIdleSource.UnsetHintWatch(Duration.ofMinutes(20));
        assertThat(watch.see(SessionHints.parse("4", NEVER_SET), 0)).isEmpty();
        // GNOME went idle once (after its own delay) and back: the timestamps are set, the hint works
        assertThat(watch.see(SessionHints.parse("4", "IdleHint=no\nIdleSinceHint=1763632800000000\n"
                + "IdleSinceHintMonotonic=7200000000\nLockedHint=no\n"), 5 * MIN)).isEmpty();
        assertThat(watch.see(SessionHints.parse("4", NEVER_SET), 100 * MIN)).isEmpty();

        var idleAtOnce = new LogindIdleSource.UnsetHintWatch(Duration.ofMinutes(20));
        assertThat(idleAtOnce.see(SessionHints.parse("4", IDLE_LOCKED), 0)).isEmpty();
        assertThat(idleAtOnce.see(SessionHints.parse("4", NEVER_SET), 100 * MIN)).isEmpty();
    }
}
