package dev.rollcall.report;

import dev.rollcall.events.RealNamesRevealed;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pages in a real browser (headless Chromium; skipped where there is none). The live "now" page's script
 * must redraw exactly what the server wrote. With {@code -Dscreenshots=DIR} it also photographs every page at a
 * phone's and a desktop's width, for a person to look at.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class PresencePagesInABrowserTest {

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        TestSessions.signInAs(Role.VIEWER);
    }

    private static final Path CHROMIUM = Chromium.BINARY;

    @jakarta.inject.Inject
    Pseudonyms pseudonyms;

    @Test
    void theLiveScriptRedrawsTheTablesAsTheServerWroteThem() throws Exception {
        Chromium.requireOrSkip("the live script's browser check");
        String site = PresenceResourceTest.seedTuesday();
        String url = base() + "/presence?site=" + site;
        String served = given().when().get(url).then().statusCode(200).extract().asString();

        // the page's first poll (after 15 s) fetches the JSON and redraws; the session rides along as a cookie
        String redrawn;
        try (Chromium chromium = Chromium.start(1280, 900)) {
            chromium.cookie(base(), Sessions.COOKIE, TestSessions.token("browser", Role.VIEWER));
            chromium.open(url);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(40).toNanos();
            String dom = chromium.html();
            while (!dom.contains("data-updated=\"2026-03-10T12:00:00Z\"") && System.nanoTime() < deadline) {
                Thread.sleep(250);  // waiting for the page's own timer, not for data
                dom = chromium.html();
            }
            redrawn = dom;
        }

        assertThat(redrawn).contains("data-updated=\"2026-03-10T12:00:00Z\"")
                .contains("· updates every 15 s")
                .doesNotContain("live updates paused");
        for (String rows : List.of("present", "absent")) {
            assertThat(normalised(tbody(redrawn, rows))).as("the %s rows after the script redrew them", rows)
                    .isEqualTo(normalised(tbody(served, rows)))
                    .isNotBlank();
        }
        assertThat(normalised(redrawn)).contains("<strong data-count=\"present\">2</strong>");
    }

    /**
     * The page open while the data changes: hr revealed the page, so the script keeps asking for real names (its
     * refreshes audited once, by the page's own load, not every 15 s); someone arrives and the table follows; then
     * the presence agent falls silent and the banner and the "unknown" section appear, everyone in it, as the
     * server would write them.
     */
    @Test
    void theOpenPageFollowsTheDataAndTheAgentFallingSilent() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + ": the browser check is skipped");
        String site = PresenceResourceTest.seedTuesday();
        AgentsResourceTest.status(site, "net-1", PresenceResourceTest.NOW.minusSeconds(60), 900L, 0);
        String url = base() + "/presence?site=" + site + "&names=real";
        TestSessions.signInAs(null);
        var hr = TestSessions.as(Role.HR);
        try (Chromium chromium = Chromium.start(390, 900)) {
            chromium.cookie(base(), Sessions.COOKIE, TestSessions.token("browser-hr", Role.HR));
            chromium.open(url);
            assertThat(chromium.eval("document.getElementById('presence-now').dataset.api"))
                    .isEqualTo("/api/presence/now?site=" + site + "&names=real");
            assertThat(awaitUpdated(chromium, PresenceResourceTest.NOW)).contains(">Ada Lovelace</th>");

            // Cleo arrives a minute later
            PresenceRows.update("INSERT INTO attendance_session (site, employee_id, local_date, start_at, end_at) VALUES (?, 'E3', ?, ?, NULL)",
                    site, PresenceResourceTest.TUESDAY, PresenceResourceTest.NOW.plusSeconds(30));
            PresenceRows.update("UPDATE agent_status SET last_heartbeat_at = ? WHERE site = ?", PresenceResourceTest.NOW.plusSeconds(45), site);
            // and Dan's phone went offline at 13:00, a minute ago: within the grace period, still present
            PresenceRows.attended(site, "E4", PresenceResourceTest.TUESDAY, PresenceResourceTest.NOW,
                    PresenceRows.Session.of("2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z"));
            Instant later = PresenceResourceTest.NOW.plusSeconds(60);
            QuarkusMock.installMockForType(Clock.fixed(later, ZoneOffset.UTC), Clock.class);
            String redrawn = awaitUpdated(chromium, later);
            String served = given().spec(hr).queryParam("site", site).queryParam("names", "real").when().get("/presence")
                    .then().log().ifValidationFails().statusCode(200).extract().asString();
            assertThat(normalised(tbody(redrawn, "present"))).contains(">Cleo Patra</th>").contains(">Ada Lovelace</th>")
                    .isEqualTo(normalised(tbody(served, "present")));
            assertThat(normalised(tbody(redrawn, "absent"))).isEqualTo(normalised(tbody(served, "absent")));
            assertThat(normalised(tbody(redrawn, "present"))).contains(">Dan Brown</th>").contains(">offline since 13:00</span>");
            assertThat(chromium.eval("document.querySelector('[data-count=present]').textContent")).isEqualTo("4");
            assertThat(chromium.eval("String(document.documentElement.scrollWidth <= document.documentElement.clientWidth)")).as("fits a phone").isEqualTo("true");
            assertThat(chromium.eval("String(!!document.querySelector('[data-banner] .downtime-banner'))")).isEqualTo("false");

            // 20 minutes on, the agent's last heartbeat (13:00:45) is over 19 minutes old: OFFLINE, presence unknown since then
            Instant silent = PresenceResourceTest.NOW.plusSeconds(20 * 60);
            QuarkusMock.installMockForType(Clock.fixed(silent, ZoneOffset.UTC), Clock.class);
            redrawn = awaitUpdated(chromium, silent);
            served = given().spec(hr).queryParam("site", site).queryParam("names", "real").when().get("/presence")
                    .then().log().ifValidationFails().statusCode(200).extract().asString();
            assertThat(chromium.eval("document.querySelector('.unknown-now').hidden")).isEqualTo("false");
            assertThat(chromium.eval("document.querySelector('.people-tables').hidden")).isEqualTo("true");
            assertThat(chromium.eval("document.querySelector('[data-banner]').innerText.replace(/\\s+/g, ' ').trim()"))
                    .startsWith("Missing data: presence is unknown, not absent, while a presence agent was down: 10 March 2026 is incomplete")
                    .contains("Agent net-1 down 13:00 – now (still down) (Europe/Berlin) · silent since then");
            assertThat(text(tbody(redrawn, "unknown"))).isEqualTo(text(tbody(served, "unknown")));
            assertThat(normalised(tbody(redrawn, "unknown"))).isEqualTo(normalised(tbody(served, "unknown")))
                    .contains(">Ada Lovelace</th><td>present since 08:10</td>");
            assertThat(chromium.eval("document.querySelector('[data-silence]').textContent"))
                    .isEqualTo("presence agent net-1 has been silent since 13:00");
            assertThat(text(banner(redrawn))).isEqualTo(text(banner(served)));
            assertThat(chromium.eval("String(document.documentElement.scrollWidth <= document.documentElement.clientWidth)")).as("fits a phone").isEqualTo("true");
            chromium.screenshot(Path.of("target", "browser-screenshots", "presence-now-unknown-390.png").toAbsolutePath());
        }
        // the page's load was audited; its refreshes within the hour were not
        List<String> audited = AuditTopic.events(dev.rollcall.events.Topic.AUDIT).stream()
                .filter(e -> e.site().equals(site) && e.data() instanceof RealNamesRevealed r && r.viewer().equals("browser-hr"))
                .map(e -> ((RealNamesRevealed) e.data()).page()).toList();
        assertThat(audited).containsExactly("/presence");
    }

    /** Polls the page until its script has redrawn it from the JSON of {@code generatedAt}; the page then. */
    private static String awaitUpdated(Chromium chromium, Instant generatedAt) throws Exception {
        String marker = "data-updated=\"" + generatedAt + "\"";
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(40).toNanos();
        String dom = chromium.html();
        while (!dom.contains(marker) && System.nanoTime() < deadline) {
            Thread.sleep(250);  // waiting for the page's own timer, not for data
            dom = chromium.html();
        }
        assertThat(dom).as("the page redrawn from the JSON of %s", generatedAt).contains(marker).doesNotContain("live updates paused");
        return dom;
    }

    private static String banner(String html) {
        Matcher m = Pattern.compile("<div data-banner=\"\">(.*?)</div>|<div data-banner>(.*?)</div>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("the banner's place").isTrue();
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The words of some markup, whitespace collapsed. */
    private static String text(String html) {
        return html.replaceAll("<[^>]+>", " ").replace("&amp;", "&").replaceAll("\\s+", " ").strip();
    }

    @Test
    void screenshots() throws Exception {
        String dir = System.getProperty("screenshots");
        assumeTrue(dir != null && Files.isExecutable(CHROMIUM), "screenshots only with -Dscreenshots=DIR and Chromium");
        String site = PresenceResourceTest.seedTuesday();
        PresenceRows.employee(site, "E9", "Someone With A Rather Long Name");
        // within the grace period: their phone went offline two minutes ago
        PresenceRows.attended(site, "E9", PresenceResourceTest.TUESDAY, PresenceResourceTest.FOLDED,
                PresenceRows.Session.of("2026-03-10T07:45:00Z", "2026-03-10T11:58:00Z"));
        Files.createDirectories(Path.of(dir));
        List<String> pages = List.of("presence", "presence/day", "presence/day?date=2026-03-09", "presence/month",
                "presence/arrivals", "day", "month", "employees/" + pseudonyms.of(site, "E1"));
        for (int width : new int[] {390, 1280}) {
            try (Chromium chromium = Chromium.start(width, 1100)) {
                chromium.cookie(base(), Sessions.COOKIE, TestSessions.token("browser", Role.VIEWER));
                for (String page : pages) {
                    String name = page.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
                    chromium.open(base() + "/" + page + (page.contains("?") ? "&" : "?") + "site=" + site);
                    chromium.screenshot(Path.of(dir, name + "-" + width + ".png").toAbsolutePath());
                }
            }
        }
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    private static String tbody(String html, String rows) {
        Matcher m = Pattern.compile("<tbody data-rows=\"" + rows + "\">(.*?)</tbody>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("a tbody of %s rows", rows).isTrue();
        return m.group(1);
    }

    /** The same markup however it was indented; the browser writes {@code –} and {@code ·} as they are. */
    private static String normalised(String html) {
        return html.replaceAll(">\\s+<", "><").strip();
    }
}
