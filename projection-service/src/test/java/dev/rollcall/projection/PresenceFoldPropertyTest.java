package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.projection.presence.AttendanceDay;
import dev.rollcall.projection.presence.AttendanceSession;
import dev.rollcall.projection.presence.OnlineInterval;
import dev.rollcall.projection.presence.PresenceArrivalOrderPropertyTest;
import dev.rollcall.projection.presence.PresenceScenario;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Postgres side of the presence arrival-order property: a site's random day and a half of state changes,
 * heartbeats and roster events, delivered in random batches mixing devices and topics, late, shuffled and
 * duplicated, folded by the real projection in real transactions, end in the device intervals, sessions and
 * days of the pure folds over everything at once.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class PresenceFoldPropertyTest {

    static final int TRIALS = 8;

    @Inject
    PresenceDayProjection projection;
    @Inject
    ProjectionConfig config;
    @Inject
    Pool pool;
    @Inject
    Generations generations;

    @Test
    void anyArrivalOrderEndsInTheOrderedResult() {
        int live = generations.live(PresenceDayProjection.NAME).orElseThrow().generation();
        long base = new Random().nextLong();
        for (int trial = 0; trial < TRIALS; trial++) {
            long seed = base + trial;
            Random random = new Random(seed);
            String site = "prop-" + UUID.randomUUID().toString().substring(0, 8);
            PresenceScenario scenario = PresenceScenario.random(random, site, Duration.ofHours(30));
            for (List<EventEnvelope> batch : PresenceArrivalOrderPropertyTest.arrivals(scenario.events(), random)) {
                pool.withTransaction(tx -> projection.fold(tx, live, batch)).await().atMost(Duration.ofSeconds(30));
            }
            assertEndsInTheOrderedResult(site, scenario, seed, live);
        }
    }

    /**
     * The three topics' partitions may be folded by different instances at once: a roster batch and a presence
     * batch of the same site in concurrent transactions must still end in the ordered result.
     */
    @Test
    void concurrentTransactionsOfOneSiteEndInTheOrderedResult() {
        int live = generations.live(PresenceDayProjection.NAME).orElseThrow().generation();
        long base = new Random().nextLong();
        for (int trial = 0; trial < 3; trial++) {
            long seed = base + trial;
            Random random = new Random(seed);
            String site = "conc-" + UUID.randomUUID().toString().substring(0, 8);
            PresenceScenario scenario = PresenceScenario.random(random, site, Duration.ofHours(30));
            List<List<EventEnvelope>> roster = new ArrayList<>();
            List<List<EventEnvelope>> signals = new ArrayList<>();
            for (List<EventEnvelope> batch : PresenceArrivalOrderPropertyTest.arrivals(scenario.events(), random)) {
                List<EventEnvelope> r = batch.stream().filter(RosterFacts::isRoster).toList();
                List<EventEnvelope> s = batch.stream().filter(e -> !RosterFacts.isRoster(e)).toList();
                if (!r.isEmpty()) {
                    roster.add(r);
                }
                if (!s.isEmpty()) {
                    signals.add(s);
                }
            }
            CompletableFuture<Void> rosterFolder = CompletableFuture.runAsync(() -> roster.forEach(b ->
                    pool.withTransaction(tx -> projection.fold(tx, live, b)).await().atMost(Duration.ofSeconds(30))));
            signals.forEach(b -> pool.withTransaction(tx -> projection.fold(tx, live, b)).await().atMost(Duration.ofSeconds(30)));
            rosterFolder.join();
            assertEndsInTheOrderedResult(site, scenario, seed, live);
        }
    }

    private void assertEndsInTheOrderedResult(String site, PresenceScenario scenario, long seed, int live) {
        PresenceScenario.Expected expected = PresenceScenario.expected(scenario.events(), config.zoneOf(site),
                config.presence().defaultGrace());
        assertThat(intervals(site)).as("intervals, seed %d", seed).isEqualTo(expected.intervals());
        assertThat(sessions(site)).as("sessions, seed %d", seed).isEqualTo(expected.sessions());
        assertThat(days(site)).as("days, seed %d", seed).isEqualTo(expected.days());
        assertThat(pool.preparedQuery("SELECT count(*) AS n FROM attendance_session s JOIN presence_roster_site_g" + live
                        + " r USING (site) WHERE s.site = $1 AND s.local_date <> (s.start_at AT TIME ZONE r.zone)::date")
                .execute(Tuple.of(site)).await().indefinitely().iterator().next().getLong("n"))
                .as("local dates, seed %d", seed).isZero();
    }

    private Map<String, List<OnlineInterval>> intervals(String site) {
        Map<String, List<OnlineInterval>> out = new TreeMap<>();
        for (Row r : query("SELECT mac, start_at, end_at, ended_by FROM device_online_interval WHERE site = $1 ORDER BY mac, start_at", site)) {
            out.computeIfAbsent(r.getString("mac"), k -> new ArrayList<>()).add(new OnlineInterval(instant(r, "start_at"),
                    instant(r, "end_at"), OnlineInterval.EndedBy.fromWire(r.getString("ended_by"))));
        }
        return out;
    }

    private Map<String, List<AttendanceSession>> sessions(String site) {
        Map<String, List<AttendanceSession>> out = new TreeMap<>();
        for (Row r : query("SELECT employee_id, start_at, end_at FROM attendance_session WHERE site = $1 ORDER BY employee_id, start_at", site)) {
            out.computeIfAbsent(r.getString("employee_id"), k -> new ArrayList<>())
                    .add(new AttendanceSession(instant(r, "start_at"), instant(r, "end_at")));
        }
        return out;
    }

    private Map<String, SortedMap<LocalDate, AttendanceDay>> days(String site) {
        Map<String, SortedMap<LocalDate, AttendanceDay>> out = new TreeMap<>();
        for (Row r : query("SELECT * FROM attendance_day WHERE site = $1", site)) {
            LocalDate d = r.getLocalDate("local_date");
            out.computeIfAbsent(r.getString("employee_id"), k -> new TreeMap<>()).put(d, new AttendanceDay(d, instant(r, "arrived_at"),
                    instant(r, "left_at"), r.getInteger("minutes_present"), r.getInteger("sessions")));
        }
        return out;
    }

    private Iterable<Row> query(String sql, String site) {
        return pool.preparedQuery(sql).execute(Tuple.of(site)).await().indefinitely();
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
