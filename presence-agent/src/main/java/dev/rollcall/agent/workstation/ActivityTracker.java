package dev.rollcall.agent.workstation;

import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationState;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The workstation collector's rules, as a pure state machine: polls in, signals out, no clock or I/O of its own.
 * <ul>
 * <li>{@code working} while the last input is less than {@code idleAfter} ago and the screen is not locked;
 *     {@code stopped} otherwise. Like work-tracing, {@code stopped} is dated when the threshold is seen to pass,
 *     so the idle minutes before it still count as working (and every {@code working} already sent sorts before
 *     it).</li>
 * <li>The current state is sent again every {@code resendEvery} (measured on the awake clock), so the server's
 *     auto-timeout ends work if the agent disappears. A poll whose idle time cannot be read re-sends nothing.</li>
 * <li>Lock, suspend, logoff and shutdown mean {@code stopped} at once. A suspend is seen after resuming: the
 *     clock that runs through suspend ({@code sinceBoot}) moved further than the one that stops
 *     ({@code awake}). Then {@code suspend} and {@code stopped} are dated when the machine went to sleep, and
 *     {@code resume} now.</li>
 * <li>Clock jumps: scheduling uses only the monotonic clocks, and a wall clock moving differently from them is
 *     reported as {@link ActivitySignal.WallClockJumped}, never as a suspend (when the OS gives a boot clock).
 *     Event times never go backwards within a run: after a backward step they stay at the last time sent
 *     until the wall clock catches up.</li>
 * </ul>
 */
public final class ActivityTracker {

    /**
     * @param idleAfter        input idle this long means stopped (work-tracing: 10 minutes)
     * @param resendEvery      the current state is sent again this often (work-tracing: 1 minute)
     * @param poll             how often the collector observes; a re-send falls due up to half a poll early, so
     *                         that poll jitter never skips one
     * @param suspendTolerance a gap between the clocks smaller than this is jitter, not a suspend or a jump
     */
    public record Settings(Duration idleAfter, Duration resendEvery, Duration poll, Duration suspendTolerance) {

        public static Settings of(Duration idleAfter, Duration resendEvery, Duration poll) {
            return new Settings(idleAfter, resendEvery, poll, Duration.ofSeconds(5));
        }
    }

    private final Settings settings;
    private WorkstationState state;
    private boolean locked;
    private Observation previous;
    private Instant lastTime = Instant.EPOCH;
    private long stateSentAwake;

    public ActivityTracker(Settings settings) {
        this.settings = settings;
    }

    /** The state last sent, or {@code null} before the first readable poll. */
    public WorkstationState state() {
        return state;
    }

    /**
     * The collector started (at logon): {@code boot} first when the machine itself started within
     * {@code bootWindow}, dated at the boot, then {@code logon}, then the state the observation shows.
     */
    public List<ActivitySignal> start(Observation o, Duration bootWindow) {
        List<ActivitySignal> out = new ArrayList<>();
        Instant now = dated(o.wall());
        if (o.sinceBootNanos() >= 0 && Duration.ofNanos(o.sinceBootNanos()).compareTo(bootWindow) <= 0) {
            out.add(new ActivitySignal.Session(now.minusNanos(o.sinceBootNanos()).truncatedTo(ChronoUnit.MILLIS),
                    WorkstationSessionKind.BOOT));
        }
        out.add(new ActivitySignal.Session(now, WorkstationSessionKind.LOGON));
        evaluate(o, now, out);
        previous = o;
        return out;
    }

    /** One poll. */
    public List<ActivitySignal> observe(Observation o) {
        if (previous == null) {
            return start(o, Duration.ZERO);
        }
        List<ActivitySignal> out = new ArrayList<>();
        long awake = o.awakeNanos() - previous.awakeNanos();
        long wall = Duration.between(previous.wall(), o.wall()).toNanos();
        long tolerance = settings.suspendTolerance().toNanos();
        boolean bootClock = o.sinceBootNanos() >= 0 && previous.sinceBootNanos() >= 0;
        // Without a boot clock the wall clock stands in for it: a forward wall step then looks like a suspend.
        long asleep = (bootClock ? o.sinceBootNanos() - previous.sinceBootNanos() : wall) - awake;
        if (bootClock) {
            long jump = wall - (o.sinceBootNanos() - previous.sinceBootNanos());
            if (Math.abs(jump) > tolerance) {
                out.add(new ActivitySignal.WallClockJumped(o.wall(), Duration.ofNanos(jump)));
            }
        } else if (wall < -tolerance) {
            out.add(new ActivitySignal.WallClockJumped(o.wall(), Duration.ofNanos(wall - awake)));
        }
        if (asleep > tolerance) {
            // It went to sleep at most one poll after the previous one; date it just after that poll, so no time
            // asleep counts as work (at most one poll of work is lost) and the stopped sorts after what it sent.
            Instant slept = dated(lastTime.plusMillis(1));
            out.add(new ActivitySignal.Session(slept, WorkstationSessionKind.SUSPEND));
            if (state == WorkstationState.WORKING) {
                out.add(new ActivitySignal.State(slept, WorkstationState.STOPPED, false));
            }
            state = WorkstationState.STOPPED;
            stateSentAwake = o.awakeNanos();
            out.add(new ActivitySignal.Session(dated(o.wall()), WorkstationSessionKind.RESUME));
        }
        evaluate(o, dated(o.wall()), out);
        previous = o;
        return out;
    }

    /**
     * The session ends ({@code logoff} or {@code shutdown}): {@code stopped} at once if working, then the kind.
     */
    public List<ActivitySignal> stop(Instant wall, WorkstationSessionKind kind) {
        Instant now = dated(wall);
        List<ActivitySignal> out = new ArrayList<>();
        out.add(new ActivitySignal.Session(now, kind));
        if (state == WorkstationState.WORKING) {
            out.add(new ActivitySignal.State(now, WorkstationState.STOPPED, false));
        }
        state = WorkstationState.STOPPED;
        return out;
    }

    private void evaluate(Observation o, Instant now, List<ActivitySignal> out) {
        if (!o.readable()) {
            return; // nothing known: no change, no re-send (the server's timeout ends work if this lasts)
        }
        if (o.locked() != locked) {
            out.add(new ActivitySignal.Session(now, o.locked() ? WorkstationSessionKind.LOCK : WorkstationSessionKind.UNLOCK));
            locked = o.locked();
        }
        WorkstationState wanted;
        if (o.locked()) {
            wanted = WorkstationState.STOPPED;
        } else {
            wanted = o.idle().compareTo(settings.idleAfter()) >= 0 ? WorkstationState.STOPPED : WorkstationState.WORKING;
        }
        if (wanted != state) {
            out.add(new ActivitySignal.State(now, wanted, false));
            state = wanted;
            stateSentAwake = o.awakeNanos();
        } else if (resendDue(o.awakeNanos())) {
            out.add(new ActivitySignal.State(now, state, true));
            stateSentAwake = o.awakeNanos();
        }
    }

    private boolean resendDue(long awakeNanos) {
        long slack = Math.min(settings.poll().toNanos(), settings.resendEvery().toNanos()) / 2;
        return awakeNanos - stateSentAwake >= settings.resendEvery().toNanos() - slack;
    }

    /** Milliseconds, never before the last time given out. */
    private Instant dated(Instant wall) {
        Instant t = wall.truncatedTo(ChronoUnit.MILLIS);
        if (t.isBefore(lastTime)) {
            t = lastTime;
        }
        lastTime = t;
        return t;
    }
}
