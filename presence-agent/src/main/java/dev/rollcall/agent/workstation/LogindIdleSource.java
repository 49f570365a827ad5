package dev.rollcall.agent.workstation;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Idle and lock state of the user's systemd-logind session ({@code IdleHint}, {@code IdleSinceHint[Monotonic]},
 * {@code LockedHint}), read with {@code loginctl show-session}. The desktop sets these: GNOME and KDE Plasma (X11
 * and Wayland) set both, after their own idle delay (GNOME's "blank screen" delay, 5 min by default), so idle
 * times shorter than that read as zero; text consoles get IdleHint from logind itself. A desktop that never sets
 * them (a bare Wayland compositor without an idle daemon) looks busy forever: prefer X11 there, or configure one.
 */
public final class LogindIdleSource implements IdleSource {

    /** The properties read, parsed. Times in microseconds; 0 when unset. */
    record SessionHints(String id, boolean idle, long idleSinceRealtimeMicros, long idleSinceMonotonicMicros,
                        boolean locked) {

        static SessionHints parse(String id, String showSession) {
            Map<String, String> p = new HashMap<>();
            showSession.lines().forEach(line -> {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    p.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            });
            if (!p.containsKey("IdleHint")) {
                throw new IllegalArgumentException("loginctl gave no IdleHint for session " + id);
            }
            return new SessionHints(id, yes(p.get("IdleHint")), micros(p.get("IdleSinceHint")),
                    micros(p.get("IdleSinceHintMonotonic")), yes(p.get("LockedHint")));
        }

        /**
         * Idle time now: zero unless the hint says idle; then since the monotonic hint (immune to wall-clock
         * steps; CLOCK_MONOTONIC is what {@link System#nanoTime()} reads on Linux), or the wall-clock one when
         * the monotonic one is missing or implausible.
         */
        Duration idleAt(long nowRealtimeMicros, long nowMonotonicMicros) {
            if (!idle) {
                return Duration.ZERO;
            }
            if (idleSinceMonotonicMicros > 0 && nowMonotonicMicros >= idleSinceMonotonicMicros) {
                return Duration.ofNanos((nowMonotonicMicros - idleSinceMonotonicMicros) * 1000);
            }
            if (idleSinceRealtimeMicros > 0) {
                return Duration.ofNanos(Math.max(0, nowRealtimeMicros - idleSinceRealtimeMicros) * 1000);
            }
            return Duration.ZERO;
        }

        private static boolean yes(String v) {
            return "yes".equals(v);
        }

        private static long micros(String v) {
            try {
                return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    /**
     * Warns once when the session's idle hint has stayed unset (not idle, both IdleSince timestamps 0: nobody has
     * called SetIdleHint since the session began) for {@code after} of unlocked time. That is what a desktop that
     * never sets the hint looks like, where {@code stopped} would never come. A desktop that sets it only at its
     * first idle (GNOME after its idle delay) looks the same until then, hence "not yet" in the words, and once:
     * it is a hint for whoever reads the log, never a change in what is reported.
     */
    static final class UnsetHintWatch {
        private final Duration after;
        private long unsetSince = Long.MIN_VALUE;
        private boolean settled;

        UnsetHintWatch(Duration after) {
            this.after = after;
        }

        Optional<String> see(SessionHints h, long nowNanos) {
            if (settled) {
                return Optional.empty();
            }
            if (h.idle() || h.idleSinceRealtimeMicros() != 0 || h.idleSinceMonotonicMicros() != 0) {
                settled = true; // the desktop sets the hint: nothing to say, ever
                return Optional.empty();
            }
            if (h.locked() || unsetSince == Long.MIN_VALUE) {
                unsetSince = nowNanos; // locked time proves nothing about the idle hint: count from the unlock
                return Optional.empty();
            }
            if (nowNanos - unsetSince < after.toNanos()) {
                return Optional.empty();
            }
            settled = true;
            return Optional.of("the idle hint of systemd-logind session " + h.id() + " has not been set yet, after "
                    + after.toMinutes() + " min unlocked: if this desktop never sets it (a bare Wayland compositor "
                    + "without an idle daemon), the agent will never see idleness and never report stopped; "
                    + "use --idle-source x11 or configure an idle daemon (see the presence-agent README, Desktops covered)");
        }
    }

    private static final Logger LOG = Logger.getLogger(LogindIdleSource.class);

    private final CommandRunner runner;
    private final String session;
    private final UnsetHintWatch watch;

    LogindIdleSource(CommandRunner runner, String session) {
        this(runner, session, null);
    }

    private LogindIdleSource(CommandRunner runner, String session, UnsetHintWatch watch) {
        this.runner = runner;
        this.session = session;
        this.watch = watch;
    }

    /** This session as the idle source (not only for the lock, as under X11): warns once if the hint stays unset. */
    LogindIdleSource warningIfTheHintStaysUnset(Duration after) {
        return new LogindIdleSource(runner, session, new UnsetHintWatch(after));
    }

    /**
     * The session to watch: {@code explicit}, else {@code XDG_SESSION_ID} (set in a login shell, not in a systemd
     * user service), else the user's display session as logind knows it. Empty when there is none.
     */
    static Optional<LogindIdleSource> find(CommandRunner runner, String explicit, Map<String, String> env, String user) {
        String id = explicit;
        if (id == null || id.isBlank()) {
            id = env.get("XDG_SESSION_ID");
        }
        if (id == null || id.isBlank()) {
            try {
                id = runner.run(List.of("loginctl", "show-user", user, "--property=Display", "--value")).strip();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        LogindIdleSource source = new LogindIdleSource(runner, id.strip());
        try {
            source.hints();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(source);
    }

    SessionHints hints() throws IOException {
        String out = runner.run(List.of("loginctl", "show-session", session, "--property=IdleHint",
                "--property=IdleSinceHint", "--property=IdleSinceHintMonotonic", "--property=LockedHint"));
        try {
            return SessionHints.parse(session, out);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "systemd-logind session " + session;
    }

    @Override
    public Reading read() throws IOException {
        SessionHints h = hints();
        long realtimeMicros = java.time.Instant.now().toEpochMilli() * 1000;
        long nanos = System.nanoTime();
        if (watch != null) {
            watch.see(h, nanos).ifPresent(LOG::warn);
        }
        return new Reading(h.idleAt(realtimeMicros, nanos / 1000), h.locked());
    }
}
