package dev.rollcall.report;

import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agents' administration page ({@code /admin/agents}) against {@link IngestStandIn}, an in-test HTTP server
 * answering as workstation-ingest's admin API does: what the page sends (bearer token, site, validity), what it
 * shows (a code once, with its command and expiry; the agents; a revocation only after confirmation), and what it
 * does when the ingest refuses or is gone. The real ingest is exercised end to end by system-tests'
 * {@code EnrollmentPageIT} (a code from this page redeemed by a real enrollment, the revoked agent refused).
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
@QuarkusTestResource(value = IngestStandIn.class, restrictToAnnotatedClass = true)
class AdminAgentsTest {

    String session;
    String csrf;
    String site;

    @BeforeEach
    void signInAsAdmin() {
        TestSessions.signInAs(null);
        control("mode?m=ok");
        site = ReadModelRows.uniqueSite("enr");
        session = TestSessions.token("test-admin", Role.ADMIN);
        csrf = SignInAndSecurityTest.csrfOf(admin().get("/admin/agents?site=" + site).then().statusCode(200).extract().asString());
    }

    @AfterEach
    void ingestBack() {
        control("mode?m=ok");
    }

    @Test
    void aCodeIsShownOnceWithTheCommandThatRedeemsItAndWhenItExpires() {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = capture(log);
        Response r;
        try {
            r = post("/admin/agents/codes", Map.of("site", site, "validFor", "PT1H"), true);
            control("mode?m=down");
            post("/admin/agents/codes", Map.of("site", site, "validFor", "PT1H"), true);   // a failure is logged
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(handler);
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        String page = r.asString();
        Matcher code = Pattern.compile("<code id=\"code\">([A-Z0-9-]+)</code>").matcher(page);
        assertThat(code.find()).as(page).isTrue();
        assertThat(page).contains("<code id=\"enroll-command\">presence-agent enroll --server " + ingestUrl() + " --code " + code.group(1) + "</code>")
                .contains("Shown only now").contains("<time datetime=\"")
                .doesNotContain(IngestStandIn.TOKEN);
        assertThat(seen()).anySatisfy(line -> assertThat(line).startsWith("POST /api/admin/enrollment-codes Bearer " + IngestStandIn.TOKEN)
                .contains("\"site\":\"" + site + "\"").contains("\"validFor\":\"PT1H\""));

        assertThat(log).as("what report-service logged").anySatisfy(l -> assertThat(l).contains("unreachable"))
                .allSatisfy(l -> assertThat(l).doesNotContain(code.group(1)).doesNotContain(IngestStandIn.TOKEN));

        control("mode?m=ok");
        String again = admin().get("/admin/agents?site=" + site).then().statusCode(200).extract().asString();
        assertThat(again).doesNotContain(code.group(1)).doesNotContain(IngestStandIn.TOKEN).contains("configured-" + site);
    }

    @Test
    void anAgentIsRevokedOnlyAfterConfirmation() {
        String agent = site + "-ck8e5gba";
        control("agent?site=" + site + "&id=" + agent + "&host=desk-7");
        String page = admin().get("/admin/agents?site=" + site).then().statusCode(200).extract().asString();
        assertThat(page).contains(agent).contains("desk-7").contains("Revoke…").contains("configured in the ingest");

        Response ask = post("/admin/agents/revoke", Map.of("site", site, "agentId", agent), true);
        assertThat(ask.statusCode()).isEqualTo(200);
        assertThat(ask.asString()).contains("Revoke agent " + agent + "?").contains("refused by the ingest at its next request")
                .contains("Yes, revoke " + agent).contains("No, keep it");
        assertThat(seen()).noneMatch(l -> l.startsWith("DELETE /api/admin/agents/" + agent));

        Response done = post("/admin/agents/revoke", Map.of("site", site, "agentId", agent, "confirm", "yes"), true);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(URLDecoder.decode(done.header("Location"), StandardCharsets.UTF_8)).contains("site=" + site).contains(agent + " revoked");
        assertThat(seen()).anyMatch(l -> l.startsWith("DELETE /api/admin/agents/" + agent + " Bearer " + IngestStandIn.TOKEN));
        page = admin().urlEncodingEnabled(false).get(done.header("Location")).then().statusCode(200).extract().asString();
        assertThat(page).contains("Done: agent " + agent + " revoked").contains("revoked ");

        Response unknown = post("/admin/agents/revoke", Map.of("site", site, "agentId", site + "-nosuchag"), true);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.asString()).contains("no agent " + site + "-nosuchag at site " + site);
    }

    @Test
    void withoutTheCsrfTokenOrWithABadFieldNothingIsAsked() {
        int before = seen().size();
        assertThat(post("/admin/agents/codes", Map.of("site", site, "validFor", "PT1H"), false).statusCode()).isEqualTo(403);
        assertThat(post("/admin/agents/revoke", Map.of("site", site, "agentId", "x", "confirm", "yes"), false).statusCode()).isEqualTo(403);
        Response bad = post("/admin/agents/codes", Map.of("site", site, "validFor", "P365D"), true);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.asString()).contains("pick one of");
        bad = post("/admin/agents/codes", Map.of("site", "<script>x</script>", "validFor", "PT1H"), true);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.asString()).doesNotContain("<script>x");
        assertThat(seen().subList(before, seen().size())).noneMatch(l -> l.startsWith("POST") || l.startsWith("DELETE"));
    }

    @Test
    void anIngestThatIsGoneOrBusyOrRefusesTheTokenIsSaidSoAndNothingIsPretended() {
        control("mode?m=down");
        Response r = admin().get("/admin/agents?site=" + site);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.asString()).contains("The agents could not be listed").contains("is unreachable").doesNotContain("<table class=\"people\">")
                .doesNotContain(IngestStandIn.TOKEN);
        r = post("/admin/agents/codes", Map.of("site", site, "validFor", "PT24H"), true);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.asString()).contains("No code was made").doesNotContain("id=\"code\"");

        control("mode?m=busy");
        r = post("/admin/agents/codes", Map.of("site", site, "validFor", "PT24H"), true);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.asString()).contains("No code was made: the ingest cannot do it just now (503: the credential store is unavailable)");
        r = post("/admin/agents/revoke", Map.of("site", site, "agentId", site + "-ck8e5gba", "confirm", "yes"), true);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.asString()).contains("was not revoked");
    }

    @Test
    void onlyAdminsReachThePage() {
        for (Role role : List.of(Role.VIEWER, Role.HR)) {
            given().redirects().follow(false).cookie(Sessions.COOKIE, TestSessions.token("test-" + role.wire(), role))
                    .get("/admin/agents").then().statusCode(403);
        }
        given().redirects().follow(false).accept("text/html").get("/admin/agents").then().statusCode(303);
    }

    /** On a phone and a desktop, in headless Chromium (skipped without it): screenshots in target/browser-screenshots/. */
    @Test
    void onAPhoneAndADesktopInABrowser() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Chromium.available(), "no Chromium: the browser part is skipped");
        control("agent?site=" + site + "&id=" + site + "-b7x2k9qa&host=reception-desk-with-a-long-host-name.example.org");
        String base = "http://localhost:" + io.restassured.RestAssured.port;
        for (int width : new int[]{390, 1280}) {
            try (Chromium browser = Chromium.start(width, width == 390 ? 844 : 900)) {
                browser.cookie(base, Sessions.COOKIE, session);
                browser.open(base + "/admin/agents?site=" + site);
                browser.screenshot(WebInABrowserTest.SHOTS.resolve("20-enrollment-" + width + ".png"));
                browser.submit(Map.of("#code-validFor", "P7D"), "#enroll-block button");
                assertThat(browser.text()).contains("presence-agent enroll --server " + ingestUrl() + " --code ");
                browser.screenshot(WebInABrowserTest.SHOTS.resolve("21-enrollment-code-" + width + ".png"));
                browser.click("document.querySelector('#agents-block form.inline button').click();");
                assertThat(browser.text()).contains("Revoke agent " + site + "-b7x2k9qa?");
                browser.screenshot(WebInABrowserTest.SHOTS.resolve("22-enrollment-revoke-" + width + ".png"));
                assertThat(browser.eval("String(document.documentElement.scrollWidth <= window.innerWidth)"))
                        .as("nothing wider than the screen").isEqualTo("true");
            }
        }
    }

    /** Every log record of the application from now on, formatted, into {@code into}. */
    static java.util.logging.Handler capture(List<String> into) {
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                into.add(r.getLoggerName() + " " + new java.util.logging.SimpleFormatter().formatMessage(r)
                        + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        h.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger.getLogger("").addHandler(h);
        return h;
    }

    RequestSpecification admin() {
        return given().redirects().follow(false).cookie(Sessions.COOKIE, session);
    }

    Response post(String path, Map<String, String> fields, boolean withCsrf) {
        RequestSpecification r = admin().contentType(ContentType.URLENC).formParams(fields);
        if (withCsrf) {
            r.formParam("csrf", csrf);
        }
        return r.when().post(path);
    }

    static String ingestUrl() {
        return ConfigProvider.getConfig().getValue("report.ingest.url", String.class);
    }

    static void control(String what) {
        given().baseUri(ingestUrl()).post("/_control/" + what).then().statusCode(200);
    }

    static List<String> seen() {
        String all = given().baseUri(ingestUrl()).get("/_control/seen").then().statusCode(200).extract().asString();
        return all.isEmpty() ? List.of() : Arrays.asList(all.split("\n"));
    }
}
