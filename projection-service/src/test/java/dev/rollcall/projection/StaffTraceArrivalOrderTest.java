package dev.rollcall.projection;

import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.PresenceHourReported;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.projection.presence.PresenceArrivalOrderPropertyTest;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * StaffTrace's summaries mapped through the roster's StaffTrace ids end in the same sessions and days whatever the
 * order: a site's random days of hourly summaries (of a mapped id, an id two employees claim one after the other,
 * an unmapped one), a phone's changes and the roster, delivered in random batches, late, shuffled and duplicated
 * (the roster sometimes after everything), give the rows of folding them all in one batch.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class StaffTraceArrivalOrderTest {

    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final String PHONE = "3c:22:fb:00:42:01";
    static final int TRIALS = Integer.getInteger("trials", 6);

    @Inject
    PresenceDayProjection projection;
    @Inject
    Pool pool;
    @Inject
    Generations generations;

    @Test
    void anyArrivalOrderOfSummariesAndRosterEndsInTheAllAtOnceRows() {
        int live = generations.live(PresenceDayProjection.NAME).orElseThrow().generation();
        // -Dseed=N replays a failing trial (the assertion names its seed)
        long base = Long.getLong("seed", new Random().nextLong());
        for (int trial = 0; trial < TRIALS; trial++) {
            long seed = base + trial;
            String run = UUID.randomUUID().toString().substring(0, 8);
            String once = "st-once-" + run;
            String shuffled = "st-arr-" + run;
            List<EventEnvelope> all = scenario(new Random(seed), once);
            pool.withTransaction(tx -> projection.fold(tx, live, all)).await().atMost(Duration.ofSeconds(30));
            Random random = new Random(seed);
            List<EventEnvelope> events = scenario(random, shuffled);
            // the site first, on its own: a site's configuration recomputes all of it, which would hide a missed remap
            pool.withTransaction(tx -> projection.fold(tx, live, events.subList(0, 1))).await().atMost(Duration.ofSeconds(30));
            for (List<EventEnvelope> batch : PresenceArrivalOrderPropertyTest.arrivals(events.subList(1, events.size()), random)) {
                pool.withTransaction(tx -> projection.fold(tx, live, batch)).await().atMost(Duration.ofSeconds(30));
            }
            assertThat(rows("SELECT employee_id, local_date, start_at, end_at FROM attendance_session WHERE site = $1 "
                    + "ORDER BY employee_id, start_at", shuffled)).as("sessions, seed %d", seed)
                    .isEqualTo(rows("SELECT employee_id, local_date, start_at, end_at FROM attendance_session WHERE site = $1 "
                            + "ORDER BY employee_id, start_at", once)).isNotEmpty();
            assertThat(rows("SELECT employee_id, local_date, arrived_at, left_at, minutes_present, sessions FROM attendance_day "
                    + "WHERE site = $1 ORDER BY employee_id, local_date", shuffled)).as("days, seed %d", seed)
                    .isEqualTo(rows("SELECT employee_id, local_date, arrived_at, left_at, minutes_present, sessions FROM attendance_day "
                            + "WHERE site = $1 ORDER BY employee_id, local_date", once));
            // "17" went to E8 (the later claim), "42" is E7's, "99" is nobody's and stands for itself
            assertThat(rows("SELECT DISTINCT employee_id FROM attendance_day WHERE site = $1 ORDER BY employee_id", once))
                    .isSubsetOf("E7", "E8", "99").doesNotContain("17", "42");
        }
    }

    /** The same random scenario for any site (the same seed gives the same events, with ids of the site). */
    static List<EventEnvelope> scenario(Random random, String site) {
        List<EventEnvelope> events = new ArrayList<>();
        Instant monday = LocalDate.of(2026, 11, 16).atStartOfDay(ZONE).toInstant();
        events.add(event(site, events.size(), monday, new SiteConfigured("Office", ZONE, 5)));
        events.add(event(site, events.size(), monday, new EmployeeUpdated("E7", "Ada", true, null, List.of("17", "42"))));
        events.add(event(site, events.size(), monday.plusSeconds(60), new EmployeeUpdated("E8", "Bob", true, null, List.of("17"))));
        events.add(event(site, events.size(), monday, new DeviceAssigned(PHONE, "E7", "phone")));
        for (String id : List.of("17", "42", "99")) {
            for (int d = 0; d < 2; d++) {
                LocalDate date = LocalDate.of(2026, 11, 23 + d);
                int from = 7 + random.nextInt(3);
                int to = from + 1 + random.nextInt(6);
                for (int h = from; h <= to; h++) {
                    ZonedDateTime hour = date.atTime(h, 0).atZone(ZONE);
                    int first = h == from ? random.nextInt(40) : 0;
                    int last = h == to ? first + random.nextInt(60 - first) : 59;
                    int span = last - first + 1;
                    // now and then a gap inside the hour
                    int minutes = random.nextInt(4) == 0 ? 1 + random.nextInt(span) : span;
                    events.add(event(site, events.size(), hour.plusHours(1).toInstant(), new PresenceHourReported(id, date, h,
                            hour.plusMinutes(first).toInstant(), hour.plusMinutes(last).toInstant(), minutes)));
                }
            }
        }
        // Ada's phone too, over her StaffTrace hours of the first day
        Instant on = LocalDate.of(2026, 11, 23).atTime(7, 30).atZone(ZONE).toInstant();
        events.add(event(site, events.size(), on, new DeviceStateChanged(PHONE, null, DeviceState.ONLINE)));
        events.add(event(site, events.size(), on.plus(Duration.ofMinutes(30 + random.nextInt(300))),
                new DeviceStateChanged(PHONE, null, DeviceState.OFFLINE)));
        return events;
    }

    static EventEnvelope event(String site, int n, Instant at, RollcallEvent data) {
        UUID id = UUID.nameUUIDFromBytes((site + "/" + n).getBytes(StandardCharsets.UTF_8));
        String subject = data instanceof DeviceStateChanged c ? c.mac() : null;
        return EventEnvelope.of(id, data instanceof PresenceHourReported ? "ingest/stafftrace" : "agent/net-1", at, site, subject, data);
    }

    private List<String> rows(String sql, String site) {
        List<String> out = new ArrayList<>();
        for (Row r : pool.preparedQuery(sql).execute(Tuple.of(site)).await().indefinitely()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                cells.add(String.valueOf(r.getValue(i)));
            }
            out.add(String.join("|", cells));
        }
        return out;
    }
}
