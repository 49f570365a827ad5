package dev.rollcall.system;

import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.Postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
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

    /** The hex SHA-256 of a secret, as the ingest's configuration takes agents' and StaffTrace sites' tokens. */
    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A PUT to a running ingest's admin API (the roster) with its admin token; anything but a 2xx fails the test. */
    static void adminPut(ServiceProcess ingest, String adminToken, String path, String body) {
        int status = io.restassured.RestAssured.given().baseUri(ingest.baseUrl()).contentType(io.restassured.http.ContentType.JSON)
                .header("Authorization", "Bearer " + adminToken).body(body).when().put(path).then().extract().statusCode();
        org.assertj.core.api.Assertions.assertThat(status).as("PUT %s", path).isBetween(200, 299);
    }
}
