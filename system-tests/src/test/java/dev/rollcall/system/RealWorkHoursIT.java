package dev.rollcall.system;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3 end to end: a realistic day of four work-tracing clients, posted through {@code /api/report}
 * (partly out of order, some reports twice), read back as real work hours from the work-tracing API, from
 * the day JSON and from the day and week pages. The site is in Europe/Berlin.
 */
class RealWorkHoursIT {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final LocalDate DAY = LocalDate.of(2026, 11, 18);

    @Test
    void aDayOfWorkTracingReportsAddsUpToTheSameNumbersEverywhere() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String alice = "ACME\\alice-" + run;
        String bob = "ACME\\bob-" + run;
        String carol = "ACME\\carol-" + run;
        String dave = "ACME\\dave-" + run;

        List<String> reports = new ArrayList<>();
        // alice: 08:55-10:35 (100 min, 2 blocks), 11:00-11:30 (30 min, 0), 13:00-14:59 then the PC is switched
        // off: the interval ends at the 10-minute auto-timeout, 15:09 (129 min, 3) => 259 min, 5 real work hours
        reports.addAll(working(alice, "08:55", "10:34"));
        reports.add(report(alice, "stopped", "10:35"));
        reports.add(report(alice, "stopped", "10:36")); // stopped while stopped: nothing
        reports.addAll(working(alice, "11:00", "11:29"));
        reports.add(report(alice, "stopped", "11:30"));
        reports.addAll(working(alice, "13:00", "14:59"));
        // bob: 09:00-09:39 (39 min, 0 blocks) and 09:45-10:30 (45 min, 1) => 84 min, 1 real work hour
        reports.addAll(working(bob, "09:00", "09:38"));
        reports.add(report(bob, "stopped", "09:39"));
        reports.addAll(working(bob, "09:45", "10:29"));
        reports.add(report(bob, "stopped", "10:30"));
        // carol: at her desk but idle all day
        reports.add(report(carol, "stopped", "08:30"));
        reports.add(report(carol, "stopped", "12:30"));
        // dave: 23:30 to 00:45 the next morning (75 min, 1 block), all of it on the 18th
        reports.addAll(working(dave, "23:30", "23:59"));
        reports.addAll(workingNextDay(dave, "00:00", "00:44"));
        reports.add(reportAt(dave, "stopped", DAY.plusDays(1).atTime(0, 45)));

        Random random = new Random(run.hashCode());
        List<String> delivered = new ArrayList<>(reports);
        reports.stream().filter(r -> random.nextInt(10) == 0).forEach(delivered::add); // client retries
        Collections.shuffle(delivered.subList(0, delivered.size() / 3), random);      // a client that was offline

        Map<String, String> berlin = new HashMap<>();
        berlin.put("ingest.work-tracing.zone", "Europe/Berlin");
        berlin.put("projection.zones.hq", "Europe/Berlin");
        berlin.put("report.zone", "Europe/Berlin");
        try (var ingest = new ServiceProcess("workstation-ingest", with(Stack.kafka(), berlin)).start();
             var projection = new ServiceProcess("projection-service", with(Stack.kafkaAndPostgres(), berlin)).start();
             var report = new ServiceProcess("report-service", with(Stack.report(), berlin)).start()) {
            String token = Stack.reportToken(report.baseUrl());
            for (String body : delivered) {
                given().baseUri(ingest.baseUrl()).contentType(ContentType.JSON).body(body)
                        .when().post("/api/report").then().statusCode(201);
            }

            Map<String, int[]> expected = Map.of(alice, new int[] {5, 259}, bob, new int[] {1, 84},
                    carol, new int[] {0, 0}, dave, new int[] {1, 75});
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonPath json = given().baseUri(report.baseUrl()).auth().oauth2(token)
                        .queryParam("start_date", DAY.toString())
                        .when().get("/api/reports/real_work_hours")
                        .then().statusCode(200).extract().jsonPath();
                assertThat(json.getBoolean("success")).isTrue();
                Map<String, int[]> got = new HashMap<>();
                for (Map<String, Object> row : json.<Map<String, Object>>getList("data")) {
                    if (expected.containsKey((String) row.get("username"))) {
                        assertThat(row.get("work_date")).isEqualTo(DAY.toString());
                        got.put((String) row.get("username"),
                                new int[] {(Integer) row.get("real_hours_counted"), (Integer) row.get("working_minutes")});
                    }
                }
                assertThat(got).usingRecursiveComparison().isEqualTo(expected);
            });

            // the work-tracing filters: one user, a range whose end defaults to its start
            JsonPath aliceOnly = given().baseUri(report.baseUrl()).auth().oauth2(token)
                    .queryParam("username", alice).queryParam("start_date", DAY.toString())
                    .when().get("/api/reports/real_work_hours").then().statusCode(200).extract().jsonPath();
            assertThat(aliceOnly.getList("data.username")).containsExactly(alice);
            assertThat(aliceOnly.getInt("data[0].real_hours_counted")).isEqualTo(5);
            given().baseUri(report.baseUrl()).auth().oauth2(token).queryParam("start_date", DAY.toString()).queryParam("end_date", DAY.minusDays(1).toString())
                    .when().get("/api/reports/real_work_hours").then().statusCode(400);

            // the day page shows the same working time (h:mm) and real work hours per user
            String page = given().baseUri(report.baseUrl()).auth().oauth2(token).queryParam("date", DAY.toString()).queryParam("names", "real")
                    .when().get("/day").then().statusCode(200).extract().asString();
            assertThat(rowOf(page, alice)).contains("4:19").contains(">5<");
            assertThat(rowOf(page, bob)).contains("1:24").contains(">1<");
            assertThat(rowOf(page, dave)).contains("1:15").contains(">1<");
            assertThat(rowOf(page, carol)).contains("0:00");
            assertThat(page).contains("<svg");

            // the week's grid adds up the same
            String week = given().baseUri(report.baseUrl()).auth().oauth2(token).queryParam("date", DAY.toString()).queryParam("names", "real")
                    .when().get("/week").then().statusCode(200).extract().asString();
            assertThat(rowOf(week, alice)).contains("4:19");
            String csv = given().baseUri(report.baseUrl()).auth().oauth2(token).queryParam("date", DAY.toString()).queryParam("names", "real")
                    .when().get("/day.csv").then().statusCode(200).extract().asString();
            assertThat(csv).contains("bob-" + run + "," + DAY + ",84,1");
        }
    }

    /** The page's markup from the user's name to the end of that table row. */
    static String rowOf(String page, String user) {
        String name = user.substring(user.indexOf('\\') + 1);
        int at = page.indexOf(name);
        assertThat(at).as("%s on the page", name).isNotNegative();
        int end = page.indexOf("</tr>", at);
        return page.substring(at, end < 0 ? page.length() : end);
    }

    static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> m = new HashMap<>(base);
        m.putAll(more);
        return m;
    }

    static List<String> working(String user, String from, String toInclusive) {
        return everyMinute(user, DAY.atTime(LocalTime.parse(from)), DAY.atTime(LocalTime.parse(toInclusive)));
    }

    static List<String> workingNextDay(String user, String from, String toInclusive) {
        return everyMinute(user, DAY.plusDays(1).atTime(LocalTime.parse(from)), DAY.plusDays(1).atTime(LocalTime.parse(toInclusive)));
    }

    static List<String> everyMinute(String user, LocalDateTime from, LocalDateTime toInclusive) {
        List<String> out = new ArrayList<>();
        for (LocalDateTime t = from; !t.isAfter(toInclusive); t = t.plusMinutes(1)) {
            out.add(reportAt(user, "working", t));
        }
        return out;
    }

    static String report(String user, String state, String localTime) {
        return reportAt(user, state, DAY.atTime(LocalTime.parse(localTime)));
    }

    /** What the PowerShell client sends: the time in UTC with a Z. */
    static String reportAt(String user, String state, LocalDateTime berlinTime) {
        return "{\"user\": \"" + user.replace("\\", "\\\\") + "\", \"state\": \"" + state + "\", \"ts\": \""
                + berlinTime.atZone(BERLIN).toInstant() + "\"}";
    }
}
