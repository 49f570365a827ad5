package dev.rollcall.agent.workstation;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.win32.StdCallLibrary;
import io.quarkus.runtime.annotations.RegisterForProxy;
import io.quarkus.runtime.annotations.RegisterResources;

/**
 * The few Win32 calls the workstation collector makes, declared for JNA (core only: no jna-platform). Loaded on
 * first use, so the class compiles and loads everywhere; only Windows can run them.
 */
@RegisterResources(globs = {"com/sun/jna/win32-x86-64/jnidispatch.dll", "com/sun/jna/win32-aarch64/jnidispatch.dll"})
final class Windows {

    /** {@code DESKTOP_SWITCHDESKTOP}: enough access to ask whether the desktop could be switched to. */
    static final int DESKTOP_SWITCHDESKTOP = 0x0100;

    @RegisterForProxy
    interface User32 extends StdCallLibrary {
        /** {@code LASTINPUTINFO {UINT cbSize; DWORD dwTime;}}, passed as 8 bytes of memory. */
        boolean GetLastInputInfo(Pointer lastInputInfo);

        Pointer OpenInputDesktop(int flags, boolean inherit, int desiredAccess);

        boolean SwitchDesktop(Pointer desktop);

        boolean CloseDesktop(Pointer desktop);
    }

    @RegisterForProxy
    interface Kernel32 extends StdCallLibrary {
        int GetTickCount();

        long GetTickCount64();

        /** Interrupt time in 100 ns units, without the time spent asleep or hibernated. */
        boolean QueryUnbiasedInterruptTime(LongByReference unbiasedTime);
    }

    private Windows() {
    }

    static User32 user32() {
        return Native.load("user32", User32.class);
    }

    static Kernel32 kernel32() {
        return Native.load("kernel32", Kernel32.class);
    }
}
