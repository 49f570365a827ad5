package dev.rollcall.agent.workstation;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.io.IOException;

/**
 * Idle time on Windows from {@code GetLastInputInfo} (the session's last keyboard or mouse input, as a tick) and
 * {@code GetTickCount} ({@link WindowsTicks} does the wrap-safe arithmetic). Locked: the input desktop cannot be
 * opened or switched to ({@code OpenInputDesktop}/{@code SwitchDesktop}) while the Winlogon desktop (lock screen,
 * Ctrl+Alt+Del) is in front; the UAC secure desktop reads as locked too, briefly. Must run in the user's
 * interactive session (a scheduled task at logon, not a service in session 0).
 */
public final class WindowsIdleSource implements IdleSource {

    private final Windows.User32 user32;
    private final Windows.Kernel32 kernel32;
    private final Memory lastInputInfo = new Memory(8);

    /** With the real libraries from {@link #open()}; tests pass stand-ins of the two interfaces. */
    WindowsIdleSource(Windows.User32 user32, Windows.Kernel32 kernel32) {
        this.user32 = user32;
        this.kernel32 = kernel32;
    }

    public static WindowsIdleSource open() {
        try {
            return new WindowsIdleSource(Windows.user32(), Windows.kernel32());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load user32/kernel32 through JNA: " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "Windows GetLastInputInfo, lock from the input desktop";
    }

    @Override
    public synchronized Reading read() throws IOException {
        lastInputInfo.setInt(0, 8); // cbSize: the call fails unless the struct says its own size
        if (!user32.GetLastInputInfo(lastInputInfo)) {
            throw new IOException("GetLastInputInfo failed (not in an interactive session?)");
        }
        int last = lastInputInfo.getInt(4);
        int now = kernel32.GetTickCount();
        return new Reading(WindowsTicks.idle(now, last), locked());
    }

    private boolean locked() {
        Pointer desktop = user32.OpenInputDesktop(0, false, Windows.DESKTOP_SWITCHDESKTOP);
        if (desktop == null) {
            return true;
        }
        try {
            return !user32.SwitchDesktop(desktop);
        } finally {
            user32.CloseDesktop(desktop);
        }
    }
}
