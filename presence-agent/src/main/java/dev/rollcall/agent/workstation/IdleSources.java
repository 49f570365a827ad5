package dev.rollcall.agent.workstation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the idle source for this OS and desktop ({@code --idle-source auto}), or opens the one asked for:
 * <ul>
 * <li>Windows: {@code GetLastInputInfo}.</li>
 * <li>Linux, an X11 session ({@code DISPLAY} set, not Wayland): the X screen-saver extension, with the lock from
 *     the logind session when there is one.</li>
 * <li>Linux, Wayland or no display: the systemd-logind session's hints.</li>
 * <li>Anything else (macOS, BSD, Linux without X11 or logind): refused with a message saying so.</li>
 * </ul>
 */
public final class IdleSources {

    public static final List<String> CHOICES = List.of("auto", "x11", "logind", "windows");

    /** How each source is opened; tests replace the native ones. */
    record Openers(Function<String, IdleSource> x11WithLock, Function<String, Optional<IdleSource>> logind,
                   java.util.function.Supplier<IdleSource> windows) {
    }

    private IdleSources() {
    }

    /** {@code warnUnsetHintAfter}: see {@link LogindIdleSource.UnsetHintWatch}, when logind is the idle source. */
    public static IdleSource open(String choice, String session, Map<String, String> env, String osName, String user,
                                  java.time.Duration warnUnsetHintAfter) {
        CommandRunner runner = CommandRunner.REAL;
        Openers real = new Openers(
                display -> X11IdleSource.open(display, LogindIdleSource.find(runner, session, env, user)),
                s -> LogindIdleSource.find(runner, s, env, user).map(l -> (IdleSource) l.warningIfTheHintStaysUnset(warnUnsetHintAfter)),
                WindowsIdleSource::open);
        return select(choice, session, env, osName, real);
    }

    static IdleSource select(String choice, String session, Map<String, String> env, String osName, Openers open) {
        String c = choice == null || choice.isBlank() ? "auto" : choice.strip();
        if (!CHOICES.contains(c)) {
            throw new IllegalArgumentException("--idle-source must be one of " + String.join(", ", CHOICES) + ", got '" + c + "'");
        }
        String os = osName == null ? "" : osName;
        boolean windows = os.startsWith("Windows");
        boolean linux = os.startsWith("Linux");
        if (c.equals("windows") || (c.equals("auto") && windows)) {
            if (!windows) {
                throw new UnsupportedDesktopException("--idle-source windows works only on Windows, this is " + os);
            }
            return opened(open.windows()::get);
        }
        if (c.equals("auto") && !linux) {
            throw new UnsupportedDesktopException("the workstation collector supports Windows and Linux desktops "
                    + "(X11, or a systemd-logind session); " + (os.isEmpty() ? "this OS" : os) + " is not supported");
        }
        String display = env.get("DISPLAY");
        boolean wayland = "wayland".equalsIgnoreCase(env.getOrDefault("XDG_SESSION_TYPE", ""))
                || env.containsKey("WAYLAND_DISPLAY");
        String x11Failure = null;
        if (c.equals("x11") || (c.equals("auto") && display != null && !display.isBlank() && !wayland)) {
            if (display == null || display.isBlank()) {
                throw new UnsupportedDesktopException("--idle-source x11 needs DISPLAY (e.g. DISPLAY=:0)");
            }
            try {
                return opened(() -> open.x11WithLock().apply(display));
            } catch (UnsupportedDesktopException e) {
                if (c.equals("x11")) {
                    throw e;
                }
                x11Failure = e.getMessage(); // auto: logind may still do
            }
        }
        Optional<IdleSource> logind = opened(() -> open.logind().apply(session));
        if (logind.isPresent()) {
            return logind.get();
        }
        throw new UnsupportedDesktopException(c.equals("logind")
                ? "no systemd-logind session found for this user (set --session, or run inside the desktop session)"
                : "no idle source on this desktop: " + (x11Failure != null ? x11Failure : wayland ? "a Wayland session"
                : "no X11 DISPLAY") + ", and no systemd-logind session for this user. Run it in the user's graphical "
                + "session (the systemd user unit does), or name the session with --session");
    }

    private static <T> T opened(java.util.function.Supplier<T> opener) {
        try {
            return opener.get();
        } catch (IllegalStateException e) {
            throw new UnsupportedDesktopException(e.getMessage());
        }
    }
}
