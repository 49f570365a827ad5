package dev.rollcall.report;

import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page and API, walked as anonymous, viewer, hr and admin: each gets exactly what it may. Nobody sees a real
 * name without asking; only hr and admin may ask ({@code names=real}, audited); only admin reaches administration;
 * without a session a page sends the browser to sign in and an API answers 401.
 * <p>
 * To add a page, add a line to {@link #ENDPOINTS}: its path ({@code {site}}, {@code {pseudonym}} are filled in), what
 * it is, the least role that may see it, and which names it shows ({@link Names}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class RoleWalkTest {

    enum Kind { PAGE, API, CSV }

    /** Which names an endpoint shows: none of the seeded ones, the seeded ones once asked, or on every call (audited). */
    enum Names { NONE, ON_REQUEST, EVERY_CALL }

    record Endpoint(String path, Kind kind, Role least, Names names) {
        @Override
        public String toString() {
            return path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            // workstations: work-tracing's user names are pseudonyms too until revealed
            new Endpoint("/", Kind.PAGE, Role.VIEWER, Names.NONE),
            new Endpoint("/day?site={site}", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/week?site={site}", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/month?site={site}", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/day.csv?site={site}", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/week.csv?site={site}", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/month.csv?site={site}", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/api/workstation/day?site={site}", Kind.API, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/api/workstation/week?site={site}", Kind.API, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/api/workstation/month?site={site}", Kind.API, Role.VIEWER, Names.ON_REQUEST),
            // work-tracing's API: every call is an audited reveal, so it needs hr
            new Endpoint("/api/reports/real_work_hours?site={site}", Kind.API, Role.HR, Names.EVERY_CALL),
            // presence
            new Endpoint("/presence?site={site}", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/presence/day?site={site}&date=2026-03-10", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/presence/month?site={site}&month=2026-03", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/presence/arrivals?site={site}", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/presence/day.csv?site={site}&date=2026-03-10", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/presence/month.csv?site={site}&month=2026-03", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/presence/arrivals.csv?site={site}", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/presence.csv?site={site}", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/api/presence/now?site={site}", Kind.API, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/api/presence/day?site={site}&date=2026-03-10", Kind.API, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/api/presence/month?site={site}&month=2026-03", Kind.API, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/api/presence/arrivals?site={site}", Kind.API, Role.VIEWER, Names.ON_REQUEST),
            // agents: agent ids (host names only for hr and admin, AgentsResourceTest), no people
            new Endpoint("/agents?site={site}", Kind.PAGE, Role.VIEWER, Names.NONE),
            new Endpoint("/agents.csv?site={site}", Kind.CSV, Role.VIEWER, Names.NONE),
            new Endpoint("/api/agents?site={site}", Kind.API, Role.VIEWER, Names.NONE),
            // employees
            new Endpoint("/employees?site={site}", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/employees/search.json?site={site}", Kind.API, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/employees/{pseudonym}?site={site}", Kind.PAGE, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/employees/search.csv?site={site}", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/employees/{pseudonym}/month.csv?site={site}", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            new Endpoint("/employees/{pseudonym}/workstation.csv?site={site}", Kind.CSV, Role.VIEWER, Names.ON_REQUEST),
            // administration
            new Endpoint("/admin?site={site}", Kind.PAGE, Role.ADMIN, Names.ON_REQUEST),
            // the edit forms: the name, user names and device label filled in only once asked
            new Endpoint("/admin/sites/{site}/edit", Kind.PAGE, Role.ADMIN, Names.NONE),
            new Endpoint("/admin/employees/E1/edit?site={site}", Kind.PAGE, Role.ADMIN, Names.ON_REQUEST),
            new Endpoint("/admin/devices/02:77:00:00:00:01/edit?site={site}", Kind.PAGE, Role.ADMIN, Names.ON_REQUEST),
            new Endpoint("/admin/audit", Kind.PAGE, Role.ADMIN, Names.NONE),
            new Endpoint("/admin/audit.csv", Kind.CSV, Role.ADMIN, Names.NONE),
            // agent enrollment and revocation, through the ingest's admin API (here: not configured, which the page says)
            new Endpoint("/admin/agents?site={site}", Kind.PAGE, Role.ADMIN, Names.NONE));

    static final String REAL_NAME = "Zelda Realname";
    static final String USER_NAME = "zelda.realname";
    static String site;

    @Inject
    Pseudonyms pseudonyms;

    @BeforeEach
    void seedOnce() throws Exception {
        TestSessions.signInAs(null);
        synchronized (RoleWalkTest.class) {
            if (site != null) {
                return;
            }
            String s = ReadModelRows.uniqueSite("walk");
            PresenceRows.site(s, "Walk office", "UTC", 5);
            PresenceRows.employee(s, "E1", REAL_NAME);
            PresenceRows.device(s, "02:77:00:00:00:01", "E1", REAL_NAME + "'s phone");  // a label can name the person
            PresenceRows.attended(s, "E1", LocalDate.of(2026, 3, 10), Instant.parse("2026-03-10T12:00:00Z"),
                    Session.of("2026-03-10T08:00:00Z", "2026-03-10T11:00:00Z"));
            Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS);
            PresenceRows.attended(s, "E1", LocalDate.ofInstant(midnight, ZoneOffset.UTC), midnight.plusSeconds(60),
                    new Session(midnight, midnight.plusSeconds(60)));
            ReadModelRows.workedDay(s, LocalDate.ofInstant(midnight, ZoneOffset.UTC), "ACME\\" + USER_NAME, 2, "stopped",
                    List.of(ReadModelRows.Interval.stopped(midnight.toString(), midnight.plusSeconds(60).toString())));
            // the employee's workstation user name: the employee and administration pages show it only when revealed
            PresenceRows.workstationUser(s, "ACME\\" + USER_NAME, "E1");
            site = s;
        }
    }

    /** null: anonymous. */
    static Stream<Arguments> walk() {
        List<Arguments> out = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (Role role : Arrays.asList(null, Role.VIEWER, Role.HR, Role.ADMIN)) {
                out.add(Arguments.of(e, role == null ? "anonymous" : role.wire()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("walk")
    void eachRoleGetsExactlyWhatItMay(Endpoint endpoint, String who) {
        Role role = who.equals("anonymous") ? null : Role.fromWire(who);
        String path = endpoint.path().replace("{site}", site).replace("{pseudonym}", pseudonyms.of(site, "E1"));

        Response plain = as(role, endpoint).get(path);
        Response revealed = as(role, endpoint).get(path + (path.contains("?") ? "&" : "?") + "names=real");

        if (role == null) {
            for (Response r : List.of(plain, revealed)) {
                if (endpoint.kind() == Kind.PAGE) {
                    assertThat(r.statusCode()).as("anonymous on a page").isEqualTo(303);
                    assertThat(r.header("Location")).contains("/signin?next=");
                } else {
                    assertThat(r.statusCode()).as("anonymous on an API").isEqualTo(401);
                }
                assertThat(r.asString()).doesNotContain(REAL_NAME).doesNotContain(USER_NAME);
            }
            return;
        }
        if (role.compareTo(endpoint.least()) < 0) {
            assertThat(plain.statusCode()).as(who + " below " + endpoint.least()).isEqualTo(403);
            assertThat(revealed.statusCode()).isEqualTo(403);
            assertThat(plain.asString() + revealed.asString()).doesNotContain(REAL_NAME).doesNotContain(USER_NAME);
            return;
        }
        assertThat(plain.statusCode()).as(who + " may see it").isEqualTo(200);
        if (endpoint.names() == Names.EVERY_CALL) {
            assertThat(plain.asString()).as("an audited reveal on every call").contains(USER_NAME);
        } else {
            assertThat(plain.asString()).as("without asking, nobody sees a real name").doesNotContain(REAL_NAME).doesNotContain(USER_NAME);
        }
        if (role == Role.VIEWER) {
            assertThat(revealed.statusCode()).as("a viewer may not ask for names").isEqualTo(403);
            assertThat(revealed.asString()).doesNotContain(REAL_NAME).doesNotContain(USER_NAME);
        } else {
            assertThat(revealed.statusCode()).isEqualTo(200);
            if (endpoint.names() != Names.NONE) {
                assertThat(revealed.asString()).as("hr and admin see names once they asked").containsAnyOf(REAL_NAME, USER_NAME);
            }
        }
    }

    static final String WALKER_PASSWORD = "a role walk password";
    static final String WALKER = "walker-" + java.util.UUID.randomUUID().toString().substring(0, 6);

    /** A form or API POST: its path, the least role that may send it (null: anyone) and what it sends. */
    record Post(String path, Role least, Map<String, String> fields) {
        @Override
        public String toString() {
            return "POST " + path;
        }
    }

    /** Every POST. Administration's write roster events, so they name a site of their own. */
    static final List<Post> POSTS = List.of(
            new Post("/admin/sites", Role.ADMIN, Map.of("site", "{post-site}", "name", "Office", "zone", "UTC", "grace", "5")),
            new Post("/admin/employees", Role.ADMIN, Map.of("site", "{post-site}", "employeeId", "E2", "name", "Bob")),
            new Post("/admin/employees/deactivate", Role.ADMIN, Map.of("site", "{post-site}", "employeeId", "E2")),
            new Post("/admin/employees/remove", Role.ADMIN, Map.of("site", "{post-site}", "employeeId", "E2")),
            new Post("/admin/devices", Role.ADMIN, Map.of("site", "{post-site}", "mac", "00:1a:2b:3c:4d:5e", "employeeId", "E2")),
            new Post("/admin/devices/release", Role.ADMIN, Map.of("site", "{post-site}", "mac", "00:1a:2b:3c:4d:5e")),
            new Post("/admin/accounts", Role.ADMIN, Map.of("username", "{account}", "role", "viewer", "password", "a long enough password")),
            new Post("/admin/agents/codes", Role.ADMIN, Map.of("site", "{post-site}", "validFor", "PT1H")),
            new Post("/admin/agents/revoke", Role.ADMIN, Map.of("site", "{post-site}", "agentId", "net-1")),
            new Post("/signout", Role.VIEWER, Map.of()),
            new Post("/signin", null, Map.of("username", "{walker}", "password", WALKER_PASSWORD)),
            new Post("/api/token", null, Map.of("username", "{walker}", "password", WALKER_PASSWORD)));

    @Inject
    Accounts accounts;

    static Stream<Arguments> posts() {
        List<Arguments> out = new ArrayList<>();
        for (Post p : POSTS) {
            for (Role role : Arrays.asList(null, Role.VIEWER, Role.HR, Role.ADMIN)) {
                out.add(Arguments.of(p, role == null ? "anonymous" : role.wire()));
            }
        }
        return out.stream();
    }

    /**
     * Every POST × every role, with the sender's own CSRF token (so a refusal is the role's, not the token's): below
     * the least role it is refused (303 to sign in or 401 without a session, 403 with one) and writes nothing; from it
     * up it is taken. Sign-in and the token API take anyone with the right password.
     */
    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("posts")
    void eachRoleMayPostExactlyWhatItMay(Post post, String who) throws Exception {
        Role role = who.equals("anonymous") ? null : Role.fromWire(who);
        synchronized (RoleWalkTest.class) {
            if (accounts.find(WALKER).await().indefinitely().isEmpty()) {
                accounts.create(WALKER, Role.VIEWER, WALKER_PASSWORD, "test").await().indefinitely();
            }
        }
        String postSite = ReadModelRows.uniqueSite("walkpost");
        String account = "walk-" + postSite.substring(9);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        post.fields().forEach((k, v) -> fields.put(k, v.replace("{post-site}", postSite).replace("{account}", account)
                .replace("{walker}", WALKER)));
        String token = role == null ? null : TestSessions.token("test-" + role.wire(), role);
        RequestSpecification r = given().redirects().follow(false)
                .accept(post.path().startsWith("/api/") ? "application/json" : "text/html");
        if (token != null) {
            r.cookie(Sessions.COOKIE, token);
            String page = given().cookie(Sessions.COOKIE, token).accept("text/html").when().get("/presence?site=" + site)
                    .then().statusCode(200).extract().asString();
            fields.put("csrf", SignInAndSecurityTest.csrfOf(page));
        }
        if (post.path().equals("/signin")) {
            SignInAndSecurityTest.Form form = SignInAndSecurityTest.signInForm();
            r.cookie(SignInResource.SIGNIN_COOKIE, form.cookie());
            fields.put("csrf", form.csrf());
        }
        Response answer = post.path().equals("/api/token")
                ? r.contentType(io.restassured.http.ContentType.JSON).body(Map.of("username", WALKER, "password", WALKER_PASSWORD)).post(post.path())
                : r.contentType(io.restassured.http.ContentType.URLENC).formParams(fields).post(post.path());
        String what = post + " as " + who;
        if (post.least() == null) {
            assertThat(answer.statusCode()).as(what).isIn(200, 303);
            return;
        }
        if (role == null) {
            assertThat(answer.statusCode()).as(what).isIn(303, 401);
            if (answer.statusCode() == 303) {
                assertThat(answer.header("Location")).as(what).contains("/signin");
            }
        } else if (role.compareTo(post.least()) < 0) {
            assertThat(answer.statusCode()).as(what).isEqualTo(403);
        } else {
            assertThat(answer.statusCode()).as(what + ": taken (done, or a field or the absent ingest named)")
                    .isIn(200, 303, 400, 404, 502, 503);
        }
        if (role == null || role.compareTo(post.least()) < 0) {
            assertThat(AuditTopic.events(dev.rollcall.events.Topic.ROSTER)).as(what + ": nothing written")
                    .noneMatch(e -> e.site().equals(postSite));
            assertThat(accounts.find(account).await().indefinitely()).as(what + ": no account made").isEmpty();
        }
    }

    private static RequestSpecification as(Role role, Endpoint e) {
        RequestSpecification r = given().redirects().follow(false);
        if (e.kind() == Kind.PAGE) {
            r.accept("text/html");
        }
        return role == null ? r : r.spec(TestSessions.as(role));
    }
}
