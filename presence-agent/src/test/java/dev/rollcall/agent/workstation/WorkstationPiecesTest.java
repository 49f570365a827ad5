package dev.rollcall.agent.workstation;

import dev.rollcall.events.WorkstationSessionKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The small OS-facing rules that need no OS: user names, the XScreenSaverInfo layout, clocks, stop kinds, paths. */
class WorkstationPiecesTest {

    @Test
    void onWindowsTheUserIsDomainBackslashNameAsWorkTracingSentIt() {
        assertThat(LocalUser.of("Windows 11", Map.of("USERDOMAIN", "ACME", "USERNAME", "jdoe"), "jdoe"))
                .isEqualTo("ACME\\jdoe");
        assertThat(LocalUser.of("Windows 10", Map.of("USERNAME", "jdoe"), "x")).isEqualTo("jdoe");
        assertThat(LocalUser.of("Windows 10", Map.of(), "jdoe")).isEqualTo("jdoe");
    }

    @Test
    void elsewhereTheUserIsTheLoginNotTheEnvironmentsClaim() {
        assertThat(LocalUser.of("Linux", Map.of("USER", "someone-else"), "jdoe")).isEqualTo("jdoe");
    }

    @Test
    void theIdleFieldOfXScreenSaverInfoIsAt24OnLp64And16On32Bit() {
        assertThat(X11IdleSource.idleOffset(8)).isEqualTo(24);
        assertThat(X11IdleSource.idleOffset(4)).isEqualTo(16);
    }

    @Test
    void theDisplayIsTriedAgainForAWhileAndThenGivenUpOn() {
        int[] tries = {0};
        // a display that takes connections from the third try on
        assertThat(X11IdleSource.<String>firstWithin(() -> ++tries[0] >= 3 ? "display" : null, java.time.Duration.ofSeconds(5),
                java.time.Duration.ofMillis(1))).isEqualTo("display");
        assertThat(tries[0]).isEqualTo(3);
        tries[0] = 0;
        long started = System.nanoTime();
        assertThat(X11IdleSource.<String>firstWithin(() -> {
            tries[0]++;
            return null;
        }, java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(10))).isNull();
        assertThat(tries[0]).as("tried more than once, then gave up").isGreaterThan(1);
        assertThat(System.nanoTime() - started).as("gave up after the wait").isGreaterThanOrEqualTo(50_000_000L);
    }

    @Test
    void procUptimeIsReadToTheCentisecond() {
        assertThat(MachineClocks.uptimeNanos("350735.47 234388.90\n")).isEqualTo(350_735_470_000_000L);
        assertThat(MachineClocks.uptimeNanos("0.01 0.00")).isEqualTo(10_000_000L);
        assertThat(MachineClocks.LINUX.sinceBootNanos()).isPositive();
    }

    @Test
    void aStoppingSystemIsAShutdownAnythingElseALogoff() {
        assertThat(SessionEnd.fromSystemState("stopping\n")).isEqualTo(WorkstationSessionKind.SHUTDOWN);
        assertThat(SessionEnd.fromSystemState("running\n")).isEqualTo(WorkstationSessionKind.LOGOFF);
        assertThat(SessionEnd.fromSystemState("degraded")).isEqualTo(WorkstationSessionKind.LOGOFF);
        assertThat(SessionEnd.fromSystemState(null)).isEqualTo(WorkstationSessionKind.LOGOFF);
        assertThat(SessionEnd.now("Windows 11")).isEqualTo(WorkstationSessionKind.LOGOFF);
    }

    @Test
    void theOutboxIsPerUser() {
        Path home = Path.of("/home/jdoe");
        assertThat(WorkstationCommand.defaultOutbox("Linux", Map.of(), home))
                .isEqualTo(Path.of("/home/jdoe/.local/state/rollcall-agent/workstation-outbox"));
        assertThat(WorkstationCommand.defaultOutbox("Linux", Map.of("XDG_STATE_HOME", "/srv/state"), home))
                .isEqualTo(Path.of("/srv/state/rollcall-agent/workstation-outbox"));
        assertThat(WorkstationCommand.defaultOutbox("Windows 11", Map.of("LOCALAPPDATA", "C:/Users/jdoe/AppData/Local"), home)
                .toString().replace('\\', '/')).isEqualTo("C:/Users/jdoe/AppData/Local/Rollcall/workstation-outbox");
    }
}
