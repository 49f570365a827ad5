package dev.rollcall.projection;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import static dev.rollcall.projection.WorkstationProjectionTest.day;
import static dev.rollcall.projection.WorkstationProjectionTest.eventsOf;
import static dev.rollcall.projection.WorkstationProjectionTest.workingOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's workstation collector also puts {@link WorkstationSessionChanged} (lock, logoff …) on the workstation
 * topic. workstation-day folds only the states that come with them: the session events neither count as reports
 * nor change the intervals, and the partition goes on past them.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class WorkstationSessionEventsTest {

    @Test
    void sessionEventsBesideStatesChangeNothingButTheStatesDo() throws Exception {
        String user = "agent-ws-" + UUID.randomUUID();
        Instant t = Instant.parse("2026-11-20T08:00:00Z");
        // working, re-sent at 08:09 (within the auto-timeout), then lock + stopped at 08:15: 15 minutes of work
        send(session(user, WorkstationSessionKind.LOGON, t), state(user, WorkstationState.WORKING, t),
                state(user, WorkstationState.WORKING, t.plus(Duration.ofMinutes(9))),
                session(user, WorkstationSessionKind.LOCK, t.plus(Duration.ofMinutes(15))),
                state(user, WorkstationState.STOPPED, t.plus(Duration.ofMinutes(15))),
                session(user, WorkstationSessionKind.SUSPEND, t.plus(Duration.ofMinutes(31))),
                session(user, WorkstationSessionKind.RESUME, t.plus(Duration.ofHours(2))));
        String marker = "after-sessions-" + user;
        send(state(marker, WorkstationState.WORKING, t));

        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(marker) == 1);
        assertThat(eventsOf(user)).isEqualTo(3);
        Map<String, Object> d = day("hq", user, LocalDate.parse("2026-11-20"));
        assertThat(d).containsEntry("reports", 3).containsEntry("last_state", "stopped")
                .containsEntry("last_at", t.plus(Duration.ofMinutes(15)));
        assertThat(workingOf("hq", user, LocalDate.parse("2026-11-20")).getFirst()).isEqualTo(900L);
    }

    private static EventEnvelope state(String user, WorkstationState s, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/ws-1", at, "hq", user, new WorkstationStateChanged(user, "pc-1", s));
    }

    private static EventEnvelope session(String user, WorkstationSessionKind k, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/ws-1", at, "hq", user, new WorkstationSessionChanged(user, "pc-1", k));
    }

    private static void send(EventEnvelope... events) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(e.topic().topicName(), e.key(), EventCodec.encode(e))).get();
            }
        }
    }
}
