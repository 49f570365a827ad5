package dev.rollcall.report;

import dev.rollcall.events.Topic;
import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security tests' breadth: SQL and HTML injection in every query parameter of every page, CSV and JSON, in the
 * path's pseudonym, in the agent forms and in {@code /api/token}'s body; and every form POST without its CSRF token
 * (or with another session's) refused with 403 and nothing written.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class SecurityBreadthTest {

    static final List<String> EVIL = List.of("<script>alert(1)</script>", "x' OR '1'='1", "1; DROP TABLE report_account; --",
            "\"><img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")");

    /** Every GET that answers with people or administration: pages, CSV and JSON. */
    static final List<String> ENDPOINTS = List.of("/", "/day", "/week", "/month", "/day.csv", "/week.csv", "/month.csv",
            "/api/workstation/day", "/api/workstation/week", "/api/workstation/month", "/api/reports/real_work_hours",
            "/presence", "/presence/day", "/presence/month", "/presence/arrivals", "/presence/day.csv", "/presence/month.csv",
            "/presence/arrivals.csv", "/api/presence/now", "/api/presence/day", "/api/presence/month", "/api/presence/arrivals",
            "/agents", "/agents.csv", "/api/agents", "/employees", "/employees/search.json", "/employees/search.csv",
            "/employees/{pseudonym}", "/employees/{pseudonym}/month.csv", "/employees/{pseudonym}/workstation.csv",
            "/admin", "/admin/audit", "/admin/audit.csv", "/admin/agents");

    static final List<String> PARAMETERS = List.of("site", "date", "month", "start_date", "end_date", "username", "q", "names",
            "done", "next");

    @Inject
    Pseudonyms pseudonyms;
    @Inject
    Accounts accounts;

    String site;

    @BeforeEach
    void seed() throws Exception {
        TestSessions.signInAs(null);
        site = ReadModelRows.uniqueSite("sec");
        PresenceRows.site(site, "Security office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.attended(site, "E1", LocalDate.of(2026, 3, 10), Instant.parse("2026-03-10T12:00:00Z"),
                Session.of("2026-03-10T08:00:00Z", "2026-03-10T11:00:00Z"));
    }

    @Test
    void injectionInEveryQueryParameterOfEveryEndpointIsHarmless() {
        String admin = TestSessions.token("test-admin", Role.ADMIN);
        int answered = 0;
        for (String endpoint : ENDPOINTS) {
            String path = endpoint.replace("{pseudonym}", pseudonyms.of(site, "E1"));
            for (String param : PARAMETERS) {
                for (String value : EVIL) {
                    // the site is always given, so that an employee's page is found; the parameter under test wins
                    Map<String, String> query = new LinkedHashMap<>();
                    query.put("site", site);
                    query.put(param, value);
                    Response r = given().redirects().follow(false).cookie(Sessions.COOKIE, admin).queryParams(query).when().get(path);
                    String what = path + "?" + param + "=" + value;
                    assertThat(r.statusCode()).as(what).isIn(200, 400, 403, 404);
                    assertHarmless(r, what);
                    answered++;
                }
            }
        }
        assertThat(answered).isEqualTo(ENDPOINTS.size() * PARAMETERS.size() * EVIL.size());
        assertThat(accounts.list().await().indefinitely()).as("the accounts table is still there").isNotEmpty();
    }

    @Test
    void injectionInThePathsPseudonymIsNotFound() {
        for (String value : List.of("%3Cscript%3Ealert(1)%3C%2Fscript%3E", "x'%20OR%20'1'%3D'1", "..%2F..%2Fadmin", "K7QX2M'--",
                "ZZZZZZ")) {
            for (String suffix : List.of("", "/month.csv", "/workstation.csv")) {
                Response r = given().redirects().follow(false).urlEncodingEnabled(false).spec(TestSessions.as(Role.ADMIN))
                        .queryParam("site", site).when().get("/employees/" + value + suffix);
                assertThat(r.statusCode()).as(value + suffix).isIn(400, 404);
                assertHarmless(r, value + suffix);
            }
        }
    }

    @Test
    void theSignInPagesNextIsShownEscaped() {
        for (String value : EVIL) {
            Response r = given().redirects().follow(false).queryParam("next", value).when().get("/signin");
            assertThat(r.statusCode()).as(value).isEqualTo(200);
            assertHarmless(r, value);
        }
    }

    @Test
    void theTokenEndpointTakesInjectionAsData() {
        for (String body : List.of("{\"username\": {\"$ne\": null}, \"password\": {\"$ne\": null}}",
                "{\"username\": [\"admin\"], \"password\": 1}", "{\"username\": \"x\"}", "not json <script>alert(1)</script>",
                "null")) {
            Response r = given().contentType(ContentType.JSON).body(body).when().post("/api/token");
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.contentType()).as(body).doesNotStartWith("text/html");
            assertThat(r.asString()).as(body).doesNotContain("<script>").doesNotContain("\"token\"");
        }
        // as strings they are an unknown account, the same answer as a wrong password (a failure the throttle counts)
        Response r = given().contentType(ContentType.JSON)
                .body(Map.of("username", "x' OR '1'='1", "password", "' OR '1'='1' --")).when().post("/api/token");
        assertThat(r.statusCode()).isIn(401, 429);
        assertThat(r.asString()).doesNotContain("\"token\"");
        assertThat(accounts.list().await().indefinitely()).isNotEmpty();
    }

    @Test
    void theAgentFormsTakeInjectionHarmlessly() {
        String admin = TestSessions.token("test-admin", Role.ADMIN);
        String csrf = SignInAndSecurityTest.csrfOf(given().cookie(Sessions.COOKIE, admin).when().get("/admin/agents?site=" + site)
                .then().statusCode(200).extract().asString());
        Map<String, Map<String, String>> forms = Map.of(
                "/admin/agents/codes", Map.of("site", site, "validFor", "PT1H"),
                "/admin/agents/revoke", Map.of("site", site, "agentId", "net-1", "confirm", "no"));
        for (var form : forms.entrySet()) {
            for (String field : form.getValue().keySet()) {
                for (String value : EVIL) {
                    Map<String, String> fields = new LinkedHashMap<>(form.getValue());
                    fields.put(field, value);
                    Response r = given().redirects().follow(false).cookie(Sessions.COOKIE, admin).contentType(ContentType.URLENC)
                            .formParams(fields).formParam("csrf", csrf).when().post(form.getKey());
                    String what = form.getKey() + " " + field + "=" + value;
                    // here the ingest is not configured: a wrong field is a 400, the rest says the ingest cannot be asked
                    assertThat(r.statusCode()).as(what).isIn(200, 303, 400, 404, 409, 502, 503);
                    assertHarmless(r, what);
                }
            }
        }
    }

    @Test
    void everyFormPostWithoutItsCsrfTokenIsRefusedAndWritesNothing() throws Exception {
        String admin = TestSessions.token("test-admin", Role.ADMIN);
        String other = TestSessions.token("test-admin", Role.ADMIN);
        // another session's token is no token for this one
        String otherCsrf = SignInAndSecurityTest.csrfOf(given().cookie(Sessions.COOKIE, other).when().get("/admin")
                .then().statusCode(200).extract().asString());
        String account = "csrf-" + site.substring(4);
        Map<String, Map<String, String>> forms = new LinkedHashMap<>();
        forms.put("/admin/sites", Map.of("site", site, "name", "Office", "zone", "UTC", "grace", "5"));
        forms.put("/admin/employees", Map.of("site", site, "employeeId", "E2", "name", "Bob"));
        forms.put("/admin/employees/deactivate", Map.of("site", site, "employeeId", "E1"));
        forms.put("/admin/employees/remove", Map.of("site", site, "employeeId", "E1"));
        forms.put("/admin/devices", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5e", "employeeId", "E1"));
        forms.put("/admin/devices/release", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5e"));
        forms.put("/admin/accounts", Map.of("username", account, "role", "viewer", "password", "a long enough password"));
        forms.put("/admin/agents/codes", Map.of("site", site, "validFor", "PT1H"));
        forms.put("/admin/agents/revoke", Map.of("site", site, "agentId", "net-1", "confirm", "yes"));
        forms.put("/signout", Map.of());
        try (var topic = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = topic.partitionsFor(Topic.ROSTER.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            for (var form : forms.entrySet()) {
                for (String csrf : java.util.Arrays.asList(null, "", otherCsrf, "forged")) {
                    long before = topic.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
                    var request = given().redirects().follow(false).cookie(Sessions.COOKIE, admin).contentType(ContentType.URLENC)
                            .formParams(form.getValue());
                    if (csrf != null) {
                        request.formParam("csrf", csrf);
                    }
                    Response r = request.when().post(form.getKey());
                    String what = form.getKey() + " csrf=" + csrf;
                    assertThat(r.statusCode()).as(what).isEqualTo(403);
                    assertThat(r.asString()).as(what).contains("CSRF");
                    assertThat(topic.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum()).as(what + ": nothing written")
                            .isEqualTo(before);
                }
            }
        }
        assertThat(accounts.find(account).await().indefinitely()).as("no account made").isEmpty();
        // and the refused sign-out left the session signed in
        given().redirects().follow(false).cookie(Sessions.COOKIE, admin).when().get("/admin").then().statusCode(200);
    }

    /** An answer never carries the markup as markup; a CSV never a cell a spreadsheet would run. */
    static void assertHarmless(Response r, String what) {
        String body = r.asString();
        String type = r.contentType() == null ? "" : r.contentType();
        if (r.statusCode() >= 500) {
            assertThat(r.statusCode()).as(what + ": no server error, at most the ingest's absence").isIn(502, 503);
        }
        if (type.startsWith("text/html")) {
            assertThat(body).as(what).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("\"><img");
        } else if (type.startsWith("text/csv")) {
            assertThat(body).as(what).doesNotContainPattern("(^|[,\\n])=").doesNotContain("<script>alert");
            assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        } else if (!type.isEmpty()) {
            // JSON (and problem+json, which may quote the bad value) is text no browser renders as a page
            assertThat(type).as(what).matches("(?i)application/(problem\\+)?json.*");
            assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        }
    }
}
