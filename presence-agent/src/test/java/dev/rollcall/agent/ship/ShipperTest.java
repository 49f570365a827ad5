package dev.rollcall.agent.ship;

import static dev.rollcall.agent.ship.Shipper.Outcome.FAILED;
import static dev.rollcall.agent.ship.Shipper.Outcome.IDLE;
import static dev.rollcall.agent.ship.Shipper.Outcome.REFUSED;
import static dev.rollcall.agent.ship.Shipper.Outcome.REJECTED;
import static dev.rollcall.agent.ship.Shipper.Outcome.SHIPPED;
import static dev.rollcall.agent.ship.Shipper.Outcome.SHRUNK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollcall.agent.FakeClock;
import dev.rollcall.agent.outbox.Outbox;
import dev.rollcall.agent.outbox.OutboxEntry;
import dev.rollcall.agent.ship.FakeIngest.Answer;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper against a real HTTP server on 127.0.0.1, with the real client and outbox; waits are only computed. */
class ShipperTest {

    private static final AgentCredential CREDENTIAL = AgentCredential.parse("hq-office-1.s3cret-Value_42");

    @TempDir
    Path dir;

    private FakeIngest ingest;
    private Outbox outbox;
    private Shipper shipper;

    @BeforeEach
    void start() throws IOException {
        ingest = FakeIngest.http();
        outbox = Outbox.open(dir.resolve("outbox"), 100_000);
        // random = 0: every wait is exactly half its exponential step, so the test can name it.
        shipper = new Shipper(outbox, client(ingest), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0));
    }

    @AfterEach
    void stop() throws IOException {
        ingest.close();
        outbox.close();
    }

    private static IngestClient client(FakeIngest server) {
        return new IngestClient(server.base(), CREDENTIAL, Optional.empty(), "presence-agent/test", Duration.ofSeconds(10));
    }

    static List<EventEnvelope> events(int n) {
        return IntStream.range(0, n).mapToObj(i -> {
            String mac = String.format("02:00:00:00:%02x:%02x", i >> 8 & 0xff, i & 0xff);
            return EventEnvelope.of(UUID.randomUUID(), "agent/hq-office-1",
                    Instant.parse("2026-11-20T08:00:00Z").plusSeconds(i), "hq", mac,
                    new DeviceStateChanged(mac, "10.0.0.9", DeviceState.ONLINE));
        }).toList();
    }

    private List<String> queuedIds() throws IOException {
        return outbox.peek(Integer.MAX_VALUE).stream().map(e -> e.event().id().toString()).toList();
    }

    private static List<String> idsOf(List<EventEnvelope> events) {
        return events.stream().map(e -> e.id().toString()).toList();
    }

    private List<Shipper.Step> shipUntilIdle() throws Exception {
        List<Shipper.Step> steps = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Shipper.Step s = shipper.shipOnce();
            steps.add(s);
            if (s.outcome() == IDLE) {
                return steps;
            }
        }
        throw new AssertionError("never idle: " + steps);
    }

    @Test
    void shipsOldestFirstInBatchesOfAtMost500AsCloudEventsWithTheBearerCredential() throws Exception {
        List<EventEnvelope> all = events(1200);
        outbox.append(all);

        List<Shipper.Step> steps = shipUntilIdle();

        assertThat(steps).extracting(Shipper.Step::outcome).containsExactly(SHIPPED, SHIPPED, SHIPPED, IDLE);
        assertThat(steps).extracting(Shipper.Step::pause).startsWith(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        List<FakeIngest.Request> requests = ingest.requests();
        assertThat(requests).extracting(FakeIngest.Request::size).containsExactly(500, 500, 200);
        assertThat(requests.stream().flatMap(r -> r.ids().stream())).containsExactlyElementsOf(idsOf(all));
        FakeIngest.Request first = requests.getFirst();
        assertThat(first.authorization()).isEqualTo("Bearer hq-office-1.s3cret-Value_42");
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(first.body().path("events").get(0)).isEqualTo(EventCodec.toTree(all.getFirst()));
        assertThat(EventCodec.fromTree(first.body().path("events").get(7))).isEqualTo(all.get(7));
        assertThat(outbox.size()).isZero();
        assertThat(shipper.shipped()).isEqualTo(1200);
    }

    @Test
    void nothingLeavesTheOutboxWithoutA200AndWaitsGrowWithJitteredBackoff() throws Exception {
        List<EventEnvelope> all = events(3);
        outbox.append(all);
        AtomicInteger calls = new AtomicInteger();
        ingest.answer(r -> calls.incrementAndGet() <= 3
                ? Answer.problem(503, "{\"title\":\"Kafka is not available\"}")
                : Answer.ok(r.size()));

        Shipper.Step s1 = shipper.shipOnce();
        Shipper.Step s2 = shipper.shipOnce();
        Shipper.Step s3 = shipper.shipOnce();
        assertThat(List.of(s1, s2, s3)).extracting(Shipper.Step::outcome).containsOnly(FAILED);
        assertThat(List.of(s1, s2, s3)).extracting(Shipper.Step::pause)
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(queuedIds()).containsExactlyElementsOf(idsOf(all));

        assertThat(shipper.shipOnce().outcome()).isEqualTo(SHIPPED);
        assertThat(outbox.size()).isZero();
        // The server saw the same ids four times: re-sends are the server's to dedupe, by id.
        assertThat(ingest.requests()).extracting(FakeIngest.Request::ids).containsOnly(idsOf(all));
    }

    @Test
    void anUnreachableServerIsBackedOffAndTheEventsStay() throws Exception {
        outbox.append(events(2));
        ingest.close(); // nothing listens on the port any more

        Shipper.Step step = shipper.shipOnce();

        assertThat(step.outcome()).isEqualTo(FAILED);
        assertThat(step.pause()).isEqualTo(Duration.ofMillis(500));
        assertThat(outbox.size()).isEqualTo(2);
    }

    @Test
    void theRunLoopWaitsWithItsSleeperAndCatchesUpWithoutWaitingOnceTheServerIsBack() throws Exception {
        outbox.append(events(1700));
        AtomicInteger calls = new AtomicInteger();
        ingest.answer(r -> calls.incrementAndGet() <= 12 ? Answer.problem(502, "{}") : Answer.ok(r.size()));
        FakeClock clock = FakeClock.at("2026-11-20T08:00:00Z");

        shipper.run(clock, () -> outbox.size() > 0);

        // 12 failures: 0.5 s, 1 s, 2 s … capped at 5 min (half of it with random = 0, so 150 s); then four
        // batches back to back (no wait between them).
        List<Duration> waits = clock.sleeps();
        assertThat(waits.subList(0, 12)).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16),
                Duration.ofSeconds(32), Duration.ofSeconds(64), Duration.ofSeconds(128), Duration.ofSeconds(150),
                Duration.ofSeconds(150), Duration.ofSeconds(150));
        assertThat(waits.subList(12, waits.size())).containsOnly(Duration.ZERO);
        assertThat(ingest.requests().subList(12, ingest.requests().size()))
                .extracting(FakeIngest.Request::size).containsExactly(500, 500, 500, 200);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() throws Exception {
        outbox.append(events(1));
        ingest.answer(r -> new Answer(429, "application/problem+json", "{}", "120"));
        assertThat(shipper.shipOnce().pause()).isEqualTo(Duration.ofSeconds(120));

        ingest.answer(r -> new Answer(503, "application/problem+json", "{}", "86400"));
        assertThat(shipper.shipOnce().pause()).isEqualTo(Duration.ofMinutes(5));
        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void invalidEventsNamedByTheServerMoveToRejectedAndTheRestGoAgain() throws Exception {
        List<EventEnvelope> all = events(4);
        outbox.append(all);
        String badById = all.get(1).id().toString();
        AtomicInteger calls = new AtomicInteger();
        ingest.answer(r -> calls.incrementAndGet() == 1
                ? Answer.problem(400, """
                        {"type":"about:blank","title":"Invalid events","status":400,
                         "errors":[{"index":1,"id":"%s","message":"data.mac: not a MAC address"},
                                   {"index":3,"message":"time is in the future"}]}""".formatted(badById))
                : Answer.ok(r.size()));

        Shipper.Step first = shipper.shipOnce();
        assertThat(first.outcome()).isEqualTo(REJECTED);
        assertThat(first.events()).isEqualTo(2);
        assertThat(queuedIds()).containsExactly(all.get(0).id().toString(), all.get(2).id().toString());
        try (Stream<Path> rejected = Files.list(dir.resolve("outbox/rejected"))) {
            assertThat(rejected.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.endsWith(badById + ".json"))
                    .anyMatch(n -> n.endsWith(all.get(3).id() + ".json"))
                    .anyMatch(n -> n.endsWith(badById + ".reason.txt"));
        }

        assertThat(shipper.shipOnce().outcome()).isEqualTo(SHIPPED);
        assertThat(ingest.requests().get(1).ids()).containsExactly(all.get(0).id().toString(), all.get(2).id().toString());
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aBadRequestThatNamesNoEventRejectsNothingAndBacksOff() throws Exception {
        outbox.append(events(3));
        ingest.answer(r -> Answer.problem(400, "{\"title\":\"Bad Request\",\"detail\":\"events is required\"}"));

        Shipper.Step step = shipper.shipOnce();

        assertThat(step.outcome()).isEqualTo(FAILED);
        assertThat(step.pause()).isPositive();
        assertThat(outbox.size()).isEqualTo(3);
        assertThat(dir.resolve("outbox/rejected")).doesNotExist();
    }

    @Test
    void aRefusedCredentialPausesShippingForLongKeepsTheEventsAndRecovers() throws Exception {
        outbox.append(events(5));
        ingest.answer(r -> Answer.problem(401, "{\"title\":\"Unauthorized\",\"detail\":\"unknown or revoked agent\"}"));

        Shipper.Step first = shipper.shipOnce();
        assertThat(first.outcome()).isEqualTo(REFUSED);
        assertThat(first.pause()).isEqualTo(Shipper.REFUSED_RETRY);
        assertThat(shipper.refused()).isTrue();

        ingest.answer(r -> Answer.problem(403, "{\"detail\":\"agent is not enrolled for site hq\"}"));
        assertThat(shipper.shipOnce().outcome()).isEqualTo(REFUSED);
        assertThat(outbox.size()).isEqualTo(5);

        ingest.answer(r -> Answer.ok(r.size()));
        assertThat(shipper.shipOnce().outcome()).isEqualTo(SHIPPED);
        assertThat(shipper.refused()).isFalse();
        assertThat(outbox.size()).isZero();
    }

    @Test
    void tooLargeHalvesTheBatchUntilTheServerTakesIt() throws Exception {
        outbox.append(events(300));
        ingest.answer(r -> r.size() > 100 ? Answer.problem(413, "{\"title\":\"Payload Too Large\"}") : Answer.ok(r.size()));

        List<Shipper.Step> steps = shipUntilIdle();

        assertThat(steps).extracting(Shipper.Step::outcome)
                .containsExactly(SHRUNK, SHRUNK, SHIPPED, SHIPPED, SHIPPED, SHIPPED, IDLE);
        assertThat(ingest.requests()).extracting(FakeIngest.Request::size).containsExactly(300, 150, 75, 75, 75, 75);
        assertThat(shipper.batchSize()).isEqualTo(75);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aSingleEventTooLargeForTheServerIsRejected() throws Exception {
        List<EventEnvelope> all = events(2);
        outbox.append(all);
        ingest.answer(r -> r.ids().contains(all.getFirst().id().toString())
                ? Answer.problem(413, "{}") : Answer.ok(r.size()));

        List<Shipper.Step> steps = shipUntilIdle();

        assertThat(steps).extracting(Shipper.Step::outcome).containsExactly(SHRUNK, REJECTED, SHIPPED, IDLE);
        assertThat(dir.resolve("outbox/rejected/1-" + all.getFirst().id() + ".json")).exists();
        assertThat(ingest.requests().getLast().ids()).containsExactly(all.get(1).id().toString());
    }

    @Test
    void anEmptyOutboxIsIdleAndSendsNothing() throws Exception {
        Shipper.Step step = shipper.shipOnce();
        assertThat(step.outcome()).isEqualTo(IDLE);
        assertThat(ingest.requests()).isEmpty();
        assertThat(outbox.peek(1)).isEqualTo(List.<OutboxEntry>of());
    }
}
