package dev.rollcall.report;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RealNamesRevealed;
import dev.rollcall.events.Topic;
import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import static dev.rollcall.report.PresenceResourceTest.FOLDED;
import static dev.rollcall.report.PresenceResourceTest.TUESDAY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Real names: hr asks with {@code ?names=real}; the reveal is on the audit topic before the page answers, and the
 * names are escaped in HTML and CSV alike. A viewer may not ask; without asking, hr sees pseudonyms too.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class PresenceRealNamesTest {

    @Test
    void hrRevealsNamesShownEscapedAndEachRevealIsAudited() throws Exception {
        TestSessions.signInAs(Role.HR);
        String site = PresenceResourceTest.seedTuesday();
        PresenceRows.employee(site, "E8", "=HYPERLINK(\"http://x\",\"<b>Mallory</b>\")");
        PresenceRows.attended(site, "E8", TUESDAY, FOLDED, Session.of("2026-03-10T08:00:00Z", "2026-03-10T08:30:00Z"));

        // hr without asking: pseudonyms
        given().queryParam("site", site).when().get("/presence")
                .then().statusCode(200).body(not(containsString("Ada Lovelace"))).body(containsString("Show real names"));
        assertThat(reveals(site)).isEmpty();

        String html = given().queryParam("site", site).queryParam("names", "real").when().get("/presence")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("class=\"employee\">Ada Lovelace</th>")
                .contains("class=\"employee\">Dan Brown</th>")
                .contains("=HYPERLINK(&quot;http://x&quot;,&quot;&lt;b&gt;Mallory&lt;/b&gt;&quot;)")
                .doesNotContain("<b>Mallory</b>")
                .doesNotContain("Eve Gone")
                .contains("Real names are shown").contains("Hide real names");
        // sorted by name: Ada, Bob, Cleo, Dan, Mallory's formula, Night Owl
        assertThat(html.indexOf(">Ada Lovelace<")).isLessThan(html.indexOf(">Night Owl<"));
        assertThat(reveals(site)).extracting(e -> (RealNamesRevealed) e.data())
                .containsExactly(new RealNamesRevealed("test-hr", "/presence", "current"));

        given().queryParam("site", site).queryParam("names", "real").when().get("/api/presence/now")
                .then().statusCode(200)
                .body("present[0].employee.label", equalTo("Ada Lovelace"))
                .body("present[0].employee.name", equalTo("Ada Lovelace"))
                .body("present[0].employee.id", equalTo("E1"))
                .body("present[0].employee.pseudonym", not(equalTo("")));

        String csv = given().queryParam("site", site).queryParam("date", "2026-03-10").queryParam("names", "real")
                .when().get("/presence/day.csv").then().statusCode(200).extract().asString();
        assertThat(csv).contains("\r\nAda Lovelace,2026-03-10,2026-03-10T07:00:00+01:00,,320,2,true,false\r\n")
                .contains("\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"<b>Mallory</b>\"\")\",2026-03-10,");
        given().queryParam("site", site).queryParam("month", "2026-03").queryParam("names", "real").when().get("/presence/month")
                .then().statusCode(200).body(containsString("title=\"Cleo Patra\">Cleo Patra</th>"));
        assertThat(reveals(site)).extracting(e -> ((RealNamesRevealed) e.data()).page() + " " + ((RealNamesRevealed) e.data()).period())
                .containsExactly("/presence current", "/api/presence/now current", "/presence/day.csv 2026-03-10",
                        "/presence/month 2026-03");
    }

    /**
     * The now page's own refresh (it sends {@code X-Rollcall-Refresh: presence-now}) of a page this session revealed
     * is audited at most once an hour; the page itself, a plain JSON call, another session's refresh and every other
     * page are audited each time. The refresh still shows real names, and the now CSV defends against formulas.
     */
    @Test
    void theNowPagesRefreshIsAuditedOnceAnHourPerSession() throws Exception {
        TestSessions.signInAs(Role.HR);
        String site = PresenceResourceTest.seedTuesday();
        PresenceRows.employee(site, "E8", "=HYPERLINK(\"http://x\",\"<b>Mallory</b>\")");
        PresenceRows.attended(site, "E8", TUESDAY, FOLDED, Session.open("2026-03-10T08:00:00Z"));

        given().queryParam("site", site).queryParam("names", "real").when().get("/presence").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            refresh(site).then().statusCode(200).body("present.employee.label", org.hamcrest.Matchers.hasItem("Ada Lovelace"));
        }
        assertThat(pages(site)).containsExactly("/presence");

        // a JSON call that is not the page's refresh is audited as any other
        given().queryParam("site", site).queryParam("names", "real").when().get("/api/presence/now").then().statusCode(200);
        assertThat(pages(site)).containsExactly("/presence", "/api/presence/now");

        // 59 min later still covered; an hour later the refresh is audited again, once
        QuarkusMock.installMockForType(Clock.fixed(PresenceResourceTest.NOW.plusSeconds(59 * 60), ZoneOffset.UTC), Clock.class);
        refresh(site).then().statusCode(200);
        assertThat(pages(site)).hasSize(2);
        QuarkusMock.installMockForType(Clock.fixed(PresenceResourceTest.NOW.plusSeconds(3600), ZoneOffset.UTC), Clock.class);
        refresh(site).then().statusCode(200).body("present.employee.label", org.hamcrest.Matchers.hasItem("Ada Lovelace"));
        refresh(site).then().statusCode(200);
        assertThat(pages(site)).containsExactly("/presence", "/api/presence/now", "/api/presence/now");

        // another session's refresh, without a reveal of its own yet: audited
        var another = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://localhost:" + io.restassured.RestAssured.port + "/api/presence/now?site=" + site + "&names=real"))
                        .header("Cookie", Sessions.COOKIE + "=" + TestSessions.token("test-hr-2", Role.HR))
                        .header(Reveals.REFRESH_HEADER, Reveals.REFRESH_NOW).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(another.statusCode()).isEqualTo(200);
        assertThat(another.body()).contains("Ada Lovelace");
        assertThat(reveals(site)).extracting(e -> ((RealNamesRevealed) e.data()).viewer()).hasSize(4).endsWith("test-hr-2");
        // the header does not spare other pages
        given().header(Reveals.REFRESH_HEADER, Reveals.REFRESH_NOW).queryParam("site", site).queryParam("names", "real")
                .when().get("/presence/arrivals").then().statusCode(200);
        assertThat(pages(site)).hasSize(5).endsWith("/presence/arrivals");

        String csv = given().queryParam("site", site).queryParam("names", "real").when().get("/presence.csv")
                .then().statusCode(200).extract().asString();
        assertThat(csv).contains("\r\nAda Lovelace,present,")
                .contains("\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"<b>Mallory</b>\"\")\",present,2026-03-10T09:00:00+01:00,");
        assertThat(pages(site)).hasSize(6).endsWith("/presence.csv");
    }

    private static io.restassured.response.Response refresh(String site) {
        return given().header(Reveals.REFRESH_HEADER, Reveals.REFRESH_NOW).queryParam("site", site).queryParam("names", "real")
                .when().get("/api/presence/now");
    }

    private static List<String> pages(String site) {
        return reveals(site).stream().map(e -> ((RealNamesRevealed) e.data()).page()).toList();
    }

    @Test
    void aViewerMayNotRevealNames() throws Exception {
        String site = PresenceResourceTest.seedTuesday();
        TestSessions.signInAs(Role.VIEWER);
        given().queryParam("site", site).queryParam("names", "real").when().get("/presence")
                .then().statusCode(403).body(not(containsString("Ada")));
        given().queryParam("site", site).when().get("/presence")
                .then().statusCode(200).body(not(containsString("Ada Lovelace"))).body(not(containsString("Show real names")));
        assertThat(reveals(site)).isEmpty();
    }

    private static List<EventEnvelope> reveals(String site) {
        return AuditTopic.events(Topic.AUDIT).stream().filter(e -> e.site().equals(site)).toList();
    }
}
