package dev.rollcall.projection;

import dev.rollcall.projection.workstation.ArrivalOrderPropertyTest;
import dev.rollcall.projection.workstation.StateReport;
import dev.rollcall.projection.workstation.WorkRules;
import dev.rollcall.projection.workstation.WorkingDay;
import dev.rollcall.projection.workstation.WorkingInterval;
import dev.rollcall.projection.workstation.WorkingIntervals;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Postgres side of the arrival-order property: random days delivered in random batches, shuffled and
 * duplicated, folded by the real projection in real transactions, end in the intervals and day sums of
 * the pure fold over the ordered stream.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class WorkstationFoldPropertyTest {

    static final int TRIALS = 12;

    @Inject
    WorkstationDayProjection projection;
    @Inject
    ProjectionConfig config;
    @Inject
    Pool pool;
    @Inject
    Generations generations;

    @Test
    void anyArrivalOrderEndsInTheOrderedResult() {
        WorkRules rules = config.workRulesOf("berlin");
        // folded by hand, batch by batch: once the live generation has ended its bulk load (it has a key then)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> !generations.live(WorkstationDayProjection.NAME).orElseThrow().loading());
        int live = generations.live(WorkstationDayProjection.NAME).orElseThrow().generation();
        long base = new Random().nextLong();
        for (int trial = 0; trial < TRIALS; trial++) {
            long seed = base + trial;
            Random random = new Random(seed);
            // three users whose reports share batches, as a site's do in its partition
            Map<String, List<StateReport>> days = new LinkedHashMap<>();
            for (int u = 0; u < 3; u++) {
                days.put("prop-" + u + "-" + UUID.randomUUID(), ArrivalOrderPropertyTest.randomDay(random));
            }
            List<WorkstationEventRow> arrivals = new ArrayList<>();
            days.forEach((user, day) -> {
                day.forEach(r -> arrivals.add(row("berlin", user, r, rules)));
                day.stream().filter(r -> random.nextInt(4) == 0).forEach(r -> arrivals.add(row("berlin", user, r, rules)));
            });
            Collections.shuffle(arrivals, random);
            for (int i = 0; i < arrivals.size(); ) {
                int n = 1 + random.nextInt(80);
                List<WorkstationEventRow> batch = arrivals.subList(i, Math.min(arrivals.size(), i + n));
                pool.withTransaction(tx -> projection.fold(tx, live, batch)).await().atMost(Duration.ofSeconds(30));
                i += n;
            }

            for (Map.Entry<String, List<StateReport>> e : days.entrySet()) {
                List<WorkingInterval> expected = WorkingIntervals.fold(e.getValue(), rules.autoTimeout());
                assertThat(storedIntervals(pool, "", "berlin", e.getKey())).as("seed %d", seed).isEqualTo(expected);
                SortedMap<LocalDate, long[]> expectedDays = new TreeMap<>();
                WorkingDay.of(expected, rules).forEach((d, w) -> expectedDays.put(d, new long[] {w.working().toSeconds(), w.realWorkBlocks()}));
                assertThat(storedDays(pool, "", "berlin", e.getKey())).as("seed %d", seed).usingRecursiveComparison().isEqualTo(expectedDays);
                assertThat(storedReportCounts(pool, "", "berlin", e.getKey())).as("seed %d", seed).isEqualTo(expectedReportCounts(e.getValue(), rules));
            }
        }
    }

    static WorkstationEventRow row(String site, String user, StateReport r, WorkRules rules) {
        return new WorkstationEventRow(r.id(), site, user, r.state().wire(), r.at().atOffset(ZoneOffset.UTC),
                r.at().atZone(rules.zone()).toLocalDate());
    }

    /** A user's stored intervals, from the readers' view ({@code suffix} "") or a generation's table ("_g7"). */
    static List<WorkingInterval> storedIntervals(Pool pool, String suffix, String site, String user) {
        List<WorkingInterval> out = new ArrayList<>();
        for (Row r : pool.preparedQuery("SELECT start_at, end_at, ended_by, last_report_at, reports FROM working_interval" + suffix
                + " WHERE site = $1 AND username = $2 ORDER BY start_at").execute(Tuple.of(site, user)).await().indefinitely()) {
            out.add(new WorkingInterval(r.getOffsetDateTime("start_at").toInstant(), r.getOffsetDateTime("end_at").toInstant(),
                    WorkingInterval.EndedBy.fromWire(r.getString("ended_by")),
                    r.getOffsetDateTime("last_report_at").toInstant(), r.getInteger("reports")));
        }
        return out;
    }

    /**
     * Per local day: how many reports (each id once), and the state of the latest (working wins a tie), as
     * "count/state": what the user-day's merge must come to whatever the batches and duplicates.
     */
    static SortedMap<LocalDate, String> expectedReportCounts(List<StateReport> day, WorkRules rules) {
        SortedMap<LocalDate, List<StateReport>> byDay = new TreeMap<>();
        day.stream().collect(java.util.stream.Collectors.toMap(StateReport::id, r -> r, (a, b) -> a)).values()
                .forEach(r -> byDay.computeIfAbsent(r.at().atZone(rules.zone()).toLocalDate(), d -> new ArrayList<>()).add(r));
        SortedMap<LocalDate, String> out = new TreeMap<>();
        byDay.forEach((d, reports) -> {
            StateReport last = reports.stream().max(java.util.Comparator.comparing(StateReport::at)
                    .thenComparing(r -> r.state().wire())).orElseThrow();
            out.put(d, reports.size() + "/" + last.state().wire());
        });
        return out;
    }

    static SortedMap<LocalDate, String> storedReportCounts(Pool pool, String suffix, String site, String user) {
        SortedMap<LocalDate, String> out = new TreeMap<>();
        for (Row r : pool.preparedQuery("SELECT local_date, reports, last_state FROM workstation_user_day" + suffix
                + " WHERE site = $1 AND username = $2").execute(Tuple.of(site, user)).await().indefinitely()) {
            out.put(r.getLocalDate("local_date"), r.getInteger("reports") + "/" + r.getString("last_state"));
        }
        return out;
    }

    /** Days with working only: a day of reports without working has zeros and is left out, as WorkingDay does. */
    static SortedMap<LocalDate, long[]> storedDays(Pool pool, String suffix, String site, String user) {
        SortedMap<LocalDate, long[]> out = new TreeMap<>();
        for (Row r : pool.preparedQuery("SELECT local_date, working_seconds, real_work_blocks FROM workstation_user_day" + suffix
                + " WHERE site = $1 AND username = $2 AND working_seconds > 0").execute(Tuple.of(site, user)).await().indefinitely()) {
            out.put(r.getLocalDate("local_date"), new long[] {r.getLong("working_seconds"), r.getLong("real_work_blocks")});
        }
        return out;
    }
}
