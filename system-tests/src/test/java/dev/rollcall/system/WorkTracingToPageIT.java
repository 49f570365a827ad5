package dev.rollcall.system;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The walking skeleton end to end: HTTP → ingest → Kafka → projection → Postgres → report page, as three processes. */
class WorkTracingToPageIT {

    @Test
    void aWorkTracingReportAppearsOnThePage() throws Exception {
        try (var ingest = new ServiceProcess("workstation-ingest", Stack.kafka()).start();
             var projection = new ServiceProcess("projection-service", Stack.kafkaAndPostgres()).start();
             var report = new ServiceProcess("report-service", Stack.report()).start()) {
            String token = Stack.reportToken(report.baseUrl());
            String user = "ACME\\e2e-" + UUID.randomUUID().toString().substring(0, 8);

            given().baseUri(ingest.baseUrl()).contentType(ContentType.JSON)
                    .body("{\"user\": \"" + user.replace("\\", "\\\\") + "\", \"state\": \"working\"}")
                    .when().post("/api/report")
                    .then().statusCode(201).body("success", equalTo(true));

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    given().baseUri(report.baseUrl()).auth().oauth2(token).queryParam("names", "real").when().get("/")
                            .then().statusCode(200)
                            .body(containsString(user))
                            .body(containsString("working")));
            given().baseUri(report.baseUrl()).auth().oauth2(token).queryParam("names", "real").when().get("/api/workstation/day")
                    .then().statusCode(200).body(containsString(user.replace("\\", "\\\\")));
        }
    }
}
