package dev.rollcall.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollcall.agent.AgentIdentity;
import dev.rollcall.agent.AliveMark;
import dev.rollcall.agent.FakeClock;
import dev.rollcall.agent.outbox.Outbox;
import dev.rollcall.agent.outbox.OutboxEntry;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan loop with a scripted network and a fake clock: what it queues, when, and what survives a restart. */
class NetworkCollectorTest {

    private static final String PHONE = "3c:22:fb:12:34:56";
    private static final String TABLET = "a4:83:e7:00:11:22";
    private static final Duration SCAN_TAKES = Duration.ofSeconds(9);
    private static final Instant START = Instant.parse("2026-11-20T07:00:00Z");

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock(START);
    private final List<Instant> scanTimes = new ArrayList<>();
    private final Deque<Object> script = new ArrayDeque<>();
    private Outbox outbox;

    /** Each scan takes 9 s of fake time and answers the next scripted list of sightings (or throws it). */
    private final DeviceSweep network = new DeviceSweep() {
        @Override
        public List<Sighting> scan() throws IOException {
            scanTimes.add(clock.instant());
            clock.advance(SCAN_TAKES);
            Object next = script.removeFirst();
            if (next instanceof IOException e) {
                throw e;
            }
            if (next instanceof Duration jump) { // the wall clock jumps during this scan; nobody answers
                clock.advance(jump);
                return List.of();
            }
            @SuppressWarnings("unchecked")
            List<Sighting> seen = (List<Sighting>) next;
            return seen;
        }

        @Override
        public String describe() {
            return "scripted";
        }
    };

    @BeforeEach
    void open() throws IOException {
        outbox = Outbox.open(dir, 10_000);
    }

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    private NetworkCollector collector() throws IOException {
        RememberedDevices memory = new RememberedDevices(dir.resolve("network-devices.txt"));
        return new NetworkCollector(network, new PresenceTracker(2, memory.load()), memory,
                new AliveMark(dir.resolve("agent-alive.txt"), Duration.ZERO), outbox,
                new AgentIdentity("hq-office-1", "hq", "1.2.3", "office-pi", "Linux 6.1", START), clock,
                Duration.ofSeconds(60), Duration.ofMinutes(5));
    }

    private void runScript(NetworkCollector c) throws InterruptedException {
        c.run(clock, () -> !script.isEmpty());
    }

    private List<EventEnvelope> queued() throws IOException {
        return outbox.peek(Integer.MAX_VALUE).stream().map(OutboxEntry::event).toList();
    }

    private static List<Sighting> seen(Sighting... s) {
        return List.of(s);
    }

    @Test
    void queuesStateChangesOnlyAndHeartbeatsEveryFiveMinutes() throws Exception {
        Sighting phone = new Sighting(PHONE, "192.168.10.23");
        Sighting tablet = new Sighting(TABLET, "192.168.10.40");
        script.add(seen(phone));                // 07:00 phone online
        script.add(seen(phone, tablet));        // 07:01 tablet online
        script.add(seen(tablet));               // 07:02 phone missed once
        script.add(seen(tablet));               // 07:03 phone missed twice: offline, as of 07:01
        for (int i = 0; i < 7; i++) {
            script.add(seen(tablet));           // 07:04 … 07:10
        }

        runScript(collector());

        assertThat(scanTimes).as("a fixed rate, although each scan takes 9 s")
                .containsExactly(START, START.plusSeconds(60), START.plusSeconds(120), START.plusSeconds(180),
                        START.plusSeconds(240), START.plusSeconds(300), START.plusSeconds(360),
                        START.plusSeconds(420), START.plusSeconds(480), START.plusSeconds(540),
                        START.plusSeconds(600));
        List<EventEnvelope> events = queued();
        List<EventEnvelope> changes = events.stream().filter(e -> e.data() instanceof DeviceStateChanged).toList();
        assertThat(changes).extracting(EventEnvelope::data).containsExactly(
                new DeviceStateChanged(PHONE, "192.168.10.23", DeviceState.ONLINE),
                new DeviceStateChanged(TABLET, "192.168.10.40", DeviceState.ONLINE),
                new DeviceStateChanged(PHONE, null, DeviceState.OFFLINE));
        assertThat(changes).extracting(EventEnvelope::time).containsExactly(
                START.plus(SCAN_TAKES), START.plusSeconds(60).plus(SCAN_TAKES), START.plusSeconds(60).plus(SCAN_TAKES));
        assertThat(changes).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo("agent/hq-office-1");
            assertThat(e.site()).isEqualTo("hq");
            assertThat(e.subject()).isEqualTo(((DeviceStateChanged) e.data()).mac());
        });

        List<EventEnvelope> beats = events.stream().filter(e -> e.data() instanceof AgentHeartbeat).toList();
        assertThat(beats).extracting(EventEnvelope::time)
                .containsExactly(START.plus(SCAN_TAKES), START.plus(SCAN_TAKES).plusSeconds(300),
                        START.plus(SCAN_TAKES).plusSeconds(600));
        AgentHeartbeat first = (AgentHeartbeat) beats.getFirst().data();
        assertThat(first).isEqualTo(new AgentHeartbeat("hq-office-1", "1.2.3", "office-pi", "Linux 6.1", 9, 1, 9000L,
                List.of(PHONE)));
        AgentHeartbeat second = (AgentHeartbeat) beats.get(1).data();
        assertThat(second.devicesOnline()).containsExactly(TABLET);
        assertThat(second.uptimeSeconds()).isEqualTo(309);
        assertThat(second.outboxDepth()).as("nothing ships in this test: everything so far is queued").isEqualTo(4);
        assertThat(events).extracting(EventEnvelope::id).doesNotHaveDuplicates();
    }

    @Test
    void aFailedScanIsNoScanAtAllNotAMissForEveryDevice() throws Exception {
        Sighting phone = new Sighting(PHONE, "192.168.10.23");
        script.add(seen(phone));
        script.add(new IOException("network is unreachable"));
        script.add(new IOException("network is unreachable"));
        script.add(seen(phone));

        runScript(collector());

        assertThat(queued()).extracting(EventEnvelope::data).filteredOn(d -> d instanceof DeviceStateChanged)
                .containsExactly(new DeviceStateChanged(PHONE, "192.168.10.23", DeviceState.ONLINE));
    }

    @Test
    void aWallClockJumpingBackDoesNotStopTheScans() throws Exception {
        Sighting phone = new Sighting(PHONE, "192.168.10.23");
        script.add(seen(phone));
        script.add(Duration.ofHours(-1));
        script.add(seen(phone));

        runScript(collector());

        // Scan, scan (the clock goes back an hour meanwhile), then the next one interval later, not an hour later.
        assertThat(scanTimes).containsExactly(START, START.plusSeconds(60), START.plusSeconds(60 + 9 + 60).minusSeconds(3600));
        assertThat(clock.sleeps()).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void afterARestartADeviceThatLeftMeanwhileGoesOfflineAsOfItsLastSighting() throws Exception {
        Sighting phone = new Sighting(PHONE, "192.168.10.23");
        Sighting tablet = new Sighting(TABLET, "192.168.10.40");
        script.add(seen(phone, tablet));
        runScript(collector());
        Instant lastSeen = START.plus(SCAN_TAKES);
        int before = queued().size();

        clock.advance(Duration.ofHours(2)); // the agent is down; the tablet leaves
        script.add(seen(phone));
        script.add(seen(phone));
        runScript(collector()); // a new collector, as after a restart: it remembers from disk

        List<EventEnvelope> after = queued().subList(before, queued().size()).stream()
                .filter(e -> e.data() instanceof DeviceStateChanged).toList();
        assertThat(after).extracting(EventEnvelope::data)
                .containsExactly(new DeviceStateChanged(TABLET, null, DeviceState.OFFLINE));
        assertThat(after.getFirst().time()).isEqualTo(lastSeen);
    }

    @Test
    void aRestartAfterMoreThanTwoScanIntervalsReportsTheOutageSinceTheLastScanAQuickOneDoesNot() throws Exception {
        script.add(seen());
        script.add(seen());
        runScript(collector());                           // scans at 07:00:00 and 07:01:00, each done 9 s later
        Instant lastScan = START.plusSeconds(60).plus(SCAN_TAKES);
        assertThat(Files.readString(dir.resolve("agent-alive.txt")).strip()).isEqualTo(lastScan.toString());

        clock.advance(Duration.ofSeconds(100));           // 109 s after the last scan: not over 2 x 60 s
        assertThat(collector().reportOutage()).isEmpty();

        clock.advance(Duration.ofMinutes(20));            // killed, then started 20 min later
        int before = queued().size();
        Instant restart = clock.instant();
        script.add(seen());
        runScript(collector());
        List<EventEnvelope> after = queued().subList(before, queued().size());
        assertThat(after.getFirst().data()).isEqualTo(new AgentDowntimeReported(lastScan, restart));
        assertThat(after.getFirst()).satisfies(e -> {
            assertThat(e.subject()).isEqualTo("hq-office-1");
            assertThat(e.source()).isEqualTo("agent/hq-office-1");
            assertThat(e.site()).isEqualTo("hq");
            assertThat(e.time()).isEqualTo(restart);
        });
        assertThat(after).filteredOn(e -> e.data() instanceof AgentDowntimeReported).hasSize(1);
    }

    @Test
    void aDeliberateStopSendsAStoppingHeartbeatAndThePresenceUnknownMeanwhileIsStillReported() throws Exception {
        script.add(seen(new Sighting(PHONE, "192.168.10.23")));
        NetworkCollector c = collector();
        runScript(c);
        clock.advance(Duration.ofSeconds(30));
        EventEnvelope last = c.stop();

        assertThat(queued().getLast()).isEqualTo(last);
        assertThat((AgentHeartbeat) last.data()).satisfies(h -> {
            assertThat(h.stopping()).isTrue();
            assertThat(h.devicesOnline()).containsExactly(PHONE);
        });
        assertThat(Files.readString(dir.resolve("agent-alive.txt")).strip()).isEqualTo(last.time() + " stopped");

        clock.advance(Duration.ofMinutes(30));
        assertThat(collector().reportOutage()).map(EventEnvelope::data)
                .contains(new AgentDowntimeReported(last.time(), clock.instant()));
    }

    @Test
    void aMissingOrDamagedMarkReportsNothing() throws Exception {
        clock.advance(Duration.ofHours(1));
        assertThat(collector().reportOutage()).as("first start").isEmpty();
        for (String damaged : new String[] {"", "2026-11-20T07:0", "garbage", "2026-11-20T07:00:00Z resting", "\0\0\0"}) {
            Files.writeString(dir.resolve("agent-alive.txt"), damaged);
            assertThat(collector().reportOutage()).as("mark '%s'", damaged).isEmpty();
        }
        // a mark ahead of the clock (the clock was stepped back): nothing, rather than a made-up outage
        Files.writeString(dir.resolve("agent-alive.txt"), clock.instant().plus(Duration.ofHours(1)) + "\n");
        assertThat(collector().reportOutage()).isEmpty();
        assertThat(queued()).isEmpty();
    }
}
