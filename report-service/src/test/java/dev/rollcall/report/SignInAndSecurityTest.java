package dev.rollcall.report;

import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Sign-in over HTTP as a browser does it (form, CSRF cookie, session cookie), sign-out, throttling, API tokens, and
 * what a forged session gets: a tampered, expired, wrong-issuer, foreign-key or unsigned token is never a session.
 */
@QuarkusTest
@QuarkusTestResource(dev.rollcall.testsupport.KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class SignInAndSecurityTest {

    static final String PASSWORD = "correct horse battery staple";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Inject
    Accounts accounts;

    @BeforeEach
    void noSession() {
        TestSessions.signInAs(null);
    }

    String account(Role role) {
        String name = role.wire() + "-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(accounts.create(name, role, PASSWORD, "test").await().indefinitely()).isTrue();
        return name;
    }

    record Form(String csrf, String cookie) {
    }

    static Form signInForm() {
        Response r = given().when().get("/signin?next=/presence/month").then().statusCode(200)
                .header("Set-Cookie", containsString("HttpOnly")).extract().response();
        return new Form(csrfOf(r.asString()), r.getCookie(SignInResource.SIGNIN_COOKIE));
    }

    static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a csrf field in the form").isTrue();
        return m.group(1);
    }

    static Response postSignIn(Form form, String username, String password, boolean withCsrf) {
        var req = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie(SignInResource.SIGNIN_COOKIE, form.cookie())
                .formParam("username", username).formParam("password", password).formParam("next", "/presence/month");
        if (withCsrf) {
            req.formParam("csrf", form.csrf());
        }
        return req.when().post("/signin");
    }

    @Test
    void signingInSetsASecureSessionCookieAndGoesWhereTheUserWasGoing() {
        String hr = account(Role.HR);
        Response r = postSignIn(signInForm(), hr, PASSWORD, true);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.header("Location")).endsWith("/presence/month");
        String setCookie = r.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith(Sessions.COOKIE + "="))
                .findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("Secure").containsIgnoringCase("SameSite=Strict");
        String session = r.getCookie(Sessions.COOKIE);

        String page = given().cookie(Sessions.COOKIE, session).when().get("/presence").then().statusCode(200)
                .body(containsString(hr)).body(containsString("Show real names")).extract().asString();

        // sign out needs the page's CSRF token
        given().redirects().follow(false).cookie(Sessions.COOKIE, session).contentType(ContentType.URLENC)
                .formParam("csrf", "forged").when().post("/signout").then().statusCode(403);
        given().redirects().follow(false).cookie(Sessions.COOKIE, session).contentType(ContentType.URLENC)
                .when().post("/signout").then().statusCode(403);
        given().redirects().follow(false).cookie(Sessions.COOKIE, session).contentType(ContentType.URLENC)
                .formParam("csrf", csrfOf(page)).when().post("/signout")
                .then().statusCode(303).header("Set-Cookie", containsString("Max-Age=0"));
        // the signed-out token is worth nothing any more, even kept aside
        given().cookie(Sessions.COOKIE, session).when().get("/api/presence/now").then().statusCode(401);
        given().redirects().follow(false).accept(ContentType.HTML).cookie(Sessions.COOKIE, session).when().get("/presence")
                .then().statusCode(303);
    }

    @Test
    void aSignInWithoutTheFormsCsrfTokenIsRefusedAndSetsNoSession() {
        String admin = account(Role.ADMIN);
        Response r = postSignIn(signInForm(), admin, PASSWORD, false);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.getCookie(Sessions.COOKIE)).isNull();
        // another form's token does not fit this cookie
        Form other = signInForm();
        Form mixed = new Form(other.csrf(), signInForm().cookie());
        assertThat(postSignIn(mixed, admin, PASSWORD, true).statusCode()).isEqualTo(403);
    }

    @Test
    void wrongPasswordsAreThrottledPerAccount() {
        String viewer = account(Role.VIEWER);
        Form form = signInForm();
        for (int i = 0; i < 5; i++) {
            Response r = postSignIn(form, viewer, "wrong password " + i, true);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.asString()).contains(SignInResource.WRONG);
            assertThat(r.getCookie(Sessions.COOKIE)).isNull();
        }
        // now even the right password waits
        Response locked = postSignIn(form, viewer, PASSWORD, true);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.header("Retry-After")).isNotNull();
        assertThat(locked.getCookie(Sessions.COOKIE)).isNull();
        // an unknown account gets the same answer as a wrong password
        assertThat(postSignIn(form, "nobody-" + UUID.randomUUID().toString().substring(0, 6), PASSWORD, true).asString())
                .contains(SignInResource.WRONG);
        // others are not locked out
        assertThat(postSignIn(form, account(Role.VIEWER), PASSWORD, true).statusCode()).isEqualTo(303);
    }

    @Test
    void apiClientsGetABearerTokenAndTheWorkTracingApiNeedsHr() {
        String hr = account(Role.HR);
        String token = given().contentType(ContentType.JSON).body("{\"username\": \"" + hr + "\", \"password\": \"" + PASSWORD + "\"}")
                .when().post("/api/token").then().statusCode(200).body("token_type", equalTo("Bearer"))
                .extract().path("token");
        given().auth().oauth2(token).when().get("/api/reports/real_work_hours").then().statusCode(200).body("success", equalTo(true));
        given().when().get("/api/reports/real_work_hours").then().statusCode(401)
                .contentType(startsWith("application/problem+json")).header("WWW-Authenticate", "Bearer")
                .body("success", equalTo(false));
        given().auth().oauth2(TestSessions.token("v", Role.VIEWER)).when().get("/api/reports/real_work_hours").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"username\": \"" + hr + "\", \"password\": \"nope\"}")
                .when().post("/api/token").then().statusCode(401).contentType(startsWith("application/problem+json"));
    }

    @Test
    void forgedSessionsAreNoSessions() {
        String good = TestSessions.token("mallory", Role.ADMIN);
        String[] parts = good.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]));
        String elevated = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("mallory", "mallorx").getBytes());
        Instant now = Instant.now();
        List<String> forged = List.of(
                parts[0] + "." + elevated + "." + parts[2],                                         // payload altered
                parts[0] + "." + parts[1] + "." + flip(parts[2]),                                   // signature altered
                TestSessions.token("mallory", Role.ADMIN, TestSessions.ISSUER, now.minus(Duration.ofHours(9)),
                        Duration.ofHours(8), TestSessions.KEY),                                     // expired
                TestSessions.token("mallory", Role.ADMIN, "https://evil.example", now, Duration.ofHours(1),
                        TestSessions.KEY),                                                          // wrong issuer
                TestSessions.token("mallory", Role.ADMIN, TestSessions.ISSUER, now, Duration.ofHours(1),
                        "another-key-that-is-long-enough-to-be-a-key"),                             // another key
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                        + "." + parts[1] + ".");                                                    // unsigned
        given().cookie(Sessions.COOKIE, good).when().get("/api/presence/now").then().statusCode(200);
        for (String token : forged) {
            given().cookie(Sessions.COOKIE, token).when().get("/api/presence/now").then().statusCode(401)
                    .contentType(startsWith("application/problem+json"));
            given().auth().oauth2(token).when().get("/api/workstation/day").then().statusCode(401);
            // a browser with a bad cookie goes to the sign-in form and loses the cookie
            given().redirects().follow(false).cookie(Sessions.COOKIE, token).accept(ContentType.HTML).when().get("/presence/day")
                    .then().statusCode(303).header("Location", containsString("/signin?next=%2Fpresence%2Fday"))
                    .header("Set-Cookie", containsString("Max-Age=0"));
        }
        // the sign-in page itself works with a bad cookie
        given().cookie(Sessions.COOKIE, forged.get(0)).when().get("/signin").then().statusCode(200);
    }

    @Test
    void injectionInQueryParametersIsRefusedAndNeverReflectedAsMarkup() {
        RestAssured.requestSpecification = TestSessions.as(Role.ADMIN);
        List<String> evil = List.of("<script>alert(1)</script>", "x' OR '1'='1", "1; DROP TABLE report_account; --",
                "\"><img src=x onerror=alert(1)>");
        List<String> pages = List.of("/", "/day", "/week", "/month", "/day.csv", "/presence", "/presence/day",
                "/presence/month", "/presence/arrivals", "/presence/day.csv", "/api/presence/now", "/api/workstation/day",
                "/api/reports/real_work_hours", "/employees", "/employees/search.json", "/agents", "/agents.csv",
                "/api/agents", "/admin", "/admin/audit");
        for (String page : pages) {
            for (String param : List.of("site", "date", "month", "start_date", "username", "q", "names")) {
                for (String value : evil) {
                    Response r = given().queryParam(param, value).when().get(page);
                    assertThat(r.statusCode()).as(page + "?" + param + "=" + value).isIn(200, 400);
                    if (r.statusCode() == 400) {
                        // the message may quote the bad value, as JSON text that no browser renders as a page
                        assertThat(r.contentType()).as(page).startsWith("application/problem+json");
                        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
                    } else if (r.contentType().startsWith("text/html")) {
                        assertThat(r.asString()).as(page + "?" + param).doesNotContain("<script>").doesNotContain("<img src=x");
                    } else {
                        // JSON and CSV may echo the text (a search's query), never as a page a browser would render
                        assertThat(r.contentType()).as(page).matches("(?i)(application/json|text/csv).*");
                        assertThat(r.header("X-Content-Type-Options")).as(page).isEqualTo("nosniff");
                    }
                }
            }
        }
        // the table is still there
        assertThat(accounts.list().await().indefinitely()).isNotNull();
    }

    @Test
    void injectionInTheSignInFormIsShownEscaped() {
        Form form = signInForm();
        Response r = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie(SignInResource.SIGNIN_COOKIE, form.cookie()).formParam("csrf", form.csrf())
                .formParam("username", "\"><script>alert(1)</script>").formParam("password", "' OR '1'='1")
                .formParam("next", "/\"><script>alert(2)</script>").when().post("/signin");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.asString()).doesNotContain("<script>").contains("&lt;script&gt;");
        // an open redirect is not possible either
        assertThat(SignInResource.safeNext("//evil.example/x")).isEqualTo("/");
        assertThat(SignInResource.safeNext("https://evil.example/")).isEqualTo("/");
        assertThat(SignInResource.safeNext("/\\evil.example")).isEqualTo("/");
        assertThat(SignInResource.safeNext("/presence?site=hq")).isEqualTo("/presence?site=hq");
    }

    private static String flip(String signature) {
        char c = signature.charAt(5);
        return signature.substring(0, 5) + (c == 'A' ? 'B' : 'A') + signature.substring(6);
    }
}
