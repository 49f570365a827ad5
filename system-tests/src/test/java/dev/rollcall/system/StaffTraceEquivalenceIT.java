package dev.rollcall.system;

import dev.rollcall.testsupport.Postgres;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4: StaffTrace's agent's own JSON, posted to {@code /api/presence} and {@code /api/heartbeat} with its Bearer
 * token through the packaged ingest, folded by the packaged projection, gives the same attendance day as the native
 * path (a phone's online and offline sent by a Rollcall agent) for the same employee and day, including an hour with
 * a 20-minute gap inside (minutesOnline 40 of a 59-minute first-to-last span: two sessions, its 40 minutes present).
 * StaffTrace's id (17) is mapped to the roster employee by the roster's staffTraceIds; a re-sent summary counts once;
 * the heartbeat makes the employee present on the "now" page; StaffTrace's names are kept nowhere.
 */
class StaffTraceEquivalenceIT {

    static final String ADMIN = "e2e-admin-token";
    static final String AGENT_SECRET = "e2e-stafftrace-native-secret";
    static final String STAFFTRACE_TOKEN = "e2e-stafftrace-site-token";
    static final String PHONE = "3c:22:fb:00:17:01";

    @Test
    void stafftracePayloadsThroughTheEndpointGiveTheNativeDayAndAReSentSummaryCountsOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String nativeSite = "native-" + run;
        String stafftraceSite = "st-" + run;
        String agent = "native-agent-" + run;
        Map<String, String> config = new HashMap<>(Stack.kafka());
        config.put("ingest.admin.token", ADMIN);
        config.put("ingest.agents." + agent + ".site", nativeSite);
        config.put("ingest.agents." + agent + ".token-sha256", Stack.sha256(AGENT_SECRET));
        config.put("ingest.stafftrace.sites." + stafftraceSite + ".token-sha256", Stack.sha256(STAFFTRACE_TOKEN));
        config.put("ingest.stafftrace.sites." + stafftraceSite + ".zone", "UTC");
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        try (var ingest = new ServiceProcess("workstation-ingest", config).start();
             var projection = new ServiceProcess("projection-service", Stack.kafkaAndPostgres()).start();
             var report = new ServiceProcess("report-service", Stack.report()).start()) {
            Instant before = day.minusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant();
            for (String site : List.of(nativeSite, stafftraceSite)) {
                Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + site, "{\"name\": \"Office\", \"zone\": \"UTC\", \"presenceGraceMinutes\": 5}");
            }
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + nativeSite + "/employees/E1", "{\"name\": \"Ada Lovelace\"}");
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + nativeSite + "/devices/" + PHONE, "{\"employeeId\": \"E1\", \"from\": \"" + before + "\"}");
            Stack.adminPut(ingest, ADMIN, "/api/admin/roster/sites/" + stafftraceSite + "/employees/E1", "{\"name\": \"Ada Lovelace\", \"staffTraceIds\": [\"17\"]}");

            // the native path: Ada's phone 08:10-09:20 and 09:40-11:30
            List<String> changes = new ArrayList<>();
            changes.add(change(agent, nativeSite, at(day, "08:10"), "online"));
            changes.add(change(agent, nativeSite, at(day, "09:20"), "offline"));
            changes.add(change(agent, nativeSite, at(day, "09:40"), "online"));
            changes.add(change(agent, nativeSite, at(day, "11:30"), "offline"));
            given().baseUri(ingest.baseUrl()).contentType(ContentType.JSON).header("Authorization", "Bearer " + agent + "." + AGENT_SECRET)
                    .body("{\"events\": [" + String.join(",", changes) + "]}").when().post("/api/agent/events")
                    .then().statusCode(200);

            // StaffTrace: the same day as its agent summarises it (a sighting a minute; lastSeen the last minute seen)
            String morning = presence(stafftraceSite, day, "10:00:05",
                    entry(day, 8, "08:10", "08:59", 50) + "," + entry(day, 9, "09:00", "09:59", 40));
            String late = presence(stafftraceSite, day, "12:00:05",
                    entry(day, 10, "10:00", "10:59", 60) + "," + entry(day, 11, "11:00", "11:29", 30));
            stafftrace(ingest, "/api/presence", morning).then().statusCode(200);
            stafftrace(ingest, "/api/presence", late).then().statusCode(200);
            stafftrace(ingest, "/api/presence", morning).then().statusCode(200);  // re-sent (no acknowledgement came)

            String expected = day + "|" + at(day, "08:10") + "|" + at(day, "11:30") + "|180|2";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> day(nativeSite).equals(List.of(expected)) && day(stafftraceSite).equals(List.of(expected)));
            // the re-sent summaries changed nothing: one row per hour, the same day
            assertThat(rows("SELECT local_date || ' ' || hour FROM presence_hour_g"
                    + rows("SELECT generation FROM projection_generation WHERE projection = 'presence-day' AND status = 'live'", null).getFirst()
                    + " WHERE site = ? ORDER BY hour", stafftraceSite)).containsExactly(day + " 8", day + " 9", day + " 10", day + " 11");
            stafftrace(ingest, "/api/presence", late).then().statusCode(200);
            assertThat(day(stafftraceSite)).containsExactly(expected);

            // the heartbeat: StaffTrace sees Ada (its 17) present now, and someone it maps to nobody not present
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            stafftrace(ingest, "/api/heartbeat", "{\"siteId\": \"" + stafftraceSite + "\", \"timestamp\": \"" + now + "\", \"devicesOnline\": ["
                    + "{\"employeeId\": \"17\", \"employeeName\": \"Ada StaffTraceName\", \"fakeName\": \"Blue Fox\", \"area\": \"office\", "
                    + "\"isPresent\": true, \"lastSeen\": \"" + now + "\"},"
                    + "{\"employeeId\": \"23\", \"employeeName\": \"Zed StaffTraceName\", \"fakeName\": \"Red Owl\", \"area\": \"office\", "
                    + "\"isPresent\": false, \"lastSeen\": \"" + now + "\"}]}").then().statusCode(200);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    nowPage(report, stafftraceSite).getList("present").size() == 1);
            JsonPath revealed = JsonPath.from(Stack.reportAs(report).queryParam("site", stafftraceSite).queryParam("names", "real")
                    .when().get("/api/presence/now").then().statusCode(200).extract().asString());
            assertThat(revealed.getList("present.employee.name")).containsExactly("Ada Lovelace");
            assertThat(revealed.getString("present[0].since")).isEqualTo(now);
            String page = Stack.reportAs(report).queryParam("site", stafftraceSite).when().get("/presence")
                    .then().statusCode(200).extract().asString();
            assertThat(page).doesNotContain("StaffTraceName").doesNotContain("Blue Fox");
            assertThat(rows("SELECT count(*) FROM agent_heartbeat WHERE site = ? AND employees_present = '{17}'", stafftraceSite))
                    .containsExactly("1");
        }
    }

    static Instant at(LocalDate day, String time) {
        return day.atTime(java.time.LocalTime.parse(time)).toInstant(ZoneOffset.UTC);
    }

    /** A Rollcall network agent's state change of the phone, as it ships it. */
    static String change(String agent, String site, Instant at, String state) {
        return "{\"specversion\": \"1.0\", \"id\": \"" + UUID.randomUUID() + "\", \"type\": \"rollcall.presence.device-state-changed.v1\", "
                + "\"source\": \"agent/" + agent + "\", \"time\": \"" + at + "\", \"site\": \"" + site + "\", \"subject\": \"" + PHONE + "\", "
                + "\"datacontenttype\": \"application/json\", \"data\": {\"mac\": \"" + PHONE + "\", \"state\": \"" + state + "\"}}";
    }

    /** StaffTrace's hourly summary of one employee (its id 17; its agent sends names too), local times of the site. */
    static String entry(LocalDate day, int hour, String first, String last, int minutes) {
        return "{\"employeeId\": \"17\", \"employeeName\": \"Ada StaffTraceName\", \"fakeName\": \"Blue Fox\", \"date\": \"" + day
                + "\", \"hour\": " + hour + ", \"firstSeen\": \"" + day + "T" + first + ":00\", \"lastSeen\": \"" + day + "T" + last
                + ":00\", \"minutesOnline\": " + minutes + "}";
    }

    static String presence(String site, LocalDate day, String sentAt, String entries) {
        return "{\"siteId\": \"" + site + "\", \"timestamp\": \"" + day + "T" + sentAt + "\", \"presenceData\": [" + entries
                + "], \"agentDowntimes\": []}";
    }

    private static io.restassured.response.Response stafftrace(ServiceProcess ingest, String path, String body) {
        return given().baseUri(ingest.baseUrl()).contentType(ContentType.JSON).header("Authorization", "Bearer " + STAFFTRACE_TOKEN)
                .body(body).when().post(path);
    }

    private static JsonPath nowPage(ServiceProcess report, String site) {
        return JsonPath.from(Stack.reportAs(report).queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200).extract().asString());
    }

    static List<String> day(String site) throws Exception {
        return rows("SELECT local_date, arrived_at, left_at, minutes_present, sessions FROM attendance_day "
                + "WHERE site = ? AND employee_id = 'E1' ORDER BY local_date", site);
    }

    /** Rows as "a|b|c", times as Instant.toString. */
    static List<String> rows(String sql, String site) throws Exception {
        try (Connection c = Postgres.endpoint().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (site != null) {
                ps.setString(1, site);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        cells.add(v instanceof java.time.OffsetDateTime t ? t.toInstant().toString()
                                : v instanceof java.sql.Timestamp t ? t.toInstant().toString() : String.valueOf(v));
                    }
                    out.add(String.join("|", cells));
                }
            }
            return out;
        }
    }


}
