package dev.rollcall.system;

import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.Postgres;

import java.util.HashMap;
import java.util.Map;

/** The configuration every service process gets: the real broker and Postgres of this test JVM. */
final class Stack {

    private Stack() {
    }

    static Map<String, String> kafka() {
        return Map.of("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
    }

    /** The first admin of every report-service these tests start (the database is this JVM's own). */
    static final String REPORT_ADMIN_PASSWORD = "system-tests-admin-password";

    /** report-service's configuration: broker, database and a first admin to sign in as. */
    static Map<String, String> report() {
        Map<String, String> m = kafkaAndPostgres();
        m.put("report.auth.first-admin-password", REPORT_ADMIN_PASSWORD);
        return m;
    }

    /** A bearer token of the first admin, from report-service's POST /api/token. */
    static String reportToken(String reportBaseUrl) {
        return io.restassured.RestAssured.given().baseUri(reportBaseUrl).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"username\": \"admin\", \"password\": \"" + REPORT_ADMIN_PASSWORD + "\"}")
                .when().post("/api/token").then().statusCode(200).extract().path("token");
    }

    private static final Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A request to a running report-service as its first admin (the token fetched once per process). */
    static io.restassured.specification.RequestSpecification reportAs(ServiceProcess report) {
        String token = TOKENS.computeIfAbsent(report.baseUrl(), Stack::reportToken);
        return io.restassured.RestAssured.given().baseUri(report.baseUrl()).auth().oauth2(token);
    }

    static Map<String, String> kafkaAndPostgres() {
        Postgres.Endpoint db = Postgres.endpoint();
        Map<String, String> m = new HashMap<>(kafka());
        m.put("quarkus.datasource.reactive.url", db.reactiveUrl());
        m.put("quarkus.datasource.username", db.user());
        m.put("quarkus.datasource.password", db.password());
        return m;
    }
}
