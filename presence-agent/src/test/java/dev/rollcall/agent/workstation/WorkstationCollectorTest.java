package dev.rollcall.agent.workstation;

import dev.rollcall.agent.AgentIdentity;
import dev.rollcall.agent.AliveMark;
import dev.rollcall.agent.FakeClock;
import dev.rollcall.agent.outbox.Outbox;
import dev.rollcall.agent.outbox.OutboxEntry;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector's loop on a fake clock with a real outbox: what it queues, when, and named how (site, source,
 * subject, user, host), including a failing idle source and the stop.
 */
class WorkstationCollectorTest {

    static final Instant START = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock(START);
    /** Input happens at these instants; idle is the time since the latest one before now. */
    Instant lastInput = START;
    boolean failing;
    Outbox outbox;

    final IdleSource source = new IdleSource() {
        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public Reading read() throws IOException {
            if (failing) {
                throw new IOException("display gone");
            }
            return new Reading(Duration.between(lastInput, clock.instant()), false);
        }
    };

    /** Both monotonic clocks follow the fake wall clock: no suspend, no steps. */
    final MachineClocks clocks = new MachineClocks() {
        @Override
        public long awakeNanos() {
            return Duration.between(START, clock.instant()).toNanos();
        }

        @Override
        public long sinceBootNanos() {
            return Duration.ofHours(2).toNanos() + awakeNanos();
        }
    };

    final AgentIdentity agent = new AgentIdentity("ws-42", "hq", "0.1.0", "PC-0042", "Linux 6.1", START);

    @BeforeEach
    void open() throws IOException {
        outbox = Outbox.open(dir.resolve("outbox"), 10_000);
    }

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    WorkstationCollector collector() {
        return new WorkstationCollector(source, clocks, clock,
                new ActivityTracker(ActivityTracker.Settings.of(Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(1))),
                outbox, new AliveMark(dir.resolve("agent-alive.txt"), WorkstationCollector.markEvery(Duration.ofMinutes(1))),
                agent, "ACME\\jdoe", Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    List<EventEnvelope> queued() throws IOException {
        return outbox.peek(10_000).stream().map(OutboxEntry::event).toList();
    }

    static List<String> summary(List<EventEnvelope> events) {
        return events.stream().map(e -> e.time().toString().substring(11, 19) + " " + switch (e.data()) {
            case WorkstationStateChanged w -> w.state().wire();
            case WorkstationSessionChanged s -> s.kind().wire();
            case AgentHeartbeat h -> "heartbeat";
            default -> e.type();
        }).toList();
    }

    @Test
    void pollsEveryMinuteResendsAndStopsAfterTheThresholdThroughTheOutbox() throws Exception {
        Instant end = START.plus(Duration.ofMinutes(15)).plusSeconds(30);
        collector().run(clock, () -> clock.instant().isBefore(end));

        List<EventEnvelope> events = queued();
        assertThat(summary(events)).containsExactly(
                "08:00:00 logon", "08:00:00 working", "08:00:00 heartbeat",
                "08:01:00 working", "08:02:00 working", "08:03:00 working", "08:04:00 working", "08:05:00 working",
                "08:05:00 heartbeat", "08:06:00 working", "08:07:00 working", "08:08:00 working", "08:09:00 working",
                "08:10:00 stopped", "08:10:00 heartbeat", "08:11:00 stopped", "08:12:00 stopped", "08:13:00 stopped",
                "08:14:00 stopped", "08:15:00 stopped", "08:15:00 heartbeat");
        assertThat(clock.sleeps()).allMatch(d -> d.equals(Duration.ofMinutes(1)));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.site()).isEqualTo("hq");
            assertThat(e.source()).isEqualTo("agent/ws-42");
        });
        assertThat(events).filteredOn(e -> e.data() instanceof WorkstationStateChanged).allSatisfy(e -> {
            assertThat(e.subject()).isEqualTo("ACME\\jdoe");
            assertThat(e.data()).isEqualTo(new WorkstationStateChanged("ACME\\jdoe", "PC-0042",
                    ((WorkstationStateChanged) e.data()).state()));
        });
        assertThat(events).filteredOn(e -> e.data() instanceof AgentHeartbeat).first()
                .extracting(e -> (AgentHeartbeat) e.data())
                .satisfies(h -> {
                    assertThat(h.lastScanMillis()).as("a workstation agent scans nothing").isNull();
                    assertThat(h.devicesOnline()).isEmpty();
                });
        assertThat(events).extracting(EventEnvelope::id).doesNotHaveDuplicates();
    }

    @Test
    void inputAfterIdleIsWorkingAtTheNextPollAndTheStopIsQueued() throws Exception {
        WorkstationCollector c = collector();
        Instant end = START.plus(Duration.ofMinutes(12)).plusSeconds(30);
        c.run(d -> {
            clock.sleep(d);
            if (clock.instant().equals(START.plus(Duration.ofMinutes(11)).plusSeconds(0))) {
                lastInput = clock.instant().minusSeconds(20);
            }
        }, () -> clock.instant().isBefore(end));
        clock.advance(Duration.ofSeconds(7));   // the loop ended on its sleep to 08:13:00
        c.stop(WorkstationSessionKind.LOGOFF);

        assertThat(summary(queued())).containsSubsequence("08:10:00 stopped", "08:11:00 working", "08:12:00 working",
                "08:13:07 logoff", "08:13:07 stopped");
    }

    @Test
    void aFailingIdleSourceSendsNothingUntilItAnswersAgain() throws Exception {
        WorkstationCollector c = collector();
        Instant end = START.plus(Duration.ofMinutes(6)).plusSeconds(30);
        c.run(d -> {
            clock.sleep(d);
            failing = clock.instant().isAfter(START.plus(Duration.ofMinutes(1)))
                    && clock.instant().isBefore(START.plus(Duration.ofMinutes(5)));
            lastInput = clock.instant();
        }, () -> clock.instant().isBefore(end));

        assertThat(summary(queued())).containsExactly("08:00:00 logon", "08:00:00 working", "08:00:00 heartbeat",
                "08:01:00 working", "08:05:00 working", "08:05:00 heartbeat", "08:06:00 working");
    }

    @Test
    void aStopBeforeAnyPollIsStillALogoff() throws Exception {
        WorkstationCollector c = collector();
        c.run(clock, () -> false);
        c.stop(WorkstationSessionKind.SHUTDOWN);
        assertThat(summary(queued())).containsExactly("08:00:00 logon", "08:00:00 working", "08:00:00 heartbeat",
                "08:00:00 shutdown", "08:00:00 stopped", "08:00:00 heartbeat");
        assertThat(WorkstationState.STOPPED).isNotNull();
    }

    @Test
    void aRunThatEndedWithoutStoppingIsReportedAsAnOutageAtTheNextStart() throws Exception {
        collector().run(clock, () -> clock.instant().isBefore(START.plus(Duration.ofMinutes(3)).plusSeconds(30)));
        Instant lastPoll = START.plus(Duration.ofMinutes(3));
        // killed (or the power went): the next start, an hour later, reports the hour in which nobody watched
        clock.advance(Duration.ofHours(1));
        Instant restart = clock.instant();
        lastInput = restart;
        int before = queued().size();
        collector().run(clock, () -> false);

        List<EventEnvelope> after = queued().subList(before, queued().size());
        assertThat(after.getFirst().data()).isEqualTo(new AgentDowntimeReported(lastPoll, restart));
        assertThat(after.getFirst().subject()).isEqualTo("ws-42");
        assertThat(summary(after).subList(1, after.size())).containsExactly(
                restart.toString().substring(11, 19) + " logon", restart.toString().substring(11, 19) + " working",
                restart.toString().substring(11, 19) + " heartbeat");
    }

    @Test
    void aLogoffEndsWithAStoppingHeartbeatAndTheNightAfterIsNoOutage() throws Exception {
        WorkstationCollector c = collector();
        c.run(clock, () -> clock.instant().isBefore(START.plus(Duration.ofMinutes(2)).plusSeconds(30)));
        c.stop(WorkstationSessionKind.LOGOFF);
        EventEnvelope last = queued().getLast();
        assertThat(summary(queued()).subList(queued().size() - 3, queued().size()))
                .containsExactly("08:03:00 logoff", "08:03:00 stopped", "08:03:00 heartbeat");
        assertThat(((AgentHeartbeat) last.data()).stopping()).isTrue();
        assertThat(queued()).filteredOn(e -> e.data() instanceof AgentHeartbeat h && h.stopping()).containsExactly(last);

        clock.advance(Duration.ofHours(15)); // the PC is off overnight
        int before = queued().size();
        collector().run(clock, () -> false);
        assertThat(queued().subList(before, queued().size())).noneMatch(e -> e.data() instanceof AgentDowntimeReported);
    }

    @Test
    void aQuickRestartIsNoOutage() throws Exception {
        collector().run(clock, () -> clock.instant().isBefore(START.plus(Duration.ofMinutes(1)).plusSeconds(30)));
        clock.advance(Duration.ofSeconds(50)); // the loop ended on its sleep to 08:02:00; the last mark (08:01:00) is 110 s old
        assertThat(collector().reportOutage()).isEmpty();
    }
}
