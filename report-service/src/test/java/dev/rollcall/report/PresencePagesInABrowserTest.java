package dev.rollcall.report;

import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void screenshots() throws Exception {
        String dir = System.getProperty("screenshots");
        assumeTrue(dir != null && Files.isExecutable(CHROMIUM), "screenshots only with -Dscreenshots=DIR and Chromium");
        String site = PresenceResourceTest.seedTuesday();
        PresenceRows.employee(site, "E9", "Someone With A Rather Long Name");
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
