package dev.rollcall.report;

import dev.rollcall.events.Topic;
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
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL and HTML injection in every field of every administration form: each answer is a redirect (the value was
 * valid and is stored as typed) or a 400 naming the field (nothing written); no answer and no page showing the
 * stored values ever carries the markup unescaped, and the accounts table is still there.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class AdminInjectionTest {

    static final List<String> EVIL = List.of("<script>alert(1)</script>", "x' OR '1'='1", "1; DROP TABLE report_account; --",
            "\"><img src=x onerror=alert(1)>");

    @Inject
    Accounts accounts;

    @Test
    void everyFormFieldTakesInjectionHarmlessly() throws Exception {
        TestSessions.signInAs(null);
        String session = TestSessions.token("test-admin", Role.ADMIN);
        String csrf = SignInAndSecurityTest.csrfOf(given().cookie(Sessions.COOKIE, session).when().get("/admin")
                .then().statusCode(200).extract().asString());
        String site = ReadModelRows.uniqueSite("inj");
        // as the roster projection has them: a device goes to a configured site's known employee
        PresenceRows.site(site, "Office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada");
        Map<String, Map<String, String>> forms = new LinkedHashMap<>();
        forms.put("/admin/sites", Map.of("site", site, "name", "Office", "zone", "UTC", "grace", "5", "autoTimeout", "10",
                "realWorkBlock", "40"));
        forms.put("/admin/employees", Map.of("site", site, "employeeId", "E1", "name", "Ada", "active", "true",
                "workstationUsers", "ACME\\ada"));
        forms.put("/admin/devices", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5e", "employeeId", "E1", "label", "phone"));
        forms.put("/admin/devices/release", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5e"));
        forms.put("/admin/employees/deactivate", Map.of("site", site, "employeeId", "E1"));
        forms.put("/admin/employees/remove", Map.of("site", site, "employeeId", "E1"));
        forms.put("/admin/accounts", Map.of("username", "inj-" + site.substring(4), "role", "viewer", "password", "a long enough password"));

        int answers = 0;
        int refused = 0;
        try (var topic = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = topic.partitionsFor(Topic.ROSTER.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            for (var form : forms.entrySet()) {
                for (String field : form.getValue().keySet()) {
                    for (String value : EVIL) {
                        long before = topic.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
                        Map<String, String> fields = new LinkedHashMap<>(form.getValue());
                        fields.put(field, value);
                        Response r = given().redirects().follow(false).cookie(Sessions.COOKIE, session).contentType(ContentType.URLENC)
                                .formParams(fields).formParam("csrf", csrf).when().post(form.getKey());
                        String what = form.getKey() + " " + field + "=" + value;
                        assertThat(r.statusCode()).as(what).isIn(303, 400);
                        assertThat(r.asString()).as(what).doesNotContain("<script>alert").doesNotContain("<img src=x");
                        if (r.statusCode() == 400) {
                            refused++;
                            assertThat(topic.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum())
                                    .as(what + ": refused, nothing written").isEqualTo(before);
                        } else {
                            String page = given().cookie(Sessions.COOKIE, session).when().get(r.header("Location"))
                                    .then().statusCode(200).extract().asString();
                            assertThat(page).as(what + ": the page after it").doesNotContain("<script>alert").doesNotContain("<img src=x");
                        }
                        answers++;
                    }
                }
            }
        }
        assertThat(refused).as("most of these values are invalid somewhere").isPositive().isLessThan(answers);
        // the edit forms, filled with stored values that carry markup (as the roster projection would store them),
        // and asked for ids that carry it
        String evilSite = ReadModelRows.uniqueSite("inj");
        PresenceRows.site(evilSite, EVIL.get(0), "UTC", 5);
        PresenceRows.employee(evilSite, "E1", EVIL.get(3), true);
        PresenceRows.workstationUser(evilSite, EVIL.get(0), "E1");
        PresenceRows.device(evilSite, "00:1a:2b:3c:4d:5e", "E1", EVIL.get(3));
        for (String path : List.of("/admin/sites/" + evilSite + "/edit", "/admin/employees/E1/edit?site=" + evilSite,
                "/admin/devices/00:1a:2b:3c:4d:5e/edit?site=" + evilSite)) {
            for (String names : List.of("", "&names=real")) {
                String url = path + (path.contains("?") ? names : names.replaceFirst("&", "?"));
                String form = given().cookie(Sessions.COOKIE, session).when().get(url).then().statusCode(200).extract().asString();
                assertThat(form).as(url).contains("name=\"edit\" value=\"1\"").doesNotContain("<script>alert").doesNotContain("<img src=x");
            }
        }
        for (String value : EVIL) {
            for (String path : List.of("/admin/sites/{v}/edit", "/admin/employees/{v}/edit", "/admin/devices/{v}/edit")) {
                Response r = given().cookie(Sessions.COOKIE, session).pathParam("v", value).queryParam("site", value).when().get(path);
                assertThat(r.statusCode()).as(path + " " + value).isIn(400, 404);
                assertThat(r.asString()).as(path + " " + value).doesNotContain("<script>alert").doesNotContain("<img src=x");
            }
        }
        String revealed = given().cookie(Sessions.COOKIE, session).queryParam("site", site).queryParam("names", "real")
                .when().get("/admin").then().statusCode(200).extract().asString();
        assertThat(revealed).doesNotContain("<script>alert").doesNotContain("<img src=x");
        assertThat(accounts.list().await().indefinitely()).as("the accounts table is still there").isNotEmpty();
    }
}
