package dev.rollcall.projection;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.Postgres;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The projection against a real broker and a real Postgres, fed records straight into the topic. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class WorkstationProjectionTest {

    @Inject
    Checkpoints checkpoints;
    @Inject
    Pool pool;

    @Test
    void aRedeliveredEventIsCountedOnce() throws Exception {
        String user = "dup-" + UUID.randomUUID();
        EventEnvelope first = event("hq", user, WorkstationState.WORKING, Instant.parse("2026-11-20T08:00:00Z"));
        EventEnvelope second = event("hq", user, WorkstationState.STOPPED, Instant.parse("2026-11-20T12:00:00Z"));
        send(first, second, first, first);

        await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(user) == 2);
        Map<String, Object> day = day("hq", user, LocalDate.parse("2026-11-20"));
        assertThat(day).containsEntry("reports", 2).containsEntry("last_state", "stopped");
        // the duplicates came last: once they are folded, the count must still be 2
        send(event("hq", "marker-" + user, WorkstationState.WORKING, Instant.parse("2026-11-20T13:00:00Z")));
        await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf("marker-" + user) == 1);
        assertThat(day("hq", user, LocalDate.parse("2026-11-20"))).containsEntry("reports", 2);
    }

    @Test
    void aLateReportDoesNotOverwriteANewerState() throws Exception {
        String user = "late-" + UUID.randomUUID();
        send(event("hq", user, WorkstationState.STOPPED, Instant.parse("2026-11-20T17:00:00Z")),
                event("hq", user, WorkstationState.WORKING, Instant.parse("2026-11-20T09:00:00Z")));
        await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(user) == 2);
        assertThat(day("hq", user, LocalDate.parse("2026-11-20")))
                .containsEntry("last_state", "stopped")
                .containsEntry("first_at", Instant.parse("2026-11-20T09:00:00Z"))
                .containsEntry("last_at", Instant.parse("2026-11-20T17:00:00Z"));
    }

    @Test
    void theDayIsTheLocalDateOfTheSite() throws Exception {
        String user = "tz-" + UUID.randomUUID();
        // 22:30 UTC on 29 March 2026 is 00:30 on the 30th in Berlin (summer time began that night)
        send(event("berlin", user, WorkstationState.WORKING, Instant.parse("2026-03-29T22:30:00Z")),
                event("hq", user, WorkstationState.WORKING, Instant.parse("2026-03-29T22:30:00Z")));
        await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(user) == 2);
        assertThat(day("berlin", user, LocalDate.parse("2026-03-30"))).containsEntry("reports", 1);
        assertThat(day("hq", user, LocalDate.parse("2026-03-29"))).containsEntry("reports", 1);
    }

    @Test
    void anUnreadableRecordDoesNotStopThePartition() throws Exception {
        String user = "after-poison-" + UUID.randomUUID();
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(Topic.WORKSTATION.topicName(), "hq", "{not an event".getBytes())).get();
        }
        send(event("hq", user, WorkstationState.WORKING, Instant.parse("2026-11-20T08:00:00Z")));
        await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(user) == 1);
    }

    @Test
    void aConsumerWhoseCheckpointMovedOnCannotCommit() throws Exception {
        String projection = "zombie-test-" + UUID.randomUUID();
        String topic = "t";
        pool.withTransaction(tx -> checkpoints.advance(tx, projection, 1, topic, 0, -1, 10)).await().indefinitely();
        // the rightful owner moves it 10 -> 20
        pool.withTransaction(tx -> checkpoints.advance(tx, projection, 1, topic, 0, 10, 20)).await().indefinitely();
        // a zombie still believing in 10 folds a row and tries to move 10 -> 15: all of it rolls back
        String zombieRow = "zombie-" + UUID.randomUUID();
        assertThatThrownBy(() -> pool.withTransaction(tx -> tx.preparedQuery(
                                "INSERT INTO workstation_event (event_id, site, username, state, occurred_at, local_date, source) "
                                        + "VALUES ($1, 'hq', $2, 'working', now(), current_date, 'test')")
                        .execute(Tuple.of(UUID.randomUUID(), zombieRow))
                        .chain(() -> checkpoints.advance(tx, projection, 1, topic, 0, 10, 15)))
                .await().indefinitely())
                .isInstanceOf(StaleCheckpointException.class);
        assertThat(checkpoints.load(projection, 1, topic).await().indefinitely()).containsEntry(0, 20L);
        assertThat(eventsOf(zombieRow)).isZero();
    }

    private static EventEnvelope event(String site, String user, WorkstationState state, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), "test", at, site, user, new WorkstationStateChanged(user, "pc-1", state));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(EventEnvelope... events) throws Exception {
        try (var producer = producer()) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(e.topic().topicName(), e.key(), EventCodec.encode(e))).get();
            }
        }
    }

    static int eventsOf(String user) throws Exception {
        try (Connection c = Postgres.endpoint().connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM workstation_event WHERE username = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static Map<String, Object> day(String site, String user, LocalDate date) throws Exception {
        try (Connection c = Postgres.endpoint().connect();
             PreparedStatement ps = c.prepareStatement("SELECT reports, first_at, last_at, last_state FROM workstation_user_day "
                     + "WHERE site = ? AND username = ? AND local_date = ?")) {
            ps.setString(1, site);
            ps.setString(2, user);
            ps.setObject(3, date);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Map.of();
                }
                return Map.of("reports", rs.getInt(1),
                        "first_at", rs.getTimestamp(2).toInstant(),
                        "last_at", rs.getTimestamp(3).toInstant(),
                        "last_state", rs.getString(4));
            }
        }
    }
}
