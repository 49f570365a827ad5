package dev.rollcall.ingest;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.testsupport.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollcall.ingest.AgentBatchResourceTest.CREDENTIAL;
import static dev.rollcall.ingest.AgentBatchResourceTest.batch;
import static dev.rollcall.ingest.AgentBatchResourceTest.endOffsets;
import static dev.rollcall.ingest.AgentBatchResourceTest.recordsAfter;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What the agent's workstation collector sends: state changes, session events and a heartbeat without scans,
 * in one batch, each on its topic; a session event with an unknown kind refuses the batch.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class AgentWorkstationBatchTest {

    static final List<Topic> TOPICS = List.of(Topic.WORKSTATION, Topic.AGENTS);

    @Test
    void aWorkstationAgentsStatesSessionEventsAndHeartbeatAreAppended() throws Exception {
        Instant t = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MILLIS);
        EventEnvelope lock = event(t, new WorkstationSessionChanged("ACME\\jdoe", "PC-0042", WorkstationSessionKind.LOCK));
        EventEnvelope stopped = event(t, new WorkstationStateChanged("ACME\\jdoe", "PC-0042", WorkstationState.STOPPED));
        EventEnvelope heartbeat = EventEnvelope.of(UUID.randomUUID(), "agent/office-1", t.plusSeconds(1), "hq", "office-1",
                new AgentHeartbeat("office-1", "0.1.0", "PC-0042", "Windows 11", 60, 0, null, List.of()));
        Map<TopicPartition, Long> before = endOffsets(TOPICS);

        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(batch(lock, stopped, heartbeat))
                .when().post("/api/agent/events")
                .then().statusCode(200).body("accepted", equalTo(3));

        Map<String, ConsumerRecord<String, byte[]>> appended = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : recordsAfter(before, TOPICS)) {
            appended.put(EventCodec.decode(r.value()).id().toString(), r);
        }
        assertThat(appended).containsKeys(lock.id().toString(), stopped.id().toString(), heartbeat.id().toString());
        assertThat(appended.get(lock.id().toString()).topic()).isEqualTo(Topic.WORKSTATION.topicName());
        assertThat(appended.get(stopped.id().toString()).topic()).isEqualTo(Topic.WORKSTATION.topicName());
        assertThat(appended.get(heartbeat.id().toString()).topic()).isEqualTo(Topic.AGENTS.topicName());
        assertThat(appended.get(lock.id().toString()).key()).isEqualTo("hq");
        assertThat(EventCodec.decode(appended.get(lock.id().toString()).value())).isEqualTo(lock);
    }

    @Test
    void aSessionEventWithAnUnknownKindRefusesTheBatch() throws Exception {
        Map<TopicPartition, Long> before = endOffsets(TOPICS);
        var bad = EventCodec.toTree(event(Instant.now(),
                new WorkstationSessionChanged("jdoe", null, WorkstationSessionKind.UNLOCK)));
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.get("data")).put("kind", "hibernate-ish");
        String body = "{\"events\":[" + EventCodec.toTree(event(Instant.now(),
                new WorkstationStateChanged("jdoe", null, WorkstationState.WORKING))) + "," + bad + "]}";

        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(body)
                .when().post("/api/agent/events")
                .then().statusCode(400).contentType(containsString("problem+json"))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].message", containsString("kind must be one of"));
        assertThat(endOffsets(TOPICS)).isEqualTo(before);
    }

    private static EventEnvelope event(Instant at, dev.rollcall.events.RollcallEvent data) {
        String user = data instanceof WorkstationSessionChanged s ? s.user() : ((WorkstationStateChanged) data).user();
        return EventEnvelope.of(UUID.randomUUID(), "agent/office-1", at, "hq", user, data);
    }
}
