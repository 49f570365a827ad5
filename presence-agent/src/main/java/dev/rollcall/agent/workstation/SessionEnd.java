package dev.rollcall.agent.workstation;

import dev.rollcall.events.WorkstationSessionKind;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Why the collector is being stopped: the machine shutting down, or only the user's session ending. */
final class SessionEnd {

    private SessionEnd() {
    }

    /** From {@code systemctl is-system-running}: {@code stopping} is a shutdown (or reboot); anything else a logoff. */
    static WorkstationSessionKind fromSystemState(String systemState) {
        return systemState != null && systemState.strip().equals("stopping")
                ? WorkstationSessionKind.SHUTDOWN : WorkstationSessionKind.LOGOFF;
    }

    /**
     * Asks systemd (Linux) within 2 s; {@code logoff} when it cannot tell. Windows does not say to a process being
     * ended which of the two it is: {@code logoff}.
     */
    static WorkstationSessionKind now(String osName) {
        if (osName == null || !osName.startsWith("Linux")) {
            return WorkstationSessionKind.LOGOFF;
        }
        try {
            Process p = new ProcessBuilder("systemctl", "is-system-running").redirectErrorStream(true).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return WorkstationSessionKind.LOGOFF;
            }
            // is-system-running exits non-zero for every state but "running": the output is what counts.
            return fromSystemState(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            return WorkstationSessionKind.LOGOFF;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WorkstationSessionKind.LOGOFF;
        }
    }
}
