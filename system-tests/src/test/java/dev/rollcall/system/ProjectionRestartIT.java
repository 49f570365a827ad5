package dev.rollcall.system;

import dev.rollcall.testsupport.Postgres;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The projection is killed (SIGKILL) between two events. After a restart it resumes from the checkpoint it
 * committed with its rows: each event is counted exactly once.
 */
class ProjectionRestartIT {

    @Test
    void eachEventIsCountedOnceAcrossAKill() throws Exception {
        String user = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.now().minusSeconds(120);
        try (var ingest = new ServiceProcess("workstation-ingest", Stack.kafka()).start();
             var projection = new ServiceProcess("projection-service", Stack.kafkaAndPostgres())) {
            projection.start();
            post(ingest, user, "working", t0);
            await().atMost(Duration.ofSeconds(30)).until(() -> reports(user) == 1);

            projection.kill();
            post(ingest, user, "stopped", t0.plusSeconds(60));
            assertThat(reports(user)).as("nothing folds while the projection is down").isEqualTo(1);

            projection.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> reports(user) == 2);
            // a later event proves the restarted projection has read past both; the count stays exact
            String marker = user + "-marker";
            post(ingest, marker, "working", t0.plusSeconds(90));
            await().atMost(Duration.ofSeconds(30)).until(() -> reports(marker) == 1);
            assertThat(reports(user)).isEqualTo(2);
            assertThat(events(user)).isEqualTo(2);
        }
    }

    private static void post(ServiceProcess ingest, String user, String state, Instant ts) {
        given().baseUri(ingest.baseUrl()).contentType(ContentType.JSON)
                .body("{\"user\":\"" + user + "\",\"state\":\"" + state + "\",\"ts\":\"" + ts + "\"}")
                .when().post("/api/report").then().statusCode(201);
    }

    private static int reports(String user) throws Exception {
        return count("SELECT coalesce(sum(reports), 0) FROM workstation_user_day WHERE username = ?", user);
    }

    private static int events(String user) throws Exception {
        return count("SELECT count(*) FROM workstation_event WHERE username = ?", user);
    }

    private static int count(String sql, String user) throws Exception {
        try (Connection c = Postgres.endpoint().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
