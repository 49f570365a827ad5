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
    void lateReportsJoinTwoIntervalsAndTheDayIsRecounted() throws Exception {
        String user = "gap-" + UUID.randomUUID();
        Instant nine = Instant.parse("2026-11-20T09:00:00Z");
        List<EventEnvelope> onTime = new ArrayList<>();
        List<EventEnvelope> late = new ArrayList<>();
        for (int m = 0; m < 60; m++) {
            EventEnvelope e = event("hq", user, WorkstationState.WORKING, nine.plus(Duration.ofMinutes(m)));
            (m >= 25 && m <= 35 ? late : onTime).add(e);
        }
        onTime.add(event("hq", user, WorkstationState.STOPPED, nine.plus(Duration.ofMinutes(60))));
        send(onTime.toArray(EventEnvelope[]::new));
        // 09:24 to 09:36 is more than the 10-minute auto-timeout: two intervals, neither 40 minutes long
        await().atMost(Duration.ofSeconds(20)).until(() -> intervalsOf("hq", user).size() == 2);
        assertThat(intervalsOf("hq", user)).containsExactly(
                "2026-11-20T09:00:00Z..2026-11-20T09:34:00Z timeout 0",
                "2026-11-20T09:36:00Z..2026-11-20T10:00:00Z stopped 0");
        assertThat(workingOf("hq", user, LocalDate.parse("2026-11-20"))).containsExactly(58 * 60L, 0L);

        send(late.toArray(EventEnvelope[]::new));
        await().atMost(Duration.ofSeconds(20)).until(() -> intervalsOf("hq", user).size() == 1);
        assertThat(intervalsOf("hq", user)).containsExactly("2026-11-20T09:00:00Z..2026-11-20T10:00:00Z stopped 1");
        assertThat(workingOf("hq", user, LocalDate.parse("2026-11-20"))).containsExactly(3600L, 1L);
        assertThat(day("hq", user, LocalDate.parse("2026-11-20"))).containsEntry("reports", 61);
    }

    @Test
    void anIntervalCrossingMidnightCountsOnTheDayItStartedInTheSitesZone() throws Exception {
        String user = "midnight-" + UUID.randomUUID();
        List<EventEnvelope> events = new ArrayList<>();
        // 23:20 to 00:20 in Berlin (UTC+1): one hour, all of it on the 20th
        for (int m = 0; m < 60; m += 5) {
            events.add(event("berlin", user, WorkstationState.WORKING, Instant.parse("2026-11-20T22:20:00Z").plus(Duration.ofMinutes(m))));
        }
        events.add(event("berlin", user, WorkstationState.STOPPED, Instant.parse("2026-11-20T23:20:00Z")));
        send(events.toArray(EventEnvelope[]::new));
        await().atMost(Duration.ofSeconds(20)).until(() -> workingOf("berlin", user, LocalDate.parse("2026-11-20")).getFirst() == 3600L);
        assertThat(workingOf("berlin", user, LocalDate.parse("2026-11-20"))).containsExactly(3600L, 1L);
        assertThat(workingOf("berlin", user, LocalDate.parse("2026-11-21"))).containsExactly(0L, 0L);
        assertThat(day("berlin", user, LocalDate.parse("2026-11-21"))).containsEntry("reports", 5);
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
                                "INSERT INTO workstation_user_day (site, local_date, username, reports, first_at, last_at, last_state) "
                                        + "VALUES ('hq', current_date, $1, 1, now(), now(), 'working')")
                        .execute(Tuple.of(zombieRow))
                        .chain(() -> checkpoints.advance(tx, projection, 1, topic, 0, 10, 15)))
                .await().indefinitely())
                .isInstanceOf(StaleCheckpointException.class);
        assertThat(checkpoints.load(projection, 1, topic).await().indefinitely()).containsEntry(0, 20L);
        assertThat(pool.preparedQuery("SELECT count(*) FROM workstation_user_day WHERE username = $1").execute(Tuple.of(zombieRow))
                .await().indefinitely().iterator().next().getLong(0)).isZero();
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

    static List<String> intervalsOf(String site, String user) throws Exception {
        try (Connection c = Postgres.endpoint().connect();
             PreparedStatement ps = c.prepareStatement("SELECT start_at, end_at, ended_by, real_work_blocks FROM working_interval "
                     + "WHERE site = ? AND username = ? ORDER BY start_at")) {
            ps.setString(1, site);
            ps.setString(2, user);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getTimestamp(1).toInstant() + ".." + rs.getTimestamp(2).toInstant() + " " + rs.getString(3) + " " + rs.getInt(4));
                }
            }
            return out;
        }
    }

    /** [working seconds, real work hours] of a user-day; [0, 0] when the day has reports but no working. */
    static List<Long> workingOf(String site, String user, LocalDate date) throws Exception {
        try (Connection c = Postgres.endpoint().connect();
             PreparedStatement ps = c.prepareStatement("SELECT working_seconds, real_work_blocks FROM workstation_user_day "
                     + "WHERE site = ? AND username = ? AND local_date = ?")) {
            ps.setString(1, site);
            ps.setString(2, user);
            ps.setObject(3, date);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? List.of(rs.getLong(1), rs.getLong(2)) : List.of(-1L, -1L);
            }
        }
    }
}
