package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationStateChanged;
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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The load's end against a real PostgreSQL, driven by hand on generations of its own: random days (gaps around the
 * auto-timeout, Berlin across a DST change), re-sent copies, loaded in shuffled batches, end in the intervals, day
 * sums and report counts of the pure fold of each user's reports; and the two ways the end can fail and then succeed.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class BulkLoadTest {

    private static final AtomicInteger GENERATIONS = new AtomicInteger(700);

    @Inject
    WorkstationDayProjection projection;
    @Inject
    ProjectionConfig config;
    @Inject
    Pool pool;

    @Test
    void theLoadsEndFoldsWhatEventByEventFoldingWouldHave() {
        WorkRules rules = config.workRulesOf("berlin");
        long base = new Random().nextLong();
        for (int trial = 0; trial < 8; trial++) {
            long seed = base + trial;
            Random random = new Random(seed);
            int g = loadingGeneration();
            Map<String, List<StateReport>> days = new LinkedHashMap<>();
            for (int u = 0; u < 4; u++) {
                days.put("bulk-" + u + "-" + UUID.randomUUID(), ArrivalOrderPropertyTest.randomDay(random));
            }
            List<EventEnvelope> delivered = new ArrayList<>();
            days.forEach((user, day) -> {
                day.forEach(r -> delivered.add(event(user, r)));
                day.stream().filter(r -> random.nextInt(4) == 0).forEach(r -> delivered.add(event(user, r))); // re-sent
            });
            Collections.shuffle(delivered, random);
            load(g, delivered, random);

            Projection.Folded folded = finish(g);

            assertThat(folded.fresh() + folded.duplicates()).as("seed %d", seed).isEqualTo(delivered.size());
            assertThat(folded.fresh()).as("seed %d", seed).isEqualTo(days.values().stream().mapToInt(List::size).sum());
            for (Map.Entry<String, List<StateReport>> e : days.entrySet()) {
                List<WorkingInterval> expected = WorkingIntervals.fold(e.getValue(), rules.autoTimeout());
                assertThat(WorkstationFoldPropertyTest.storedIntervals(pool, "_g" + g, "berlin", e.getKey()))
                        .as("seed %d", seed).isEqualTo(expected);
                SortedMap<LocalDate, long[]> expectedDays = new TreeMap<>();
                WorkingDay.of(expected, rules).forEach((d, w) -> expectedDays.put(d, new long[] {w.working().toSeconds(), w.realWorkBlocks()}));
                assertThat(WorkstationFoldPropertyTest.storedDays(pool, "_g" + g, "berlin", e.getKey()))
                        .as("seed %d", seed).usingRecursiveComparison().isEqualTo(expectedDays);
                assertThat(WorkstationFoldPropertyTest.storedReportCounts(pool, "_g" + g, "berlin", e.getKey()))
                        .as("seed %d", seed).isEqualTo(WorkstationFoldPropertyTest.expectedReportCounts(e.getValue(), rules));
            }
            assertThat(count("SELECT count(*) FROM workstation_event_g" + g)).isEqualTo(folded.fresh());
        }
    }

    @Test
    void localDatesOutOfTimeOrderFailTheFirstEndAndAreSortedUserByUserTheNext() {
        WorkRules rules = config.workRulesOf("berlin");
        Random random = new Random(42);
        int g = loadingGeneration();
        String user = "bulk-zone-" + UUID.randomUUID();
        List<StateReport> day = ArrivalOrderPropertyTest.randomDay(random);
        List<EventEnvelope> delivered = new ArrayList<>();
        day.forEach(r -> delivered.add(event(user, r)));
        load(g, delivered, random);
        // as if the site's zone had changed during the load: the first report's local date is after all the others'
        StateReport first = day.stream().min(StateReport.ORDER).orElseThrow();
        pool.preparedQuery("UPDATE workstation_event_g" + g + " SET local_date = (SELECT max(local_date) + 1 FROM workstation_event_g"
                        + g + ") WHERE event_id = $1")
                .execute(Tuple.of(first.id())).await().indefinitely();

        assertThatThrownBy(() -> finish(g)).hasMessageContaining("not in time order");
        assertThat(count("SELECT count(*) FROM working_interval_g" + g)).as("rolled back").isZero();

        Projection.Folded folded = finish(g);
        assertThat(folded.fresh()).isEqualTo(day.size());
        assertThat(WorkstationFoldPropertyTest.storedIntervals(pool, "_g" + g, "berlin", user))
                .isEqualTo(WorkingIntervals.fold(day, rules.autoTimeout()));
    }

    @Test
    void twoReportsSharingAnIdFailTheFirstEndAndTheNextKeepsTheFirstStored() {
        Random random = new Random(7);
        int g = loadingGeneration();
        String user = "bulk-ids-" + UUID.randomUUID();
        List<StateReport> day = ArrivalOrderPropertyTest.randomDay(random);
        List<EventEnvelope> delivered = new ArrayList<>();
        day.forEach(r -> delivered.add(event(user, r)));
        StateReport taken = day.getFirst();
        // another user's report under the same id: not a re-send
        delivered.add(event("bulk-other-" + UUID.randomUUID(),
                new StateReport(taken.id(), taken.at().plus(Duration.ofHours(2)), taken.state())));
        load(g, delivered, new Random(1)); // batches in order: the other user's report is stored last

        assertThatThrownBy(() -> finish(g)).hasMessageContaining("could not create unique index");
        Projection.Folded folded = finish(g);
        assertThat(folded.duplicates()).isOne();
        assertThat(count("SELECT count(*) FROM workstation_event_g" + g + " WHERE event_id = '" + taken.id()
                + "' AND username = '" + user + "'")).as("the first stored kept").isOne();
    }

    @Test
    void aGenerationWithByteOrderNamesCanBePublishedOverOneMadeBeforeThem() {
        // a generation as made before site and user name were COLLATE "C": its reports' table in the database's collation
        int old = GENERATIONS.incrementAndGet();
        int live = pool.query("SELECT generation FROM projection_generation WHERE projection = 'workstation-day' AND status = 'live'")
                .execute().await().indefinitely().iterator().next().getInteger(0);
        pool.query("CREATE TABLE workstation_event_g" + old + " (event_id uuid PRIMARY KEY, site text NOT NULL, username text NOT NULL, "
                        + "host text, state text NOT NULL, occurred_at timestamptz NOT NULL, local_date date NOT NULL, source text NOT NULL)")
                .execute().chain(() -> pool.query("SELECT rollcall_workstation_day_create(" + old + ")").execute())
                .await().indefinitely();
        int next = loadingGeneration();
        try {
            pool.withTransaction(tx -> tx.query("SELECT rollcall_workstation_day_publish(" + old + ")").execute()
                    .chain(() -> tx.query("SELECT rollcall_workstation_day_publish(" + next + ")").execute()))
                    .await().indefinitely();
            assertThat(pool.query("SELECT collation_name FROM information_schema.columns WHERE table_name = 'workstation_event' "
                    + "AND column_name = 'username'").execute().await().indefinitely().iterator().next().getString(0)).isEqualTo("C");
        } finally {
            pool.query("SELECT rollcall_workstation_day_publish(" + live + ")").execute().await().indefinitely();
        }
    }

    /** A generation of its own, made as a loading one is (tables without key and index); no consumer folds it. */
    private int loadingGeneration() {
        int g = GENERATIONS.incrementAndGet();
        pool.query("SELECT rollcall_workstation_day_create(" + g + "), rollcall_workstation_day_load(" + g + ")")
                .execute().await().indefinitely();
        return g;
    }

    /** Loads the events in random batches, as a loading consumer does. */
    private void load(int g, List<EventEnvelope> events, Random random) {
        for (int i = 0; i < events.size(); ) {
            int n = 1 + random.nextInt(120);
            List<EventEnvelope> batch = events.subList(i, Math.min(events.size(), i + n));
            pool.withTransaction(tx -> projection.load(tx, g, new Projection.PartitionBatch("rollcall.workstation", 0, batch)))
                    .await().atMost(Duration.ofSeconds(30));
            i += n;
        }
    }

    private Projection.Folded finish(int g) {
        return pool.withTransaction(tx -> projection.finishLoading(tx, g)).await().atMost(Duration.ofSeconds(60));
    }

    private static EventEnvelope event(String user, StateReport r) {
        return EventEnvelope.of(r.id(), "test", r.at(), "berlin", user, new WorkstationStateChanged(user, "pc-1", r.state()));
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().indefinitely().iterator().next().getLong(0);
    }
}
