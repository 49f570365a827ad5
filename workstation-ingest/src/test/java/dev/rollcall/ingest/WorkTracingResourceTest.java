package dev.rollcall.ingest;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** {@code POST /api/report} against a real broker: what is acknowledged is in Kafka; what is refused is not. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class WorkTracingResourceTest {

    private static final String TOPIC = Topic.WORKSTATION.topicName();

    @Test
    void anAcceptedReportIsInKafkaKeyedBySite() {
        String user = "ACME\\user-" + UUID.randomUUID();
        Instant ts = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("user", user, "state", "working", "ts", ts.toString()))
                .when().post("/api/report")
                .then().log().ifValidationFails().statusCode(201)
                .body("success", equalTo(true))
                .body("id", notNullValue())
                .extract().path("id");

        ConsumerRecord<String, byte[]> record = recordsAfter(Map.of()).stream()
                .filter(r -> EventCodec.decode(r.value()).id().toString().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("event " + id + " is not in " + TOPIC));
        assertThat(record.key()).isEqualTo("hq");
        EventEnvelope e = EventCodec.decode(record.value());
        assertThat(e.time()).isEqualTo(ts);
        assertThat(e.data()).isEqualTo(new WorkstationStateChanged(user, null, WorkstationState.WORKING));
    }

    @Test
    void withoutTsTheServerStampsTheEvent() {
        Instant before = Instant.now();
        String id = given().contentType(ContentType.JSON)
                .body("{\"user\":\"stamp-" + UUID.randomUUID() + "\",\"state\":\"stopped\"}")
                .when().post("/api/report")
                .then().statusCode(201).extract().path("id");
        EventEnvelope e = recordsAfter(Map.of()).stream().map(r -> EventCodec.decode(r.value()))
                .filter(ev -> ev.id().toString().equals(id)).findFirst().orElseThrow();
        assertThat(e.time()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON            | 400 | {user: x}                                                        | not valid JSON",
            "empty body          | 400 | ''                                                               | the body is empty",
            "missing user        | 400 | {\"state\":\"working\"}                                          | user is required",
            "unknown state       | 400 | {\"user\":\"u\",\"state\":\"dancing\"}                           | state must be one of 'working' or 'stopped'",
            "unparsable ts       | 400 | {\"user\":\"u\",\"state\":\"working\",\"ts\":\"10/05/2024\"}     | is not an ISO-8601 time",
            "ts in 1970          | 400 | {\"user\":\"u\",\"state\":\"working\",\"ts\":\"1970-01-01T00:00:00Z\"} | days in the past",
            "ts in 3000          | 400 | {\"user\":\"u\",\"state\":\"working\",\"ts\":\"3000-01-01T00:00:00Z\"} | is in the future",
    })
    void badInputIsRefusedAndAppendsNothing(String what, int status, String body, String message) {
        Map<TopicPartition, Long> before = endOffsets();
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/report")
                .then().statusCode(status)
                .contentType(containsString("json"))
                .body("success", equalTo(false))
                .body("message", containsString(message));
        assertThat(endOffsets()).as("nothing appended for " + what).isEqualTo(before);
    }

    @Test
    void anOversizedBodyIsRefusedWith413AndAppendsNothing() {
        Map<TopicPartition, Long> before = endOffsets();
        String huge = "{\"user\":\"" + "x".repeat(100_000) + "\",\"state\":\"working\"}";
        given().contentType(ContentType.JSON).body(huge)
                .when().post("/api/report")
                .then().statusCode(413)
                .contentType(containsString("problem+json"))
                .body("success", equalTo(false))
                .body("message", equalTo("the body is larger than 64 KiB"));
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void otherMethodsAndPathsAreProblems() {
        given().when().get("/api/report").then().statusCode(405).contentType(containsString("problem+json"));
        given().when().get("/api/nothing-here").then().statusCode(404);
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<TopicPartition, Long> endOffsets() {
        try (var c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            return c.endOffsets(parts);
        }
    }

    /** Every record of the topic from the given offsets (the beginning where none is given). */
    private static List<ConsumerRecord<String, byte[]>> recordsAfter(Map<TopicPartition, Long> from) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var c = consumer()) {
            List<TopicPartition> parts = c.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            for (TopicPartition tp : parts) {
                c.seek(tp, from.getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
