package dev.rollcall.ingest;

import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.PresenceHourReported;
import dev.rollcall.events.Topic;
import dev.rollcall.testsupport.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** StaffTrace's agent posts unchanged: 200 once in Kafka; a re-sent summary is the same event; other sites are refused. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class StaffTraceResourceTest {

    static final String TOKEN = "Bearer test-secret";
    static final List<Topic> TOPICS = List.of(Topic.PRESENCE, Topic.AGENTS);

    @Test
    void aHeartbeatIsAnAgentHeartbeatOfTheSite() {
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        given().header("Authorization", TOKEN).contentType(ContentType.JSON)
                .body("{\"siteId\":\"hq\",\"timestamp\":\"" + now + "\",\"devicesOnline\":[{\"employeeId\":\"e-1\",\"employeeName\":\"Jane Doe\","
                        + "\"fakeName\":\"Blue Fox\",\"area\":\"office\",\"isPresent\":true,\"lastSeen\":\"" + now + "\"},"
                        + "{\"employeeId\":17,\"employeeName\":\"Max Mustermann\",\"fakeName\":\"Grey Elk\",\"area\":\"office\","
                        + "\"isPresent\":false,\"lastSeen\":\"" + now + "\"}]}")
                .when().post("/api/heartbeat").then().statusCode(200).body("success", equalTo(true));
        List<EventEnvelope> events = appended(before);
        assertThat(events).hasSize(1);
        // the employees StaffTrace sees present now, by id only
        assertThat(events.getFirst().data()).isInstanceOfSatisfying(AgentHeartbeat.class, h -> {
            assertThat(h.agentId()).isEqualTo("stafftrace-hq");
            assertThat(h.employeesPresent()).containsExactly("e-1");
        });
        assertThat(EventCodec.encodeToString(events.getFirst())).doesNotContain("Max").doesNotContain("Fox");
        // the real name StaffTrace sent is not kept
        assertThat(EventCodec.encodeToString(events.getFirst())).doesNotContain("Jane");
    }

    @Test
    void anHourlySummaryBecomesPresenceHoursAndDowntimesAndARepeatIsTheSameEvents() {
        LocalDate day = LocalDate.now(ZoneId.of("Europe/Berlin")).minusDays(1);
        String body = "{\"siteId\":\"hq\",\"timestamp\":\"" + day + "T10:00:00\",\"presenceData\":["
                + "{\"employeeId\":\"e-1\",\"employeeName\":\"Jane Doe\",\"fakeName\":\"Blue Fox\",\"date\":\"" + day + "\",\"hour\":9,"
                + "\"firstSeen\":\"" + day + "T09:03:00\",\"lastSeen\":\"" + day + "T09:59:00\",\"minutesOnline\":56},"
                + "{\"employeeId\":\"e-2\",\"employeeName\":\"John Roe\",\"fakeName\":\"Red Owl\",\"date\":\"" + day + "\",\"hour\":9,"
                + "\"firstSeen\":\"" + day + "T09:30:00+01:00\",\"lastSeen\":\"" + day + "T09:45:00+01:00\",\"minutesOnline\":15}],"
                + "\"agentDowntimes\":[{\"downtimeStart\":\"" + day + "T07:00:00\",\"downtimeEnd\":\"" + day + "T07:40:00\"}]}";
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);
        given().header("Authorization", TOKEN).contentType(ContentType.JSON).body(body)
                .when().post("/api/presence").then().statusCode(200).body("accepted", equalTo(3));
        List<EventEnvelope> first = appended(before);
        assertThat(first).extracting(EventEnvelope::data).hasOnlyElementsOfTypes(PresenceHourReported.class, AgentDowntimeReported.class).hasSize(3);
        PresenceHourReported jane = (PresenceHourReported) first.stream().filter(e -> "e-1".equals(e.subject())).findFirst().orElseThrow().data();
        // a time without offset is the site's local time (Berlin)
        assertThat(jane.firstSeen()).isEqualTo(day.atTime(9, 3).atZone(ZoneId.of("Europe/Berlin")).toInstant());
        assertThat(jane.minutesOnline()).isEqualTo(56);

        Map<TopicPartition, Long> again = AgentBatchResourceTest.endOffsets(TOPICS);
        given().header("Authorization", TOKEN).contentType(ContentType.JSON).body(body)
                .when().post("/api/presence").then().statusCode(200);
        List<UUID> repeated = appended(again).stream().map(EventEnvelope::id).toList();
        assertThat(repeated).containsExactlyInAnyOrderElementsOf(first.stream().map(EventEnvelope::id).toList());
    }

    @Test
    void aHeartbeatWithABadEntryNamesItAndWritesNothing() {
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        given().header("Authorization", TOKEN).contentType(ContentType.JSON)
                .body("{\"siteId\":\"hq\",\"timestamp\":\"" + now + "\",\"devicesOnline\":[{\"employeeId\":\"e-1\",\"isPresent\":true},"
                        + "{\"employeeId\":\"<script>\",\"isPresent\":true},{\"employeeId\":\"e-3\",\"isPresent\":\"yes\"}]}")
                .when().post("/api/heartbeat").then().statusCode(400)
                .body("detail", containsString("devicesOnline[1]")).body("detail", containsString("devicesOnline[2]: isPresent must be true or false"));
        assertThat(appended(before)).isEmpty();
    }

    @Test
    void wrongTokensOtherSitesAndBadEntriesAreRefusedAndWriteNothing() {
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);
        String hq = "{\"siteId\":\"hq\",\"timestamp\":\"" + Instant.now() + "\"}";
        given().contentType(ContentType.JSON).body(hq).when().post("/api/heartbeat").then().statusCode(401);
        given().header("Authorization", "Bearer guess").contentType(ContentType.JSON).body(hq).when().post("/api/heartbeat").then().statusCode(401);
        given().header("Authorization", "Bearer lab-token").contentType(ContentType.JSON).body(hq)
                .when().post("/api/presence").then().statusCode(403).body("detail", containsString("for site 'lab'"));
        given().header("Authorization", TOKEN).contentType(ContentType.JSON)
                .body("{\"siteId\":\"hq\",\"timestamp\":\"" + Instant.now() + "\",\"presenceData\":[{\"employeeId\":\"e-1\",\"date\":\"2026-11-20\","
                        + "\"hour\":25,\"firstSeen\":\"2026-11-20T09:00:00Z\",\"lastSeen\":\"2026-11-20T09:10:00Z\",\"minutesOnline\":10}]}")
                .when().post("/api/presence").then().statusCode(400).body("detail", containsString("presenceData[0]: hour must be 0 to 23"));
        given().header("Authorization", TOKEN).contentType(ContentType.JSON).body("{\"siteId\":\"hq\",\"timestamp\":\"soon\"}")
                .when().post("/api/heartbeat").then().statusCode(400).body("detail", containsString("timestamp must be an ISO-8601 time"));
        assertThat(AgentBatchResourceTest.endOffsets(TOPICS)).isEqualTo(before);
    }

    static List<EventEnvelope> appended(Map<TopicPartition, Long> before) {
        return AgentBatchResourceTest.recordsAfter(before, TOPICS).stream().map(ConsumerRecord::value).map(EventCodec::decode).toList();
    }
}
