package dev.rollcall.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** {@code POST /api/agent/events} against a real broker: all of a batch or nothing, only for the agent's own site. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class AgentBatchResourceTest {

    static final String CREDENTIAL = "Bearer office-1.test-secret";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<Topic> TOPICS = List.of(Topic.PRESENCE, Topic.AGENTS);

    @Test
    void aBatchIsAppendedToItsTopicsKeyedBySiteAfterKafkaAcknowledged() throws Exception {
        Instant t = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
        EventEnvelope online = device("hq", "3c:22:fb:12:34:56", t);
        EventEnvelope heartbeat = EventEnvelope.of(UUID.randomUUID(), "agent/office-1", t.plusSeconds(1), "hq", "office-1",
                new AgentHeartbeat("office-1", "0.1.0", "office-pi", "Linux", 60, 1, 900L, List.of("3c:22:fb:12:34:56")));
        Map<TopicPartition, Long> before = endOffsets();

        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(batch(online, heartbeat))
                .when().post("/api/agent/events")
                .then().statusCode(200).body("accepted", equalTo(2));

        Map<String, ConsumerRecord<String, byte[]>> appended = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : recordsAfter(before)) {
            appended.put(EventCodec.decode(r.value()).id().toString(), r);
        }
        assertThat(appended).containsKeys(online.id().toString(), heartbeat.id().toString());
        assertThat(appended.get(online.id().toString()).topic()).isEqualTo(Topic.PRESENCE.topicName());
        assertThat(appended.get(heartbeat.id().toString()).topic()).isEqualTo(Topic.AGENTS.topicName());
        assertThat(appended.get(online.id().toString()).key()).isEqualTo("hq");
        assertThat(EventCodec.decode(appended.get(online.id().toString()).value())).isEqualTo(online);

        // the same batch again (a lost reply): accepted again; the ids make it harmless downstream
        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(batch(online, heartbeat))
                .when().post("/api/agent/events").then().statusCode(200);
    }

    @Test
    void withoutAValidCredentialNothingIsAppended() throws Exception {
        String body = batch(device("hq", "3c:22:fb:00:00:01", Instant.now()));
        Map<TopicPartition, Long> before = endOffsets();
        for (String auth : new String[] {null, "Basic b2ZmaWNlLTE6eA==", "Bearer office-1", "Bearer office-1.wrong-secret",
                "Bearer nobody.test-secret", "Bearer .test-secret"}) {
            var request = given().contentType(ContentType.JSON).body(body);
            if (auth != null) {
                request.header("Authorization", auth);
            }
            request.when().post("/api/agent/events")
                    .then().statusCode(401).contentType(containsString("problem+json"))
                    .header("WWW-Authenticate", containsString("Bearer"));
        }
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void anAgentCannotWriteToAnotherSite() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        // office-1 belongs to hq; lab-1 to lab
        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON)
                .body(batch(device("hq", "3c:22:fb:00:00:02", Instant.now()), device("lab", "3c:22:fb:00:00:03", Instant.now())))
                .when().post("/api/agent/events")
                .then().statusCode(403).body("detail", containsString("only to site 'hq'")).body("detail", containsString("[1]"));
        given().header("Authorization", "Bearer lab-1.test-secret").contentType(ContentType.JSON)
                .body(batch(EventEnvelope.of(UUID.randomUUID(), "agent/lab-1", Instant.now(), "hq", "3c:22:fb:00:00:04",
                        new DeviceStateChanged("3c:22:fb:00:00:04", null, DeviceState.OFFLINE))))
                .when().post("/api/agent/events").then().statusCode(403);
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void oneBadEventRefusesTheWholeBatchAndEachIsNamed() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        ObjectNode good = EventCodec.toTree(device("hq", "3c:22:fb:00:00:05", Instant.now()));
        ObjectNode badMac = EventCodec.toTree(device("hq", "3c:22:fb:00:00:06", Instant.now()));
        ((ObjectNode) badMac.get("data")).put("mac", "not-a-mac");
        ObjectNode future = EventCodec.toTree(device("hq", "3c:22:fb:00:00:07", Instant.now().plus(Duration.ofDays(2))));
        ObjectNode otherAgent = EventCodec.toTree(device("hq", "3c:22:fb:00:00:08", Instant.now()));
        otherAgent.put("source", "agent/someone-else");
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        events.add(good).add(badMac).add(future).add(otherAgent).add("not an event");

        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(body.toString())
                .when().post("/api/agent/events")
                .then().statusCode(400).contentType(containsString("problem+json"))
                .body("detail", equalTo("4 events of the batch are invalid; nothing was stored"))
                .body("errors", hasSize(4))
                .body("errors[0].index", equalTo(1)).body("errors[0].id", equalTo(badMac.get("id").textValue()))
                .body("errors[0].message", containsString("mac must be six hex pairs"))
                .body("errors[1].message", containsString("in the future"))
                .body("errors[2].message", containsString("source must be 'agent/office-1'"))
                .body("errors[3].index", equalTo(4));
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void malformedEmptyAndOversizedBatchesAreRefused() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        for (String body : new String[] {"", "{not json", "[]", "{\"events\": {}}", "{\"events\": []}"}) {
            given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(body)
                    .when().post("/api/agent/events").then().statusCode(400).contentType(containsString("problem+json"));
        }
        List<EventEnvelope> many = new ArrayList<>();
        for (int i = 0; i < AgentBatches.MAX_EVENTS + 1; i++) {
            many.add(device("hq", "3c:22:fb:00:01:01", Instant.now()));
        }
        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(batch(many.toArray(EventEnvelope[]::new)))
                .when().post("/api/agent/events").then().statusCode(400).body("detail", containsString("at most 500 events"));
        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body("{\"events\":[\"" + "x".repeat(1_100_000) + "\"]}")
                .when().post("/api/agent/events").then().statusCode(413).body("detail", equalTo("the body is larger than 1 MiB"));
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void anAgentReportsItsOwnOutageAfterARestart() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EventEnvelope outage = EventEnvelope.of(UUID.randomUUID(), "agent/office-1", now, "hq", "office-1",
                new AgentDowntimeReported(now.minus(Duration.ofMinutes(40)), now));
        Map<TopicPartition, Long> before = endOffsets();

        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(batch(outage))
                .when().post("/api/agent/events")
                .then().statusCode(200).body("accepted", equalTo(1));

        List<ConsumerRecord<String, byte[]>> appended = recordsAfter(before);
        assertThat(appended).extracting(r -> EventCodec.decode(r.value())).contains(outage);
        assertThat(appended).filteredOn(r -> EventCodec.decode(r.value()).id().equals(outage.id()))
                .extracting(ConsumerRecord::topic).containsExactly(Topic.AGENTS.topicName());
    }

    @Test
    void anOutageOfAnotherAgentOrSiteIsForbiddenAndOneOutsideBelievableTimesIsInvalid() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<TopicPartition, Long> before = endOffsets();
        // office-1 (site hq) speaks for lab-1, even in its own site, or for itself in another site: 403
        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON)
                .body(batch(device("hq", "3c:22:fb:00:00:09", now), outage("hq", "lab-1", now.minusSeconds(3600), now)))
                .when().post("/api/agent/events")
                .then().statusCode(403).body("detail", containsString("only its own downtime")).body("detail", containsString("[1]"));
        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON)
                .body(batch(EventEnvelope.of(UUID.randomUUID(), "agent/office-1", now, "hq", null,
                        new AgentDowntimeReported(now.minusSeconds(3600), now))))
                .when().post("/api/agent/events").then().statusCode(403);
        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON)
                .body(batch(outage("lab", "office-1", now.minusSeconds(3600), now)))
                .when().post("/api/agent/events").then().statusCode(403).body("detail", containsString("only to site 'hq'"));

        // ends in the future, starts absurdly long ago, ends before it starts: 400, each named
        ObjectNode backwards = EventCodec.toTree(outage("hq", "office-1", now.minusSeconds(60), now));
        ((ObjectNode) backwards.get("data")).put("start", now.toString()).put("end", now.minusSeconds(60).toString());
        ObjectNode body = JSON.createObjectNode();
        body.putArray("events")
                .add(EventCodec.toTree(EventEnvelope.of(UUID.randomUUID(), "agent/office-1", now, "hq", "office-1",
                        new AgentDowntimeReported(now.minusSeconds(60), now.plus(Duration.ofHours(3))))))
                .add(EventCodec.toTree(outage("hq", "office-1", now.minus(Duration.ofDays(500)), now)))
                .add(backwards);
        given().header("Authorization", CREDENTIAL).contentType(ContentType.JSON).body(body.toString())
                .when().post("/api/agent/events")
                .then().statusCode(400).body("errors", hasSize(3))
                .body("errors[0].message", containsString("end " + now.plus(Duration.ofHours(3)) + " is in the future"))
                .body("errors[1].message", containsString("more than 400 days in the past"))
                .body("errors[2].message", containsString("ends after it starts"));
        assertThat(endOffsets()).isEqualTo(before);
    }

    static EventEnvelope outage(String site, String agent, Instant start, Instant end) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/office-1", end, site, agent, new AgentDowntimeReported(start, end));
    }

    static EventEnvelope device(String site, String mac, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/office-1", at, site, mac,
                new DeviceStateChanged(mac, "10.0.0.23", DeviceState.ONLINE));
    }

    static String batch(EventEnvelope... events) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("events");
        for (EventEnvelope e : events) {
            array.add(EventCodec.toTree(e));
        }
        return body.toString();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, List<Topic> topics) {
        List<TopicPartition> parts = new ArrayList<>();
        for (Topic t : topics) {
            c.partitionsFor(t.topicName()).forEach(p -> parts.add(new TopicPartition(t.topicName(), p.partition())));
        }
        return parts;
    }

    static Map<TopicPartition, Long> endOffsets() {
        return endOffsets(TOPICS);
    }

    static Map<TopicPartition, Long> endOffsets(List<Topic> topics) {
        try (var c = consumer()) {
            return c.endOffsets(partitions(c, topics));
        }
    }

    static List<ConsumerRecord<String, byte[]>> recordsAfter(Map<TopicPartition, Long> from) {
        return recordsAfter(from, TOPICS);
    }

    static List<ConsumerRecord<String, byte[]>> recordsAfter(Map<TopicPartition, Long> from, List<Topic> topics) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var c = consumer()) {
            List<TopicPartition> parts = partitions(c, topics);
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            parts.forEach(tp -> c.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
