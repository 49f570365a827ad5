package dev.rollcall.agent.workstation;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.quarkus.runtime.annotations.RegisterForProxy;
import io.quarkus.runtime.annotations.RegisterResources;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Idle time of an X11 display from the MIT screen-saver extension ({@code XScreenSaverQueryInfo} in libXss),
 * through JNA: the X server's own count of milliseconds since the last input event on any device. Works for any
 * X11 desktop (and Xvfb); under Wayland it would only see X clients, so {@link IdleSources} does not use it there.
 * The lock state comes from systemd-logind when the session has one (X11 itself does not know about locks).
 */
@RegisterResources(globs = {"com/sun/jna/linux-x86-64/libjnidispatch.so", "com/sun/jna/linux-aarch64/libjnidispatch.so"})
public final class X11IdleSource implements IdleSource {

    /** The few Xlib calls needed; {@code Display*} stays an opaque pointer. JNA implements it as a proxy. */
    @RegisterForProxy
    public interface Xlib extends Library {
        Pointer XOpenDisplay(String name);

        NativeLong XDefaultRootWindow(Pointer display);

        int XCloseDisplay(Pointer display);

        int XFree(Pointer data);
    }

    /** libXss. {@code XScreenSaverInfo} is read by offsets ({@link #idleOffset}), not as a JNA Structure. */
    @RegisterForProxy
    public interface Xss extends Library {
        boolean XScreenSaverQueryExtension(Pointer display, IntByReference eventBase, IntByReference errorBase);

        Pointer XScreenSaverAllocInfo();

        int XScreenSaverQueryInfo(Pointer display, NativeLong drawable, Pointer info);
    }

    private final Xlib xlib;
    private final Xss xss;
    private final String displayName;
    private final Optional<LogindIdleSource> lockHint;
    private Pointer display;
    private final NativeLong root;
    private final Pointer info;

    private X11IdleSource(Xlib xlib, Xss xss, String displayName, Pointer display, Optional<LogindIdleSource> lockHint) {
        this.xlib = xlib;
        this.xss = xss;
        this.displayName = displayName;
        this.display = display;
        this.lockHint = lockHint;
        this.root = xlib.XDefaultRootWindow(display);
        this.info = xss.XScreenSaverAllocInfo();
    }

    /**
     * Opens the display and checks the extension; a clear reason when it cannot ({@link IllegalStateException}).
     */
    public static X11IdleSource open(String displayName, Optional<LogindIdleSource> lockHint) {
        Xlib xlib;
        Xss xss;
        try {
            xlib = load(Xlib.class, "X11", "libX11.so.6");
            xss = load(Xss.class, "Xss", "libXss.so.1");
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("the X11 idle source needs libX11 and libXss (Debian: apt-get install libxss1): "
                    + e.getMessage());
        }
        // started at logon, the agent may come before the X server takes connections: give it a little while
        Pointer display = firstWithin(() -> xlib.XOpenDisplay(displayName), DISPLAY_WAIT, Duration.ofMillis(500));
        if (display == null) {
            throw new IllegalStateException("cannot open X display '" + displayName + "' (tried for "
                    + DISPLAY_WAIT.toSeconds() + " s; is DISPLAY right, and may this user connect to it?)");
        }
        if (!xss.XScreenSaverQueryExtension(display, new IntByReference(), new IntByReference())) {
            xlib.XCloseDisplay(display);
            throw new IllegalStateException("X display '" + displayName + "' has no MIT-SCREEN-SAVER extension");
        }
        return new X11IdleSource(xlib, xss, displayName, display, lockHint);
    }

    /** How long {@link #open} keeps trying to open the display. */
    static final Duration DISPLAY_WAIT = Duration.ofSeconds(15);

    /** The first non-null answer of {@code attempt}, tried every {@code pause} for up to {@code wait}; null if none. */
    static <T> T firstWithin(java.util.function.Supplier<T> attempt, Duration wait, Duration pause) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            T found = attempt.get();
            if (found != null || System.nanoTime() - deadline >= 0) {
                return found;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static <T extends Library> T load(Class<T> type, String name, String soname) {
        try {
            return Native.load(name, type);
        } catch (UnsatisfiedLinkError first) {
            return Native.load(soname, type);
        }
    }

    /**
     * Offset of {@code idle} in {@code XScreenSaverInfo {Window window; int state; int kind; unsigned long
     * til_or_since; unsigned long idle; unsigned long eventMask;}} for a C {@code long} of {@code longSize} bytes:
     * 24 on LP64 (Linux x86-64, arm64), 16 on 32-bit.
     */
    static long idleOffset(int longSize) {
        long afterInts = longSize + 8L;
        long tilOrSince = (afterInts + longSize - 1) / longSize * longSize;
        return tilOrSince + longSize;
    }

    @Override
    public String describe() {
        return "X11 screen-saver extension on display " + displayName
                + lockHint.map(l -> ", lock state from " + l.describe()).orElse(" (no logind session: locks not seen)");
    }

    @Override
    public synchronized Reading read() throws IOException {
        if (display == null) {
            throw new IOException("the X display is closed");
        }
        if (xss.XScreenSaverQueryInfo(display, root, info) == 0) {
            throw new IOException("XScreenSaverQueryInfo failed on display " + displayName);
        }
        long idleMillis = unsigned(info, idleOffset(Native.LONG_SIZE));
        boolean locked = false;
        if (lockHint.isPresent()) {
            locked = lockHint.get().read().locked();
        }
        return new Reading(Duration.ofMillis(idleMillis), locked);
    }

    private static long unsigned(Pointer p, long offset) {
        return Native.LONG_SIZE == 8 ? p.getLong(offset) : Integer.toUnsignedLong(p.getInt(offset));
    }

    @Override
    public synchronized void close() {
        if (display != null) {
            xlib.XFree(info);
            xlib.XCloseDisplay(display);
            display = null;
        }
    }
}
