package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer polls and decodes the next batches while the last batch's transaction runs. When that transaction
 * fails, the batches already polled behind it must not be folded from the old checkpoint (that would skip the
 * failed batch's records): with small batches and two failed transactions, every event still ends folded exactly
 * once, in committed rows.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class GenerationConsumerRetryTest {

    static final int EVENTS = 60;

    @Inject
    Pool pool;
    @Inject
    Checkpoints checkpoints;
    @Inject
    MeterRegistry metrics;

    @Test
    void aFailedTransactionIsRetriedFromItsCheckpointAndNothingIsSkippedOrDoubled() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String site = "retry-" + run;
        pool.query("CREATE TABLE IF NOT EXISTS retry_test_folded (site text NOT NULL, event_id uuid NOT NULL)").execute()
                .await().atMost(Duration.ofSeconds(10));
        List<EventEnvelope> events = events(site);
        // the batches holding these fail once each, one early and one late
        FailingOnce projection = new FailingOnce(site, Set.of(events.get(17).id(), events.get(44).id()));
        TopicWriter.send(events);

        GenerationConsumer consumer = new GenerationConsumer(projection, 1, false, checkpoints, pool, metrics,
                KafkaBroker.bootstrapServers()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> folded(site) == EVENTS);
            // and it stays so: nothing folded twice afterwards
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> folded(site) == EVENTS);
        } finally {
            consumer.stop();
        }
        assertThat(projection.failing).as("both failures happened").isEmpty();
        long distinct = pool.preparedQuery("SELECT count(DISTINCT event_id) FROM retry_test_folded WHERE site = $1")
                .execute(Tuple.of(site)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertThat(distinct).isEqualTo(EVENTS);
    }

    @Test
    void theBatchPolledBehindAFailedTransactionIsDroppedAndTheNextAttemptStartsAtTheFailedBatch() throws Exception {
        String site = "retry-" + UUID.randomUUID().toString().substring(0, 8);
        pool.query("CREATE TABLE IF NOT EXISTS retry_test_folded (site text NOT NULL, event_id uuid NOT NULL)").execute()
                .await().atMost(Duration.ofSeconds(10));
        List<EventEnvelope> events = events(site);
        UUID failing = events.get(24).id();
        FailingOnce projection = new FailingOnce(site, Set.of(failing));
        TopicWriter.send(events);

        GenerationConsumer consumer = new GenerationConsumer(projection, 1, false, checkpoints, pool, metrics,
                KafkaBroker.bootstrapServers()).start();
        List<List<UUID>> attempts = projection.attempts;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> failedAt(attempts, failing) >= 0
                    && attempts.size() > failedAt(attempts, failing) + 1);
            // When the failed transaction is waited for, the batch behind it has been polled and decoded already.
            // Stored from the checkpoint it would skip the failed batch's events; dropped, the next attempt re-reads those.
            int failed = failedAt(attempts, failing);
            assertThat(attempts.get(failed + 1).getFirst()).as("the attempt after the failed one starts where it started")
                    .isEqualTo(attempts.get(failed).getFirst());
            await().atMost(Duration.ofSeconds(60)).until(() -> folded(site) == EVENTS);
        } finally {
            consumer.stop();
        }
    }

    private static int failedAt(List<List<UUID>> attempts, UUID failing) {
        for (int i = 0; i < attempts.size(); i++) {
            if (attempts.get(i).contains(failing)) {
                return i;
            }
        }
        return -1;
    }

    private static List<EventEnvelope> events(String site) {
        List<EventEnvelope> events = new ArrayList<>();
        Instant t = Instant.parse("2026-03-02T08:00:00Z");
        for (int i = 0; i < EVENTS; i++) {
            String user = "u" + (i % 3);
            events.add(EventEnvelope.of(UUID.randomUUID(), "test", t.plusSeconds(60L * i), site, user,
                    new WorkstationStateChanged(user, "pc-1", WorkstationState.WORKING)));
        }
        return events;
    }

    private long folded(String site) {
        return pool.preparedQuery("SELECT count(*) FROM retry_test_folded WHERE site = $1").execute(Tuple.of(site))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    /**
     * Stores its site's event ids in the transaction; fails the first transaction holding each of {@code failOnce}.
     * Keeps the ids of its site in each batch it was given, in order, failed or not.
     */
    static final class FailingOnce implements Projection {
        final String site;
        final Set<UUID> failing = ConcurrentHashMap.newKeySet();
        final List<List<UUID>> attempts = new CopyOnWriteArrayList<>();

        FailingOnce(String site, Set<UUID> failOnce) {
            this.site = site;
            this.failing.addAll(failOnce);
        }

        @Override
        public String name() {
            return "retry-test-" + site;
        }

        @Override
        public int codeVersion() {
            return 1;
        }

        @Override
        public List<Topic> topics() {
            return List.of(Topic.WORKSTATION);
        }

        @Override
        public String rules() {
            return "none";
        }

        @Override
        public ProjectionConfig.Consuming consuming() {
            return new ProjectionConfig.Consuming() {
                @Override
                public Optional<String> groupPrefix() {
                    return Optional.of("test." + name());
                }

                @Override
                public int maxPollRecords() {
                    return 7;
                }

                @Override
                public Duration pollTimeout() {
                    return Duration.ofMillis(100);
                }

                @Override
                public Duration sessionTimeout() {
                    return Duration.ofSeconds(10);
                }

                @Override
                public boolean enabled() {
                    return true;
                }
            };
        }

        @Override
        public Uni<Folded> fold(SqlConnection tx, int generation, PartitionBatch batch) {
            List<UUID> mine = batch.events().stream().filter(e -> site.equals(e.site())).map(EventEnvelope::id).toList();
            if (!mine.isEmpty()) {
                attempts.add(mine);
            }
            if (mine.stream().anyMatch(failing::remove)) {
                return Uni.createFrom().failure(new IllegalStateException("failing once, as told"));
            }
            return tx.preparedQuery("INSERT INTO retry_test_folded SELECT $1, unnest($2::uuid[])")
                    .execute(Tuple.of(site, mine.toArray(UUID[]::new))).map(r -> new Folded(mine.size(), 0));
        }
    }
}
