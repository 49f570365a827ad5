package dev.rollcall.ingest;

import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceReleased;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.events.Topic;
import dev.rollcall.testsupport.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Roster administration writes roster events, keyed by site, after Kafka acknowledged them; refusals write nothing. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class RosterAdminResourceTest {

    static final String ADMIN = "Bearer test-admin-token";
    static final String BASE = "/api/admin/roster/sites/";

    @Test
    void aSiteAnEmployeeAndTheirPhoneBecomeRosterEvents() {
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(List.of(Topic.ROSTER));
        String site = "roster-" + System.nanoTime() % 100000;
        put(BASE + site, "{\"name\":\"Berlin office\",\"zone\":\"Europe/Berlin\"}").then().statusCode(200)
                .body("type", equalTo(SiteConfigured.TYPE)).body("warning", nullValue());
        put(BASE + site, "{\"name\":\"Berlin office\",\"zone\":\"Europe/Berlin\",\"autoTimeoutMinutes\":15,"
                + "\"realWorkBlockMinutes\":60}").then().statusCode(200).body("type", equalTo(SiteConfigured.TYPE));
        put(BASE + site + "/employees/e-1001", "{\"name\":\"Jane Doe\"}").then().statusCode(200);
        put(BASE + site + "/devices/3C-22-FB-12-34-56", "{\"employeeId\":\"e-1001\",\"label\":\"Jane's phone\",\"from\":\"2026-11-01T00:00:00Z\"}")
                .then().statusCode(200).body("effectiveFrom", equalTo("2026-11-01T00:00:00Z")).body("warning", nullValue());
        put(BASE + site + "/devices/da:a1:19:00:00:01", "{\"employeeId\":\"e-1001\"}")
                .then().statusCode(200).body("warning", containsString("randomised"));
        given().header("Authorization", ADMIN).when().delete(BASE + site + "/devices/3c:22:fb:12:34:56?from=2026-11-20T00:00:00Z")
                .then().statusCode(200).body("type", equalTo(DeviceReleased.TYPE));

        List<EventEnvelope> events = AgentBatchResourceTest.recordsAfter(before, List.of(Topic.ROSTER)).stream()
                .peek(r -> assertThat(r.key()).isIn(site, null))
                .map(ConsumerRecord::value).map(EventCodec::decode).filter(e -> e.site().equals(site)).toList();
        assertThat(events).extracting(EventEnvelope::data).containsExactly(
                new SiteConfigured("Berlin office", ZoneId.of("Europe/Berlin"), RosterCommands.DEFAULT_GRACE_MINUTES),
                new SiteConfigured("Berlin office", ZoneId.of("Europe/Berlin"), RosterCommands.DEFAULT_GRACE_MINUTES, 15, 60),
                new EmployeeUpdated("e-1001", "Jane Doe", true),
                new DeviceAssigned("3c:22:fb:12:34:56", "e-1001", "Jane's phone"),
                new DeviceAssigned("da:a1:19:00:00:01", "e-1001", null),
                new DeviceReleased("3c:22:fb:12:34:56"));
        assertThat(events.get(3).time()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(events.get(3).subject()).isEqualTo("3c:22:fb:12:34:56");
        assertThat(events).allSatisfy(e -> assertThat(e.source()).isEqualTo("ingest/roster/admin"));
    }

    @Test
    void invalidRosterRequestsSayWhatIsWrongAndWriteNothing() {
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(List.of(Topic.ROSTER));
        Object[][] cases = {
                {BASE + "hq", "{\"name\":\"HQ\",\"zone\":\"Mars/Olympus\"}", "IANA time zone"},
                {BASE + "hq", "{\"zone\":\"UTC\"}", "name is required"},
                {BASE + "hq", "{\"name\":\"HQ\",\"zone\":\"UTC\",\"presenceGraceMinutes\":-3}", "presenceGraceMinutes"},
                {BASE + "hq", "{\"name\":\"HQ\",\"zone\":\"UTC\",\"autoTimeoutMinutes\":0}", "autoTimeoutMinutes must be between 1 and 1440"},
                {BASE + "hq", "{\"name\":\"HQ\",\"zone\":\"UTC\",\"realWorkBlockMinutes\":1441}", "realWorkBlockMinutes must be between 1 and 1440"},
                {BASE + "hq", "{\"name\":\"HQ\",\"zone\":\"UTC\",\"realWorkBlockMinutes\":\"40\"}", "realWorkBlockMinutes must be a whole number"},
                {BASE + "Not A Site", "{\"name\":\"HQ\",\"zone\":\"UTC\"}", "site must be"},
                {BASE + "hq/employees/a b", "{\"name\":\"Jane\"}", "employeeId must be"},
                {BASE + "hq/employees/e-1", "{\"name\":\"Jane\",\"active\":\"yes\"}", "active must be true or false"},
                {BASE + "hq/devices/not-a-mac", "{\"employeeId\":\"e-1\"}", "mac must be six hex pairs"},
                {BASE + "hq/devices/3c:22:fb:12:34:56", "{\"employeeId\":\"e-1\",\"from\":\"1999-01-01T00:00:00Z\"}", "days in the past"},
                {BASE + "hq/devices/3c:22:fb:12:34:56", "{\"employeeId\":\"e-1\",\"from\":\"tomorrow\"}", "ISO-8601"},
                {BASE + "hq/devices/3c:22:fb:12:34:56", "[1]", "send a JSON object"},
        };
        for (Object[] c : cases) {
            put((String) c[0], (String) c[1]).then().statusCode(400).contentType(containsString("problem+json"))
                    .body("detail", containsString((String) c[2]));
        }
        given().contentType(ContentType.JSON).body("{\"name\":\"HQ\",\"zone\":\"UTC\"}").when().put(BASE + "hq").then().statusCode(401);
        given().header("Authorization", "Bearer nope").contentType(ContentType.JSON).body("{\"name\":\"HQ\",\"zone\":\"UTC\"}")
                .when().put(BASE + "hq").then().statusCode(403);
        // an agent's credential is not an admin's
        given().header("Authorization", AgentBatchResourceTest.CREDENTIAL).contentType(ContentType.JSON)
                .body("{\"name\":\"HQ\",\"zone\":\"UTC\"}").when().put(BASE + "hq").then().statusCode(403);
        assertThat(AgentBatchResourceTest.endOffsets(List.of(Topic.ROSTER))).isEqualTo(before);
    }

    static io.restassured.response.Response put(String path, String body) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(body).when().put(path);
    }
}
