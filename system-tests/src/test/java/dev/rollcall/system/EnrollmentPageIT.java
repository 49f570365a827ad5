package dev.rollcall.system;

import dev.rollcall.testsupport.TempDirs;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HR's agent enrollment page against the real ingest, as processes: an admin makes a code on report-service's
 * {@code /admin/agents}, which asks the packaged workstation-ingest's admin API; the packaged agent runs exactly the
 * command the page shows and gets its credential; the page then lists the agent; revoked from the page (asked,
 * confirmed), the ingest refuses the agent's credential.
 */
class EnrollmentPageIT {

    static final String ADMIN_TOKEN = "system-test-admin-token-for-the-page";

    @Test
    void aCodeMadeOnThePageEnrollsARealAgentAndRevokingItThereLocksItOut() throws Exception {
        String site = "it-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        Map<String, String> ingestProps = new HashMap<>(Stack.kafkaAndPostgres());
        ingestProps.put("ingest.admin.token", ADMIN_TOKEN);
        try (var ingest = new ServiceProcess("workstation-ingest", ingestProps).start()) {
            Map<String, String> reportProps = new HashMap<>(Stack.report());
            reportProps.put("report.ingest.url", ingest.baseUrl());
            reportProps.put("report.ingest.admin-token", ADMIN_TOKEN);
            try (var report = new ServiceProcess("report-service", reportProps).start()) {
                String page = Stack.reportAs(report).accept(ContentType.HTML).get("/admin/agents?site=" + site)
                        .then().statusCode(200).extract().asString();
                assertThat(page).contains("No agent of " + site + " is enrolled yet").doesNotContain(ADMIN_TOKEN);
                String csrf = csrfOf(page);

                Response made = Stack.reportAs(report).contentType(ContentType.URLENC).formParam("csrf", csrf)
                        .formParam("site", site).formParam("validFor", "PT1H").post("/admin/agents/codes");
                assertThat(made.statusCode()).as(made.asString()).isEqualTo(200);
                Matcher command = Pattern.compile("<code id=\"enroll-command\">presence-agent (enroll --server (\\S+) --code (\\S+))</code>")
                        .matcher(made.asString());
                assertThat(command.find()).as(made.asString()).isTrue();
                assertThat(command.group(2)).isEqualTo(ingest.baseUrl());

                // the agent runs the page's command as it stands
                Path home = TempDirs.create("enrollment-page-it");
                Run enroll = agent(home, command.group(1).split(" "));
                assertThat(enroll.exit()).as(enroll.output()).isZero();
                String credential = Files.readString(home.resolve(".rollcall-agent/agent.credential")).lines().findFirst().orElseThrow();
                String agentId = credential.substring(0, credential.indexOf('.'));
                events(ingest, credential).then().statusCode(400);   // authenticated (an empty batch is refused after)

                // the code worked once
                given().baseUri(ingest.baseUrl()).contentType(ContentType.JSON).body("{\"code\":\"" + command.group(3) + "\"}")
                        .post("/api/agent/enroll").then().statusCode(410);

                page = Stack.reportAs(report).accept(ContentType.HTML).get("/admin/agents?site=" + site)
                        .then().statusCode(200).extract().asString();
                assertThat(page).contains(agentId).contains("Revoke…").doesNotContain(command.group(3));

                Response ask = Stack.reportAs(report).contentType(ContentType.URLENC).formParam("csrf", csrf)
                        .formParam("site", site).formParam("agentId", agentId).post("/admin/agents/revoke");
                assertThat(ask.statusCode()).isEqualTo(200);
                assertThat(ask.asString()).contains("Yes, revoke " + agentId);
                events(ingest, credential).then().statusCode(400);   // asking is not revoking

                Response revoked = Stack.reportAs(report).redirects().follow(false).contentType(ContentType.URLENC)
                        .formParam("csrf", csrf).formParam("site", site).formParam("agentId", agentId).formParam("confirm", "yes")
                        .post("/admin/agents/revoke");
                assertThat(revoked.statusCode()).as(revoked.asString()).isEqualTo(303);
                assertThat(events(ingest, credential).statusCode()).isIn(401, 403);

                page = Stack.reportAs(report).accept(ContentType.HTML).get("/admin/agents?site=" + site)
                        .then().statusCode(200).extract().asString();
                assertThat(page).contains(agentId).contains("revoked ").doesNotContain("Revoke…");
            }
        }
    }

    private static Response events(ServiceProcess ingest, String credential) {
        return given().baseUri(ingest.baseUrl()).header("Authorization", "Bearer " + credential).contentType(ContentType.JSON)
                .body("{\"events\":[]}").when().post("/api/agent/events");
    }

    private static String csrfOf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a csrf field in the page").isTrue();
        return m.group(1);
    }

    record Run(int exit, String output) {
    }

    /** The packaged agent, with {@code home} as its user's home (where its default credential file lives). */
    private static Run agent(Path home, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("rollcall.root", "..")).resolve("presence-agent/target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("package presence-agent first").exists();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m", "-Duser.home=" + home, "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("STATE_DIRECTORY");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("presence-agent did not finish: " + out);
        }
        return new Run(p.exitValue(), out);
    }
}
