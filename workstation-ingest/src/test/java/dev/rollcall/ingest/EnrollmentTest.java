package dev.rollcall.ingest;

import dev.rollcall.events.AgentEnrolled;
import dev.rollcall.events.AgentRevoked;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.Postgres;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Enrollment against a real broker and a real PostgreSQL: a one-time code becomes an agent's credential, once;
 * wrong, used and expired codes create nothing; forged, other-site and revoked credentials append nothing; a
 * revocation made elsewhere (another replica, the database) is refused within seconds.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class EnrollmentTest {

    static final String ADMIN = "Bearer test-admin-token";
    static final List<Topic> TOPICS = List.of(Topic.PRESENCE, Topic.AGENTS);

    /** A site of its own per test, so tests never see each other's agents. */
    static String site() {
        return "enr-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    static String code(String site) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"site\":\"" + site + "\"}")
                .when().post("/api/admin/enrollment-codes")
                .then().statusCode(201).header("Cache-Control", "no-store")
                .body("site", equalTo(site)).body("code", matchesPattern("[A-Z2-9]{5}(-[A-Z2-9]{5}){3}"))
                .extract().path("code");
    }

    static Response redeem(String code) {
        return given().contentType(ContentType.JSON).body("{\"code\":\"" + code + "\",\"host\":\"office-pi\"}")
                .when().post("/api/agent/enroll");
    }

    /** Enrolls a new agent of {@code site}: its credential {@code <agentId>.<secret>}. */
    static String enroll(String site) {
        return redeem(code(site)).then().statusCode(201).extract().path("credential");
    }

    static String agentId(String credential) {
        return credential.substring(0, credential.indexOf('.'));
    }

    static EventEnvelope online(String agentId, String site) {
        String mac = String.format("3c:22:fb:%02x:%02x:%02x", ThreadLocalRandom.current().nextInt(256),
                ThreadLocalRandom.current().nextInt(256), ThreadLocalRandom.current().nextInt(256));
        return EventEnvelope.of(UUID.randomUUID(), "agent/" + agentId, Instant.now(), site, mac,
                new DeviceStateChanged(mac, null, DeviceState.ONLINE));
    }

    static int send(String credential, EventEnvelope... events) {
        return given().header("Authorization", "Bearer " + credential).contentType(ContentType.JSON)
                .body(AgentBatchResourceTest.batch(events)).when().post("/api/agent/events").then().extract().statusCode();
    }

    static List<EventEnvelope> appendedSince(Map<TopicPartition, Long> before) {
        List<EventEnvelope> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : AgentBatchResourceTest.recordsAfter(before, TOPICS)) {
            out.add(EventCodec.decode(r.value()));
        }
        return out;
    }

    static int agentsOf(String site) throws Exception {
        try (Connection c = Postgres.endpoint().connect();
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM ingest_agent WHERE site = ?")) {
            st.setString(1, site);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static void sql(String statement, String arg) throws Exception {
        try (Connection c = Postgres.endpoint().connect(); PreparedStatement st = c.prepareStatement(statement)) {
            st.setString(1, arg);
            st.executeUpdate();
        }
    }

    @Test
    void aCodeBecomesACredentialThatSendsEventsOfItsSite() {
        String site = site();
        String code = code(site);
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);

        Response r = redeem(code.toLowerCase().replace("-", " "));   // as typed: any case, spaces for dashes
        r.then().statusCode(201).header("Cache-Control", "no-store").body("site", equalTo(site))
                .body("agentId", matchesPattern(site + "-[a-z2-9]{8}"))
                .body("credential", matchesPattern(site + "-[a-z2-9]{8}\\.[A-Za-z0-9_-]{43}"));
        String credential = r.path("credential");
        EventEnvelope e = online(agentId(credential), site);
        assertThat(send(credential, e)).isEqualTo(200);

        List<EventEnvelope> appended = appendedSince(before);
        assertThat(appended).contains(e);
        EventEnvelope enrolled = appended.stream().filter(x -> x.data() instanceof AgentEnrolled).findFirst().orElseThrow();
        assertThat(enrolled.site()).isEqualTo(site);
        assertThat(enrolled.subject()).isEqualTo(agentId(credential));
        assertThat(enrolled.data()).isEqualTo(new AgentEnrolled(agentId(credential), "office-pi"));
        assertThat(EventCodec.encodeToString(enrolled)).doesNotContain(credential.substring(credential.indexOf('.') + 1));
    }

    @Test
    void aCodeWorksOnce() throws Exception {
        String site = site();
        String code = code(site);
        redeem(code).then().statusCode(201);
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);

        redeem(code).then().statusCode(410).contentType(containsString("problem+json"))
                .body("detail", containsString("already used"));

        assertThat(agentsOf(site)).isEqualTo(1);
        assertThat(AgentBatchResourceTest.endOffsets(TOPICS)).isEqualTo(before);
    }

    @Test
    void twoConcurrentRedemptionsOfOneCodeMakeOneAgent() throws Exception {
        for (int round = 0; round < 5; round++) {
            String site = site();
            String code = code(site);
            int n = 4;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    answers.add(pool.submit((Callable<Integer>) () -> {
                        start.await();
                        return redeem(code).statusCode();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : answers) {
                    statuses.add(f.get());
                }
                assertThat(statuses).as("round " + round).containsOnlyOnce(201).containsOnly(201, 410);
                assertThat(agentsOf(site)).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void wrongMalformedAndExpiredCodesCreateNothing() throws Exception {
        String site = site();
        String expired = code(site);
        sql("UPDATE ingest_enrollment_code SET expires_at = now() - interval '1 second' WHERE site = ?", site);
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);

        redeem("ABCDE-FGHJK-LMNPQ-RSTUV").then().statusCode(401).contentType(containsString("problem+json"))
                .body("detail", containsString("not a valid enrollment code"));
        redeem("not a code").then().statusCode(401);
        redeem(expired).then().statusCode(410).body("detail", containsString("expired"));
        given().contentType(ContentType.JSON).body("{not json").when().post("/api/agent/enroll").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"code\": 42}").when().post("/api/agent/enroll").then().statusCode(401);

        assertThat(agentsOf(site)).isZero();
        assertThat(AgentBatchResourceTest.endOffsets(TOPICS)).isEqualTo(before);
    }

    @Test
    void forgedAndOtherSiteCredentialsAppendNothing() {
        String site = site();
        String credential = enroll(site);
        String id = agentId(credential);
        String other = enroll(site());
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);

        assertThat(send(id + ".forged-secret-forged-secret-forged-secret-12", online(id, site))).isEqualTo(401);
        assertThat(send(id + "x." + credential.substring(id.length() + 1), online(id, site))).isEqualTo(401);
        // another enrolled agent's credential, with this agent's id
        assertThat(send(id + "." + other.substring(agentId(other).length() + 1), online(id, site))).isEqualTo(401);
        // its own credential, but an event of another site
        assertThat(send(credential, online(id, "hq"))).isEqualTo(403);

        assertThat(AgentBatchResourceTest.endOffsets(TOPICS)).isEqualTo(before);
    }

    @Test
    void aRevokedAgentIsRefusedAtItsNextRequestAndAppendsNothing() {
        String site = site();
        String credential = enroll(site);
        String id = agentId(credential);
        assertThat(send(credential, online(id, site))).isEqualTo(200);
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);

        given().header("Authorization", ADMIN).when().delete("/api/admin/agents/" + id)
                .then().statusCode(200).body("agentId", equalTo(id)).body("site", equalTo(site)).body("revokedAt", notNullValue());
        List<EventEnvelope> revocation = appendedSince(before);
        assertThat(revocation).hasSize(1);
        assertThat(revocation.get(0).data()).isEqualTo(new AgentRevoked(id));
        assertThat(revocation.get(0).site()).isEqualTo(site);

        Map<TopicPartition, Long> afterRevocation = AgentBatchResourceTest.endOffsets(TOPICS);
        assertThat(send(credential, online(id, site))).isEqualTo(401);
        assertThat(AgentBatchResourceTest.endOffsets(TOPICS)).isEqualTo(afterRevocation);

        given().header("Authorization", ADMIN).when().get("/api/admin/agents?site=" + site)
                .then().statusCode(200).body("agents[0].agentId", equalTo(id)).body("agents[0].origin", equalTo("enrolled"))
                .body("agents[0].host", equalTo("office-pi")).body("agents[0].revokedAt", notNullValue());
        // again: already revoked, nothing new on the log
        given().header("Authorization", ADMIN).when().delete("/api/admin/agents/" + id).then().statusCode(200);
        assertThat(AgentBatchResourceTest.endOffsets(TOPICS)).isEqualTo(afterRevocation);
    }

    @Test
    void anExpiredCredentialIsRefusedAndAppendsNothing() throws Exception {
        String site = site();
        String credential = enroll(site);
        String id = agentId(credential);
        assertThat(send(credential, online(id, site))).isEqualTo(200);

        // enrolled a year and a day ago: past the test profile's credential validity of 365 days (this replica
        // notices within its credential cache's 2 s, as with a revocation made elsewhere)
        sql("UPDATE ingest_agent SET enrolled_at = now() - interval '366 days' WHERE agent_id = ?", id);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> send(credential) == 401);
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(TOPICS);
        given().header("Authorization", "Bearer " + credential).contentType(ContentType.JSON)
                .body("{\"events\": [" + EventCodec.encodeToString(online(id, site)) + "]}")
                .when().post("/api/agent/events").then().statusCode(401).body("detail", containsString("expired"));
        // a forged secret for the same agent is told nothing about expiry
        given().header("Authorization", "Bearer " + id + ".forged-secret-forged-secret-forged-secret-12")
                .contentType(ContentType.JSON).body("{\"events\": []}")
                .when().post("/api/agent/events").then().statusCode(401).body("detail", not(containsString("expired")));
        assertThat(AgentBatchResourceTest.endOffsets(TOPICS)).isEqualTo(before);
    }

    @Test
    void aRevocationMadeElsewhereIsRefusedWithinSeconds() throws Exception {
        String site = site();
        String credential = enroll(site);
        String id = agentId(credential);
        assertThat(send(credential, online(id, site))).isEqualTo(200);   // this replica has it cached now

        // as another replica revokes it: only the shared database changes
        sql("UPDATE ingest_agent SET revoked_at = now(), revoked_by = 'another-replica' WHERE agent_id = ?", id);
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> send(credential, online(id, site)) == 401);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("revocation in the database refused by this replica after %d ms%n", took.toMillis());
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theAdminApiNeedsTheTokenAndSaysWhatIsWrong() {
        given().contentType(ContentType.JSON).body("{\"site\":\"hq\"}").when().post("/api/admin/enrollment-codes")
                .then().statusCode(401);
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body("{\"site\":\"hq\"}")
                .when().post("/api/admin/enrollment-codes").then().statusCode(403);
        given().header("Authorization", "Bearer wrong").when().get("/api/admin/agents").then().statusCode(403);
        given().header("Authorization", "Bearer wrong").when().delete("/api/admin/agents/x").then().statusCode(403);
        for (String body : new String[] {"{}", "{\"site\":\"Not A Site!\"}", "{\"site\":\"hq\",\"validFor\":\"tomorrow\"}",
                "{\"site\":\"hq\",\"validFor\":\"PT1S\"}", "{\"site\":\"hq\",\"validFor\":\"P365D\"}", "[]"}) {
            given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(body)
                    .when().post("/api/admin/enrollment-codes").then().statusCode(400).contentType(containsString("problem+json"));
        }
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"site\":\"hq\",\"validFor\":\"PT10M\"}")
                .when().post("/api/admin/enrollment-codes").then().statusCode(201);
        given().header("Authorization", ADMIN).when().delete("/api/admin/agents/nobody-here").then().statusCode(404);
        given().header("Authorization", ADMIN).when().delete("/api/admin/agents/office-1").then().statusCode(409)
                .body("detail", containsString("configured"));
        given().header("Authorization", ADMIN).when().get("/api/admin/agents?site=lab")
                .then().statusCode(200).body("agents.find { it.agentId == 'lab-1' }.origin", equalTo("configured"));
    }
}
