package dev.rollcall.projection;

import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.PresenceHourReported;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.projection.presence.PresenceSpan;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.rollcall.projection.PresenceDayProjectionTest.change;
import static dev.rollcall.projection.PresenceDayProjectionTest.roster;
import static dev.rollcall.projection.ReadModelRows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4: StaffTrace's hourly summaries (PresenceHourReported, its employee ids being the roster's) give the same
 * attendance as the native path (device changes of the employee's phone) for the same day; a re-sent summary
 * counts once, a corrected one replaces its hour.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class StaffTraceAttendanceTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    static final String PHONE = "3c:22:fb:00:01:01";

    @Test
    void stafftraceSummariesAndTheNativePathGiveTheSameDayAndAReSentSummaryCountsOnce() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String nativeSite = "native-" + run;
        String stafftraceSite = "stafftrace-" + run;
        Instant monday = DAY.atStartOfDay(BERLIN).toInstant().minus(Duration.ofDays(7));
        List<EventEnvelope> events = new ArrayList<>();
        for (String site : List.of(nativeSite, stafftraceSite)) {
            events.add(roster(site, monday, new SiteConfigured("Office", BERLIN, 5)));
            events.add(roster(site, monday, new EmployeeUpdated("E1", "Ada Lovelace", true)));
        }
        events.add(roster(nativeSite, monday, new DeviceAssigned(PHONE, "E1", "phone")));
        // the native path: Ada's phone 08:10-11:55 and 13:05-17:20 local time
        events.add(change(nativeSite, PHONE, DeviceState.ONLINE, at("08:10").toString()));
        events.add(change(nativeSite, PHONE, DeviceState.OFFLINE, at("11:55").toString()));
        events.add(change(nativeSite, PHONE, DeviceState.ONLINE, at("13:05").toString()));
        events.add(change(nativeSite, PHONE, DeviceState.OFFLINE, at("17:20").toString()));
        // StaffTrace: the same day as hourly summaries, first and last sighting per hour
        List<EventEnvelope> hours = List.of(
                hour(stafftraceSite, 8, "08:10", "08:59", 50), hour(stafftraceSite, 9, "09:00", "09:59", 60),
                hour(stafftraceSite, 10, "10:00", "10:59", 60), hour(stafftraceSite, 11, "11:00", "11:55", 55),
                hour(stafftraceSite, 13, "13:05", "13:59", 55), hour(stafftraceSite, 14, "14:00", "14:59", 60),
                hour(stafftraceSite, 15, "15:00", "15:59", 60), hour(stafftraceSite, 16, "16:00", "16:59", 60),
                hour(stafftraceSite, 17, "17:00", "17:20", 20));
        events.addAll(hours);
        events.addAll(hours.reversed()); // the agent sent its summaries again, in another order
        TopicWriter.send(events);

        await().atMost(Duration.ofSeconds(30)).until(() -> day(nativeSite).size() == 1 && day(stafftraceSite).size() == 1
                && day(stafftraceSite).equals(day(nativeSite)));
        assertThat(day(stafftraceSite)).containsExactly("E1|" + DAY + "|" + at("08:10") + "|" + at("17:20") + "|480|2");
        String live = rows("SELECT generation FROM projection_generation WHERE projection = 'presence-day' AND status = 'live'").getFirst();
        assertThat(rows("SELECT count(*) FROM presence_hour_g" + live + " WHERE site = ?", stafftraceSite)).containsExactly("9");

        // a corrected summary of 17:00 (sent later) replaces that hour: Ada left at 17:40
        TopicWriter.send(hour(stafftraceSite, 17, "17:00", "17:40", 40, at("18:30")));
        await().atMost(Duration.ofSeconds(30)).until(() -> day(stafftraceSite).getFirst().contains("|" + at("17:40") + "|"));
        assertThat(day(stafftraceSite)).containsExactly("E1|" + DAY + "|" + at("08:10") + "|" + at("17:40") + "|500|2");
    }

    @Test
    void anHoursSummaryIsItsMinutesOnlineFromFirstToLastSighting() {
        Instant t = Instant.parse("2026-11-23T08:00:00Z");
        assertThat(PresenceDayProjection.hourSpans(t, t.plusSeconds(1800), 30)).containsExactly(new PresenceSpan(t, t.plusSeconds(1800)));
        assertThat(PresenceDayProjection.hourSpans(t, t, 5)).containsExactly(new PresenceSpan(t, t.plusSeconds(300)));
        assertThat(PresenceDayProjection.hourSpans(t, t, 0)).isEmpty();
        // a gap inside: 30 minutes online between 08:00 and 08:59 are 29 from the first sighting and the minute seen last
        assertThat(PresenceDayProjection.hourSpans(t, t.plusSeconds(59 * 60), 30)).containsExactly(
                new PresenceSpan(t, t.plusSeconds(29 * 60)), new PresenceSpan(t.plusSeconds(59 * 60), t.plusSeconds(60 * 60)));
        assertThat(PresenceDayProjection.hourSpans(t, t.plusSeconds(59 * 60), 1)).containsExactly(
                new PresenceSpan(t, t.plusSeconds(30)), new PresenceSpan(t.plusSeconds(60 * 60 - 30), t.plusSeconds(60 * 60)));
        assertThat(PresenceDayProjection.hourSpans(t, t.plusSeconds(59 * 60), 0)).isEmpty();
    }

    /**
     * Summaries come under StaffTrace's id "17"; until the roster maps it they are attendance of "17" (the id stands
     * for the employee, as before StaffTrace ids existed); once the roster (arriving after them) maps "17" to E7 they
     * are E7's, with the same day; when the roster drops the id they are "17"'s again.
     */
    @Test
    void aStaffTraceIdIsTheRosterEmployeeItIsMappedToEvenWhenTheRosterComesAfterTheSummaries() throws Exception {
        String site = "st-ids-" + UUID.randomUUID().toString().substring(0, 8);
        Instant monday = DAY.atStartOfDay(BERLIN).toInstant().minus(Duration.ofDays(7));
        // hour 9 has a 30-minute gap inside: two sessions (08:10-09:29, the minute 09:59), 50 + 30 minutes present
        TopicWriter.send(hour(site, "17", 8, "08:10", "08:59", 50), hour(site, "17", 9, "09:00", "09:59", 30));
        await().atMost(Duration.ofSeconds(30)).until(() -> day(site).size() == 1 && day(site).getFirst().startsWith("17|"));

        TopicWriter.send(roster(site, monday, new SiteConfigured("Office", BERLIN, 5)),
                roster(site, monday, new EmployeeUpdated("E7", "Ada Lovelace", true, null, List.of("17"))));
        String expected = DAY + "|" + at("08:10") + "|" + at("10:00") + "|80|2";
        await().atMost(Duration.ofSeconds(30)).until(() -> day(site).equals(List.of("E7|" + expected)));
        assertThat(rows("SELECT employee_id, count(*) FROM attendance_session WHERE site = ? GROUP BY employee_id", site))
                .containsExactly("E7|2");

        TopicWriter.send(roster(site, monday.plusSeconds(60), new EmployeeUpdated("E7", "Ada Lovelace", true, null, List.of())));
        await().atMost(Duration.ofSeconds(30)).until(() -> day(site).equals(List.of("17|" + expected)));
    }

    static Instant at(String localTime) {
        return DAY.atTime(LocalTime.parse(localTime)).atZone(BERLIN).toInstant();
    }

    static List<String> day(String site) throws Exception {
        return rows("SELECT employee_id, local_date, arrived_at, left_at, minutes_present, sessions FROM attendance_day "
                + "WHERE site = ? ORDER BY employee_id, local_date", site);
    }

    static EventEnvelope hour(String site, int hour, String first, String last, int minutes) {
        return hour(site, "E1", hour, first, last, minutes, at("18:00"));
    }

    static EventEnvelope hour(String site, String employee, int hour, String first, String last, int minutes) {
        return hour(site, employee, hour, first, last, minutes, at("18:00"));
    }

    static EventEnvelope hour(String site, int hour, String first, String last, int minutes, Instant sentAt) {
        return hour(site, "E1", hour, first, last, minutes, sentAt);
    }

    /** As the ingest makes it: the id from the content, so a re-sent summary is the same event. */
    static EventEnvelope hour(String site, String employee, int hour, String first, String last, int minutes, Instant sentAt) {
        PresenceHourReported h = new PresenceHourReported(employee, DAY, hour, at(first), at(last), minutes);
        UUID id = UUID.nameUUIDFromBytes((site + "/" + employee + "/" + hour + "/" + first + "/" + last + "/" + minutes)
                .getBytes(StandardCharsets.UTF_8));
        return EventEnvelope.of(id, "ingest/stafftrace", sentAt, site, employee, h);
    }
}
