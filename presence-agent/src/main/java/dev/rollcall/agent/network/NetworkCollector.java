package dev.rollcall.agent.network;

import dev.rollcall.agent.AgentIdentity;
import dev.rollcall.agent.AliveMark;
import dev.rollcall.agent.Sleeper;
import dev.rollcall.agent.outbox.Outbox;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventEnvelope;
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
 * The network collector's loop: scan every {@code interval}, turn the scan into state changes
 * ({@link PresenceTracker}), mint them as events (the id is born here, where the change is observed) and
 * append them to the outbox; every {@code heartbeat} append an {@link AgentHeartbeat} listing the devices
 * online, so the server can correct a change it never received. Each scan leaves an {@link AliveMark}; a start
 * finding one older than two scan intervals first reports the outage since (presence was unknown then, whether the
 * agent crashed or was stopped), and a deliberate stop ends with a heartbeat saying so.
 */
public final class NetworkCollector {

    private static final Logger LOG = Logger.getLogger(NetworkCollector.class);

    /** What one scan found and what it changed. */
    public record ScanReport(Instant at, int seen, List<EventEnvelope> events, Duration took) {
    }

    private final DeviceSweep sweep;
    private final PresenceTracker tracker;
    private final RememberedDevices memory;
    private final Outbox outbox;
    private final AgentIdentity agent;
    private final InstantSource clock;
    private final Duration interval;
    private final Duration heartbeat;
    private final AliveMark alive;
    private Duration lastScan;

    public NetworkCollector(DeviceSweep sweep, PresenceTracker tracker, RememberedDevices memory, AliveMark alive,
                            Outbox outbox, AgentIdentity agent, InstantSource clock, Duration interval, Duration heartbeat) {
        this.sweep = sweep;
        this.alive = alive;
        this.tracker = tracker;
        this.memory = memory;
        this.outbox = outbox;
        this.agent = agent;
        this.clock = clock;
        this.interval = interval;
        this.heartbeat = heartbeat;
    }

    /**
     * Scans, heartbeats and waits until {@code running} turns false. Scans keep a fixed rate (a slow scan
     * delays the next, never doubles up); a heartbeat follows the first scan, so it already lists devices.
     * A failed scan is logged and counts as no scan at all (it does not make every device miss one).
     */
    public void run(Sleeper sleeper, BooleanSupplier running) throws InterruptedException {
        reportOutage();
        Instant nextScan = clock.instant();
        Instant nextHeartbeat = null;
        while (running.getAsBoolean()) {
            if (!clock.instant().isBefore(nextScan)) {
                try {
                    scan();
                } catch (IOException e) {
                    LOG.errorf("scan failed: %s", e.getMessage());
                }
                nextScan = latest(nextScan.plus(interval), clock.instant());
                if (nextHeartbeat == null) {
                    nextHeartbeat = clock.instant();
                }
            }
            if (nextHeartbeat != null && !clock.instant().isBefore(nextHeartbeat)) {
                try {
                    heartbeat();
                } catch (IOException e) {
                    LOG.errorf("cannot queue a heartbeat: %s", e.getMessage());
                }
                nextHeartbeat = latest(nextHeartbeat.plus(heartbeat), clock.instant());
            }
            Instant now = clock.instant();
            // The wall clock may jump back (NTP, a resumed VM): never wait longer than one period because of it.
            if (Duration.between(now, nextScan).compareTo(interval) > 0) {
                nextScan = now.plus(interval);
            }
            if (nextHeartbeat != null && Duration.between(now, nextHeartbeat).compareTo(heartbeat) > 0) {
                nextHeartbeat = now.plus(heartbeat);
            }
            Instant wake = nextHeartbeat == null || nextScan.isBefore(nextHeartbeat) ? nextScan : nextHeartbeat;
            Duration wait = Duration.between(now, wake);
            if (wait.isPositive() && running.getAsBoolean()) {
                sleeper.sleep(wait);
            }
        }
    }

    /**
     * Queues the outage since the previous run's last scan, if that is more than two scan intervals ago (a restart
     * within that misses no scan). A deliberate stop counts too: nobody watched the office meanwhile.
     */
    public Optional<EventEnvelope> reportOutage() {
        Optional<EventEnvelope> outage = AliveMark.outage(alive.read(), clock.instant(), interval.multipliedBy(2), true, agent);
        outage.ifPresent(e -> {
            AgentDowntimeReported d = (AgentDowntimeReported) e.data();
            try {
                outbox.append(List.of(e));
                LOG.warnf("not scanning from %s to %s (%s): reporting the outage", d.start(), d.end(),
                        Duration.between(d.start(), d.end()));
            } catch (IOException ex) {
                LOG.errorf("cannot queue the outage from %s to %s: %s", d.start(), d.end(), ex.getMessage());
            }
        });
        return outage;
    }

    /** A deliberate stop (SIGTERM): a last heartbeat saying so, and the mark that the next start reads. */
    public EventEnvelope stop() throws IOException {
        EventEnvelope last = heartbeat(true);
        alive.stopped(last.time());
        return last;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** One scan: sweep, fold, append the changes (durably), remember the devices online. */
    public ScanReport scan() throws IOException, InterruptedException {
        Instant started = clock.instant();
        List<Sighting> seen = sweep.scan();
        Instant at = now();
        lastScan = Duration.between(started, at);
        List<DeviceTransition> changes = tracker.observe(at, seen);
        List<EventEnvelope> events = new ArrayList<>(changes.size());
        for (DeviceTransition c : changes) {
            events.add(EventEnvelope.of(UUID.randomUUID(), agent.source(), c.time(), agent.site(), c.mac(),
                    new DeviceStateChanged(c.mac(), c.ip(), c.state())));
        }
        // Events first, then the memory: a crash in between re-announces a change; the other order could lose one.
        outbox.append(events);
        // Every scan (one small file a minute): the last-seen times date the offline events after a restart.
        memory.save(tracker.snapshot());
        alive.touch(at);
        for (DeviceTransition c : changes) {
            LOG.infof("%s %s%s (%s)", c.mac(), c.state().wire(), c.ip() == null ? "" : " at " + c.ip(), c.time());
        }
        LOG.debugf("scan at %s: %d seen, %d online, %d changes, %d ms", at, seen.size(), tracker.online().size(),
                changes.size(), lastScan.toMillis());
        return new ScanReport(at, seen.size(), events, lastScan);
    }

    /** Event times in milliseconds: finer is noise for attendance, and the wire form stays short. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Appends a heartbeat: who is online now, uptime, outbox depth, the last scan's duration. */
    public EventEnvelope heartbeat() throws IOException {
        return heartbeat(false);
    }

    private EventEnvelope heartbeat(boolean stopping) throws IOException {
        Instant now = now();
        List<String> online = tracker.online();
        if (online.size() > AgentHeartbeat.MAX_DEVICES) {
            online = online.subList(0, AgentHeartbeat.MAX_DEVICES);
        }
        EventEnvelope e = EventEnvelope.of(UUID.randomUUID(), agent.source(), now, agent.site(), agent.agentId(),
                new AgentHeartbeat(agent.agentId(), agent.version(), agent.host(), agent.os(),
                        Math.max(0, Duration.between(agent.startedAt(), now).toSeconds()), outbox.size(),
                        lastScan == null ? null : lastScan.toMillis(), online, stopping));
        outbox.append(List.of(e));
        return e;
    }
}
