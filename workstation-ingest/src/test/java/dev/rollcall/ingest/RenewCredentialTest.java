package dev.rollcall.ingest;

import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.rollcall.ingest.EnrollmentTest.ADMIN;
import static dev.rollcall.ingest.EnrollmentTest.agentId;
import static dev.rollcall.ingest.EnrollmentTest.enroll;
import static dev.rollcall.ingest.EnrollmentTest.online;
import static dev.rollcall.ingest.EnrollmentTest.send;
import static dev.rollcall.ingest.EnrollmentTest.site;
import static dev.rollcall.ingest.EnrollmentTest.sql;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

/**
 * Credential renewal against a real PostgreSQL and broker: the new secret works; the previous one keeps working
 * until the new one is first used (an agent may die before storing the answer), then it is refused; a renewal
 * whose answer was lost is simply made again; revoked, expired and forged credentials cannot renew; nothing
 * secret reaches the log or Kafka.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class RenewCredentialTest {

    static Response renew(String credential) {
        return given().header("Authorization", "Bearer " + credential).when().post("/api/agent/credential");
    }

    static String renewed(String credential) {
        return renew(credential).then().statusCode(200).extract().path("credential");
    }

    static String secret(String credential) {
        return credential.substring(credential.indexOf('.') + 1);
    }

    @Test
    void theNewCredentialWorksAndTheOldOneUntilTheNewIsUsed() {
        String site = site();
        String old = enroll(site);
        String id = agentId(old);
        Map<TopicPartition, Long> before = AgentBatchResourceTest.endOffsets(EnrollmentTest.TOPICS);

        Response r = renew(old);
        r.then().statusCode(200).header("Cache-Control", "no-store").body("agentId", equalTo(id))
                .body("credential", matchesPattern(id + "\\.[A-Za-z0-9_-]{43}"));
        String fresh = r.path("credential");
        assertThat(fresh).isNotEqualTo(old);
        // the validity counts from the renewal (the test profile's 365 days)
        assertThat(Duration.between(Instant.now(), Instant.parse(r.path("expiresAt"))))
                .isBetween(Duration.ofDays(365).minusMinutes(1), Duration.ofDays(365));
        assertThat(AgentBatchResourceTest.endOffsets(EnrollmentTest.TOPICS)).as("a renewal appends nothing").isEqualTo(before);

        assertThat(send(old, online(id, site))).as("the old one, before the new is used").isEqualTo(200);
        assertThat(send(fresh, online(id, site))).isEqualTo(200);
        assertThat(send(old, online(id, site))).as("the old one, once the new was used").isEqualTo(401);
        assertThat(send(fresh, online(id, site))).isEqualTo(200);
        renew(old).then().statusCode(401);
    }

    @Test
    void aRenewalWhoseAnswerWasLostIsMadeAgain() {
        String site = site();
        String old = enroll(site);
        String id = agentId(old);
        String lost = renewed(old);              // the agent died before storing this one
        String second = renewed(old);            // it renews again with the credential it has

        assertThat(send(old, online(id, site))).isEqualTo(200);
        assertThat(send(lost, online(id, site))).as("replaced before it was ever used").isEqualTo(401);
        assertThat(send(second, online(id, site))).isEqualTo(200);
        assertThat(send(old, online(id, site))).isEqualTo(401);
    }

    @Test
    void thePendingCredentialCanRenewToo() {
        String site = site();
        String old = enroll(site);
        String id = agentId(old);
        String fresh = renewed(old);
        String third = renewed(fresh);           // renewing with the new one uses it: the old is done

        assertThat(send(old, online(id, site))).isEqualTo(401);
        assertThat(send(fresh, online(id, site))).as("valid until the next is used").isEqualTo(200);
        assertThat(send(third, online(id, site))).isEqualTo(200);
        assertThat(send(fresh, online(id, site))).isEqualTo(401);
    }

    @Test
    void theValidityCountsFromTheRenewal() throws Exception {
        String site = site();
        String old = enroll(site);
        String id = agentId(old);
        String fresh = renewed(old);
        assertThat(send(fresh, online(id, site))).isEqualTo(200);

        // enrolled 366 days ago, renewed now: still valid (this replica reads the row again within 2 s)
        sql("UPDATE ingest_agent SET enrolled_at = now() - interval '366 days' WHERE agent_id = ?", id);
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(250))
                .until(() -> send(fresh, online(id, site)) == 200);
        // renewed 366 days ago: expired, and cannot renew
        sql("UPDATE ingest_agent SET renewed_at = now() - interval '366 days' WHERE agent_id = ?", id);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> send(fresh, online(id, site)) == 401);
        renew(fresh).then().statusCode(401).body("detail", containsString("expired"));
    }

    @Test
    void revokedExpiredForgedAndConfiguredCredentialsCannotRenew() throws Exception {
        String site = site();
        String revoked = enroll(site);
        given().header("Authorization", ADMIN).when().delete("/api/admin/agents/" + agentId(revoked)).then().statusCode(200);
        renew(revoked).then().statusCode(401).contentType(containsString("problem+json"));

        String expired = enroll(site);
        sql("UPDATE ingest_agent SET enrolled_at = now() - interval '366 days' WHERE agent_id = ?", agentId(expired));
        renew(expired).then().statusCode(401).body("detail", containsString("expired"));

        String good = enroll(site);
        renew(agentId(good) + ".forged-secret-forged-secret-forged-secret-12").then().statusCode(401)
                .body("detail", not(containsString("expired")));
        renew("nobody-here.forged-secret-forged-secret-forged-secret-12").then().statusCode(401);
        given().when().post("/api/agent/credential").then().statusCode(401);
        renew("office-1.test-secret").then().statusCode(409).body("detail", containsString("configured"));
        renew("office-1.wrong-secret").then().statusCode(401);
        // none of these refusals touched the good agent
        assertThat(send(good, online(agentId(good), site))).isEqualTo(200);
    }

    @Test
    void agentsEnrolledBeforeRenewalExistedGetAFreshValidityOnceWhenTheColumnsAreAdded() throws Exception {
        String sql = new String(RenewCredentialTest.class.getResourceAsStream("/db/ingest.sql").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String before = sql.substring(0, sql.indexOf("-- Credential renewal"));   // the tables as they were
        String schema = "mig_" + Long.toString(System.nanoTime(), 36);
        try (java.sql.Connection c = dev.rollcall.testsupport.Postgres.endpoint().connect();
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            try {
                st.execute("SET search_path = " + schema);
                st.execute(before);
                st.execute("INSERT INTO ingest_agent (agent_id, site, secret_sha256, enrolled_at) "
                        + "VALUES ('hq-old', 'hq', '\\x00', now() - interval '400 days')");
                st.execute(sql);
                assertThat(renewedAgo(st)).as("a fresh validity from the upgrade").isLessThan(Duration.ofMinutes(1));
                st.execute("UPDATE ingest_agent SET renewed_at = now() - interval '10 days'");
                st.execute(sql);   // every start applies it again: no second fresh validity
                assertThat(renewedAgo(st)).isGreaterThan(Duration.ofDays(9));
            } finally {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static Duration renewedAgo(java.sql.Statement st) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT extract(epoch FROM now() - renewed_at) FROM ingest_agent")) {
            rs.next();
            return Duration.ofMillis(Math.round(rs.getDouble(1) * 1000));
        }
    }

    @Test
    void nothingSecretIsLogged() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String m = record.getMessage();
                Object[] p = record.getParameters();
                lines.add(p == null ? String.valueOf(m) : m + " " + List.of(p));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            String site = site();
            String old = enroll(site);
            String fresh = renewed(old);
            renewed(fresh);
            assertThat(lines).anyMatch(l -> l.contains("renewed its credential") && l.contains(agentId(old)));
            assertThat(lines).noneMatch(l -> l.contains(secret(old)) || l.contains(secret(fresh)));
        } finally {
            root.removeHandler(capture);
        }
    }
}
