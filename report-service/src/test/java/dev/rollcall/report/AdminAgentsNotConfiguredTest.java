package dev.rollcall.report;

import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Without {@code report.ingest.url} and {@code report.ingest.admin-token} the agents' page says what to set, and makes nothing. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class AdminAgentsNotConfiguredTest {

    @Test
    void thePageNamesTheSettingsToSet() {
        TestSessions.signInAs(null);
        String session = TestSessions.token("test-admin", Role.ADMIN);
        String page = given().cookie(Sessions.COOKIE, session).get("/admin/agents").then().statusCode(200).extract().asString();
        assertThat(page).contains("This page cannot reach the ingest yet").contains("<code>report.ingest.url</code> and <code>report.ingest.admin-token</code>")
                .contains("the ingest is not configured").contains("disabled>Create enrollment code");
        String csrf = SignInAndSecurityTest.csrfOf(page);
        Response r = given().redirects().follow(false).cookie(Sessions.COOKIE, session).contentType(ContentType.URLENC)
                .formParam("csrf", csrf).formParam("site", "hq").formParam("validFor", "PT24H").post("/admin/agents/codes");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.asString()).contains("No code was made: not configured: set report.ingest.url and report.ingest.admin-token")
                .doesNotContain("id=\"code\"");
    }
}
