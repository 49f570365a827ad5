package dev.rollcall.agent.workstation;

import dev.rollcall.agent.AgentIdentity;
import dev.rollcall.agent.AliveMark;
import dev.rollcall.agent.Sleeper;
import dev.rollcall.agent.outbox.Outbox;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationStateChanged;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The workstation collector's loop: every {@code poll} read the idle source and the clocks, let the
 * {@link ActivityTracker} decide, mint its signals as events (the id is born here) and append them to the outbox;
 * every {@code heartbeat} an {@link AgentHeartbeat} (no scans, no devices). Polls keep a fixed rate on the clock
 * that stops during suspend, so neither a wall-clock step nor a suspend disturbs the schedule. Each poll that reads
 * the idle time leaves an {@link AliveMark}; a start finding one older than {@link #outageAfter} reports the outage
 * since, unless the previous run ended deliberately (logoff, shutdown: a PC switched off is no outage), and a
 * deliberate stop ends with a heartbeat saying so.
 */
public final class WorkstationCollector {

    private static final Logger LOG = Logger.getLogger(WorkstationCollector.class);

    private final IdleSource source;
    private final MachineClocks clocks;
    private final InstantSource wall;
    private final ActivityTracker tracker;
    private final Outbox outbox;
    private final AgentIdentity agent;
    private final String user;
    private final Duration poll;
    private final Duration heartbeat;
    private final Duration bootWindow;
    private final AliveMark alive;
    private int failedReads;

    /** The least time between two alive marks (a poll may come every 500 ms): 30 s, or the poll if slower. */
    public static Duration markEvery(Duration poll) {
        Duration floor = Duration.ofSeconds(30);
        return poll.compareTo(floor) > 0 ? poll : floor;
    }

    /** A previous run whose last mark is older than this at a start was not observing: two mark periods. */
    public static Duration outageAfter(Duration poll) {
        return markEvery(poll).multipliedBy(2);
    }

    public WorkstationCollector(IdleSource source, MachineClocks clocks, InstantSource wall, ActivityTracker tracker,
                                Outbox outbox, AliveMark alive, AgentIdentity agent, String user, Duration poll,
                                Duration heartbeat, Duration bootWindow) {
        this.alive = alive;
        this.source = source;
        this.clocks = clocks;
        this.wall = wall;
        this.tracker = tracker;
        this.outbox = outbox;
        this.agent = agent;
        this.user = user;
        this.poll = poll;
        this.heartbeat = heartbeat;
        this.bootWindow = bootWindow;
    }

    /** Logon, then polls and heartbeats until {@code running} turns false (or the thread is interrupted). */
    public void run(Sleeper sleeper, BooleanSupplier running) throws InterruptedException {
        reportOutage();
        emit(tracker.start(observe(), bootWindow));
        heartbeat();
        long nextPoll = clocks.awakeNanos() + poll.toNanos();
        long nextHeartbeat = clocks.awakeNanos() + heartbeat.toNanos();
        while (running.getAsBoolean()) {
            long wait = Math.min(nextPoll - clocks.awakeNanos(), poll.toNanos());
            if (wait > 0) {
                sleeper.sleep(Duration.ofNanos(wait));
            }
            if (!running.getAsBoolean()) {
                break;
            }
            emit(tracker.observe(observe()));
            long now = clocks.awakeNanos();
            nextPoll = Math.max(nextPoll + poll.toNanos(), now);
            if (now - nextHeartbeat >= 0) {
                heartbeat();
                nextHeartbeat = Math.max(nextHeartbeat + heartbeat.toNanos(), now);
            }
        }
    }

    /**
     * The session ends: {@code logoff} or {@code shutdown}, and {@code stopped} if the user was working; then a last
     * heartbeat marked {@code stopping} and the mark the next start reads, so the night that follows is no outage.
     */
    public void stop(WorkstationSessionKind kind) {
        emit(tracker.stop(wall.instant(), kind));
        EventEnvelope last = heartbeat(true);
        alive.stopped(last.time());
    }

    /**
     * Queues the outage since the previous run's last mark if that run did not stop deliberately (it crashed, was
     * killed, or the machine lost power) and the mark is older than {@link #outageAfter}.
     */
    public Optional<EventEnvelope> reportOutage() {
        Optional<EventEnvelope> outage = AliveMark.outage(alive.read(), wall.instant(), outageAfter(poll), false, agent);
        outage.ifPresent(e -> {
            try {
                outbox.append(List.of(e));
                LOG.warnf("the previous run ended without stopping (last alive %s): reporting the outage until %s",
                        ((AgentDowntimeReported) e.data()).start(), e.time());
            } catch (IOException ex) {
                LOG.errorf("cannot queue the outage before this start: %s", ex.getMessage());
            }
        });
        return outage;
    }

    private Observation observe() {
        Instant now = wall.instant();
        long awake = clocks.awakeNanos();
        long sinceBoot = clocks.sinceBootNanos();
        try {
            IdleSource.Reading r = source.read();
            alive.touch(now);
            if (failedReads > 0) {
                LOG.infof("the idle source answers again (after %d failed reads)", failedReads);
                failedReads = 0;
            }
            return new Observation(now, awake, sinceBoot, r.idle(), r.locked());
        } catch (IOException | RuntimeException e) {
            failedReads++;
            if (Integer.bitCount(failedReads) == 1) {
                LOG.errorf("cannot read the idle time (%d failures): %s", failedReads, e.getMessage());
            }
            return new Observation(now, awake, sinceBoot, null, false);
        }
    }

    private void emit(List<ActivitySignal> signals) {
        List<EventEnvelope> events = new ArrayList<>(signals.size());
        for (ActivitySignal s : signals) {
            RollcallEvent data = switch (s) {
                case ActivitySignal.State st -> new WorkstationStateChanged(user, agent.host(), st.state());
                case ActivitySignal.Session se -> new WorkstationSessionChanged(user, agent.host(), se.kind());
                case ActivitySignal.WallClockJumped j -> {
                    LOG.warnf("the wall clock jumped by %s (not a suspend); event times stay in order", j.by());
                    yield null;
                }
            };
            if (data != null) {
                events.add(EventEnvelope.of(UUID.randomUUID(), agent.source(), s.time(), agent.site(), user, data));
            }
        }
        if (events.isEmpty()) {
            return;
        }
        try {
            outbox.append(events);
        } catch (IOException e) {
            LOG.errorf("cannot queue %d events: %s", events.size(), e.getMessage());
            return;
        }
        for (ActivitySignal s : signals) {
            switch (s) {
                case ActivitySignal.State st when !st.repeat() -> LOG.infof("%s %s (%s)", user, st.state().wire(), st.time());
                case ActivitySignal.Session se -> LOG.infof("%s session: %s (%s)", user, se.kind().wire(), se.time());
                default -> {
                }
            }
        }
    }

    /** Appends a heartbeat: uptime and outbox depth; no scans and no devices, which tells it from a network agent. */
    EventEnvelope heartbeat() {
        return heartbeat(false);
    }

    private EventEnvelope heartbeat(boolean stopping) {
        Instant now = wall.instant().truncatedTo(ChronoUnit.MILLIS);
        EventEnvelope e = EventEnvelope.of(UUID.randomUUID(), agent.source(), now, agent.site(), agent.agentId(),
                new AgentHeartbeat(agent.agentId(), agent.version(), agent.host(), agent.os(),
                        Math.max(0, Duration.between(agent.startedAt(), now).toSeconds()), outbox.size(), null, List.of(),
                        stopping));
        try {
            outbox.append(List.of(e));
        } catch (IOException ex) {
            LOG.errorf("cannot queue a heartbeat: %s", ex.getMessage());
        }
        return e;
    }
}
