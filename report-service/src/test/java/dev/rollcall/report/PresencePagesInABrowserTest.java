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

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void theLiveScriptRedrawsTheTablesAsTheServerWroteThem() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + ": the browser check is skipped");
        String site = PresenceResourceTest.seedTuesday();
        String url = base() + "/presence?site=" + site;
        String served = given().when().get(url).then().statusCode(200).extract().asString();

        // 20 s of the page's own time: its first poll (after 15 s) has fetched the JSON and redrawn
        String redrawn = browser("--virtual-time-budget=20000", "--dump-dom", url);

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
                "presence/arrivals", "day");
        for (String page : pages) {
            String name = page.replaceAll("[^a-z0-9]+", "-");
            for (int width : new int[] {390, 1280}) {
                String url = base() + "/" + page + (page.contains("?") ? "&" : "?") + "site=" + site;
                browser("--window-size=" + width + ",1100", "--hide-scrollbars",
                        "--screenshot=" + Path.of(dir, name + "-" + width + ".png").toAbsolutePath(), url);
            }
        }
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    private static String browser(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
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
