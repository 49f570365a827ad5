package dev.rollcall.projection;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.Postgres;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Blue/green rebuild through the admin API, with events flowing during it. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class RebuildTest {

    static final String TOKEN = "Bearer test-admin-token";
    static final String PATH = "/admin/projections/workstation-day";

    @Test
    void theAdminApiWantsTheAdminToken() {
        given().when().post(PATH + "/rebuild").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer not-the-token").when().post(PATH + "/rebuild").then().statusCode(403);
        given().header("Authorization", "Basic dGVzdA==").when().get("/admin/projections").then().statusCode(401);
        given().header("Authorization", TOKEN).when().post("/admin/projections/no-such/rebuild").then().statusCode(404)
                .body("detail", containsString("workstation-day"));
    }

    @Test
    void aRebuildCatchesUpWhileEventsFlowAndReplacesTheLiveGenerationWithIdenticalRows() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> before = List.of("rb-a-" + run, "rb-b-" + run);
        String during = "rb-c-" + run;
        List<EventEnvelope> history = new ArrayList<>();
        Random random = new Random(run.hashCode());
        for (String user : before) {
            history.addAll(day(user, Instant.parse("2026-11-19T08:00:00Z"), random));
        }
        // duplicates and late deliveries, as agents send them
        List<EventEnvelope> delivered = new ArrayList<>(history);
        history.stream().filter(e -> random.nextInt(8) == 0).forEach(delivered::add);
        Collections.shuffle(delivered.subList(delivered.size() / 2, delivered.size()), random);
        send(delivered);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM workstation_event WHERE username LIKE 'rb-%-" + run + "'") == history.size());

        int old = status().getInt("live.generation");
        JsonPath started = given().header("Authorization", TOKEN).when().post(PATH + "/rebuild")
                .then().statusCode(202).header("Location", containsString(PATH))
                .body("status", equalTo("building")).extract().jsonPath();
        int next = started.getInt("generation");
        assertThat(next).isGreaterThan(old);

        List<EventEnvelope> live = day(during, Instant.parse("2026-11-20T08:00:00Z"), random);
        send(live);

        await().atMost(Duration.ofSeconds(60)).until(() -> status().getInt("live.generation") == next);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM workstation_event WHERE username = '" + during + "'") == live.size());
        JsonPath after = status();
        assertThat(after.getString("live.rules")).contains("auto-timeout 10 min").contains("40 min block");
        assertThat(after.getList("retired.generation", Integer.class)).contains(old);

        // the views now read the new generation
        assertThat(count("SELECT coalesce(sum(length(reports) / 25), 0) FROM workstation_report_day_g" + next
                + " WHERE username LIKE 'rb-%-" + run + "'"))
                .isEqualTo(history.size() + live.size());
        // and the new generation's rows are the old one's, row for row, for everything folded before the switch
        String users = "('" + String.join("','", before) + "')";
        for (String table : List.of("workstation_report_day", "working_interval", "workstation_user_day")) {
            String a = "SELECT * FROM " + table + "_g" + old + " WHERE username IN " + users;
            String b = "SELECT * FROM " + table + "_g" + next + " WHERE username IN " + users;
            assertThat(count("SELECT count(*) FROM (" + a + " EXCEPT " + b + ") d")).as(table + " old minus new").isZero();
            assertThat(count("SELECT count(*) FROM (" + b + " EXCEPT " + a + ") d")).as(table + " new minus old").isZero();
            assertThat(count("SELECT count(*) FROM (" + a + ") d")).as(table).isPositive();
        }
    }

    @Test
    void twoReportsSharingAnIdAreTwoReportsLiveAndRebuiltAlike() throws Exception {
        // not a re-delivery (that is the same id at the same time for the same user): an agent that reused an id
        String run = UUID.randomUUID().toString().substring(0, 8);
        UUID shared = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-18T09:00:00Z");
        send(List.of(
                EventEnvelope.of(shared, "test", at, "hq", "id-a-" + run, new WorkstationStateChanged("id-a-" + run, "pc-1", WorkstationState.WORKING)),
                EventEnvelope.of(shared, "test", at.plusSeconds(60), "hq", "id-b-" + run,
                        new WorkstationStateChanged("id-b-" + run, "pc-2", WorkstationState.STOPPED))));
        String byId = "SELECT count(*) FROM %s d, rollcall_workstation_reports(d.reports) r WHERE r.event_id = '" + shared
                + "' AND username LIKE 'id-_-" + run + "'";
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM workstation_event WHERE event_id = '" + shared + "'") == 2);
        int old = status().getInt("live.generation");

        int next = given().header("Authorization", TOKEN).when().post(PATH + "/rebuild").then().statusCode(202)
                .extract().jsonPath().getInt("generation");
        await().atMost(Duration.ofSeconds(60)).until(() -> status().getInt("live.generation") == next);

        for (int g : List.of(old, next)) {
            assertThat(count(byId.formatted("workstation_report_day_g" + g))).as("g%d", g).isEqualTo(2);
        }
    }

    static JsonPath status() {
        return given().header("Authorization", TOKEN).when().get(PATH).then().statusCode(200).extract().jsonPath();
    }

    /** A working day: stretches of per-minute working reports ended by stopped, or by nothing (timeout). */
    static List<EventEnvelope> day(String user, Instant from, Random random) {
        List<EventEnvelope> out = new ArrayList<>();
        Instant t = from;
        for (int stretch = 0; stretch < 4; stretch++) {
            int minutes = 20 + random.nextInt(70);
            for (int m = 0; m < minutes; m++) {
                out.add(event(user, WorkstationState.WORKING, t.plus(Duration.ofMinutes(m))));
            }
            t = t.plus(Duration.ofMinutes(minutes));
            if (random.nextBoolean()) {
                out.add(event(user, WorkstationState.STOPPED, t));
            }
            t = t.plus(Duration.ofMinutes(5 + random.nextInt(40)));
        }
        return out;
    }

    static EventEnvelope event(String user, WorkstationState state, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), "test", at, "hq", user, new WorkstationStateChanged(user, "pc-1", state));
    }

    static void send(List<EventEnvelope> events) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(e.topic().topicName(), e.key(), EventCodec.encode(e)));
            }
            producer.flush();
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = Postgres.endpoint().connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
