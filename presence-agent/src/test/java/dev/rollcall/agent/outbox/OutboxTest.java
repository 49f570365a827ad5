package dev.rollcall.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir
    Path dir;

    static EventEnvelope event(int n) {
        String mac = String.format("02:00:00:00:%02x:%02x", n >> 8 & 0xff, n & 0xff);
        return EventEnvelope.of(UUID.randomUUID(), "agent/test", Instant.parse("2026-11-20T08:00:00Z").plusSeconds(n),
                "hq", mac, new DeviceStateChanged(mac, "10.0.0." + (n % 250 + 1), DeviceState.ONLINE));
    }

    static List<EventEnvelope> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(OutboxTest::event).toList();
    }

    private static List<UUID> ids(List<OutboxEntry> entries) {
        return entries.stream().map(e -> e.event().id()).toList();
    }

    private static List<UUID> idsOf(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::id).toList();
    }

    @Test
    void keepsEventsInOrderAcrossReopening() throws IOException {
        List<EventEnvelope> first = events(0, 3);
        List<EventEnvelope> second = events(3, 5);
        try (Outbox outbox = Outbox.open(dir, 100)) {
            outbox.append(first);
            outbox.append(second);
            assertThat(outbox.size()).isEqualTo(5);
        }
        try (Outbox outbox = Outbox.open(dir, 100)) {
            List<OutboxEntry> peeked = outbox.peek(10);
            assertThat(ids(peeked)).containsExactlyElementsOf(
                    Stream.concat(first.stream(), second.stream()).map(EventEnvelope::id).toList());
            assertThat(peeked.getFirst().event()).isEqualTo(first.getFirst());
            assertThat(outbox.peek(2)).hasSize(2);

            // New events go after the ones from the earlier run.
            EventEnvelope later = event(99);
            outbox.append(List.of(later));
            assertThat(outbox.peek(10).getLast().event().id()).isEqualTo(later.id());
        }
    }

    @Test
    void peekDoesNotRemoveButRemoveDoesForGood() throws IOException {
        List<EventEnvelope> all = events(0, 4);
        try (Outbox outbox = Outbox.open(dir, 100)) {
            outbox.append(all);
            List<OutboxEntry> batch = outbox.peek(2);
            assertThat(outbox.peek(2)).isEqualTo(batch);
            outbox.remove(batch);
            assertThat(ids(outbox.peek(10))).containsExactlyElementsOf(idsOf(all.subList(2, 4)));
        }
        try (Outbox outbox = Outbox.open(dir, 100)) {
            assertThat(ids(outbox.peek(10))).containsExactlyElementsOf(idsOf(all.subList(2, 4)));
        }
    }

    @Test
    void dropsTheOldestBeyondTheBoundAndCountsThem() throws IOException {
        try (Outbox outbox = Outbox.open(dir, 3)) {
            List<EventEnvelope> all = events(0, 5);
            outbox.append(all.subList(0, 2));
            outbox.append(all.subList(2, 5));

            assertThat(outbox.size()).isEqualTo(3);
            assertThat(outbox.dropped()).isEqualTo(2);
            assertThat(ids(outbox.peek(10))).containsExactlyElementsOf(idsOf(all.subList(2, 5)));

            // A single batch larger than the bound keeps its newest events.
            List<EventEnvelope> burst = events(10, 15);
            outbox.append(burst);
            assertThat(ids(outbox.peek(10))).containsExactlyElementsOf(idsOf(burst.subList(2, 5)));
            assertThat(outbox.dropped()).isEqualTo(7);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.filter(f -> f.getFileName().toString().endsWith(".json"))).hasSize(3);
            }
        }
        // Reopened with a smaller bound, it trims at once.
        try (Outbox outbox = Outbox.open(dir, 1)) {
            assertThat(outbox.size()).isEqualTo(1);
            assertThat(outbox.dropped()).isEqualTo(2);
        }
    }

    @Test
    void leftoversOfAnInterruptedWriteAreDeletedNotQueued() throws IOException {
        try (Outbox outbox = Outbox.open(dir, 100)) {
            outbox.append(events(0, 2));
        }
        Path torn = dir.resolve(DurableFiles.TEMP_PREFIX + "0000000000000000003.json");
        Files.writeString(torn, "{\"specversion\":\"1.0\",\"id\":\"half");

        try (Outbox outbox = Outbox.open(dir, 100)) {
            assertThat(outbox.size()).isEqualTo(2);
            assertThat(outbox.peek(10)).hasSize(2);
            assertThat(torn).doesNotExist();
        }
    }

    @Test
    void anUnreadableEventIsSetAsideInsteadOfBlockingTheQueue() throws IOException {
        List<EventEnvelope> all = events(0, 3);
        try (Outbox outbox = Outbox.open(dir, 100)) {
            outbox.append(all);
        }
        Files.writeString(dir.resolve("0000000000000000002.json"), "not json");

        try (Outbox outbox = Outbox.open(dir, 100)) {
            assertThat(ids(outbox.peek(10))).containsExactly(all.get(0).id(), all.get(2).id());
            assertThat(outbox.size()).isEqualTo(2);
            assertThat(dir.resolve("corrupt/0000000000000000002.json")).hasContent("not json");
        }
    }

    @Test
    void rejectedEventsMoveAsideWithTheServersReason() throws IOException {
        List<EventEnvelope> all = events(0, 3);
        try (Outbox outbox = Outbox.open(dir, 100)) {
            outbox.append(all);
            OutboxEntry bad = outbox.peek(3).get(1);
            outbox.reject(bad, "data.mac: not a MAC address");

            assertThat(ids(outbox.peek(10))).containsExactly(all.get(0).id(), all.get(2).id());
            assertThat(outbox.rejected()).isEqualTo(1);
            Path moved = dir.resolve("rejected/" + bad.sequence() + "-" + bad.event().id() + ".json");
            assertThat(moved).exists();
            assertThat(Files.readString(moved)).contains(bad.event().id().toString());
            assertThat(dir.resolve("rejected/" + bad.sequence() + "-" + bad.event().id() + ".reason.txt"))
                    .hasContent("data.mac: not a MAC address");
        }
        try (Outbox outbox = Outbox.open(dir, 100)) {
            assertThat(outbox.size()).isEqualTo(2);
        }
    }

    @Test
    void oneAgentPerOutbox() throws IOException {
        try (Outbox first = Outbox.open(dir, 100)) {
            assertThatThrownBy(() -> Outbox.open(dir, 100)).isInstanceOf(IOException.class)
                    .hasMessageContaining("another presence-agent is using the outbox");
        }
        Outbox.open(dir, 100).close(); // released on close
    }

    @Test
    void theOutboxIsPrivateToItsOwner() throws IOException {
        Path nested = dir.resolve("var/lib/agent/outbox");
        try (Outbox outbox = Outbox.open(nested, 100)) {
            outbox.append(events(0, 1));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
    }

    @Test
    void aWaitingShipperWakesWhenAnEventArrives() throws Exception {
        try (Outbox outbox = Outbox.open(dir, 100)) {
            assertThat(outbox.awaitEvents(Duration.ofMillis(20))).isFalse();
            List<Boolean> woke = new ArrayList<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    woke.add(outbox.awaitEvents(Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            outbox.append(events(0, 1));
            waiter.join(Duration.ofSeconds(10));
            assertThat(woke).containsExactly(true);
        }
    }
}
