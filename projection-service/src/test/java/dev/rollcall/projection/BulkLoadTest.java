package dev.rollcall.projection;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationState;
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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load's end against a real PostgreSQL, driven by hand on generations of its own: random days (gaps around the
 * auto-timeout, Berlin across a DST change), re-sent copies, loaded in shuffled batches, end in the intervals, day
 * sums and report counts of the pure fold of each user's reports, and in the same rows as folding them batch by batch;
 * a zone changed during the load; ids reused by other reports; and generations from before reports were packed.
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
            // half the trials tell each batch it committed, as the consumer does: the end then folds from the pieces
            // kept in memory, and the table's copy, spoilt here (one report left of each piece), is not read
            boolean inMemory = trial % 4 >= 2;
            load(g, delivered, random, inMemory);
            if (inMemory) {
                pool.query("UPDATE workstation_report_load_g" + g + " SET reports = substring(reports FROM 1 FOR 25)")
                        .execute().await().indefinitely();
            }

            // odd trials read a few pieces at a time, wait for each user's fold and store every few dozen reports, as a
            // long history does
            Projection.Folded folded = trial % 2 == 0 ? finish(g)
                    : pool.withTransaction(tx -> projection.finishLoading(tx, pool, g, new WorkstationDayProjection.Chunks(3, 40, 1)))
                            .await().atMost(Duration.ofSeconds(60));

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
            assertThat(count("SELECT coalesce(sum(length(reports) / 25), 0) FROM workstation_report_day_g" + g))
                    .as("seed %d", seed).isEqualTo(folded.fresh());
            assertThat(count("SELECT count(*) FROM pg_class WHERE relname = 'workstation_report_load_g" + g + "'"))
                    .as("the loaded pieces are dropped").isZero();

            // the same deliveries folded batch by batch, as live events are, into another generation: the same rows
            int live = foldingGeneration();
            fold(live, delivered, random);
            for (String table : List.of("workstation_report_day_g", "working_interval_g", "workstation_user_day_g")) {
                assertThat(count("SELECT count(*) FROM (SELECT * FROM " + table + g + " EXCEPT SELECT * FROM " + table + live + ") d"))
                        .as("seed %d: %s of the load, minus event by event", seed, table).isZero();
                assertThat(count("SELECT count(*) FROM (SELECT * FROM " + table + live + " EXCEPT SELECT * FROM " + table + g + ") d"))
                        .as("seed %d: %s event by event, minus the load", seed, table).isZero();
            }
        }
    }

    @Test
    void aBatchMissingFromMemorySendsTheEndBackToTheTable() {
        Random random = new Random(5);
        int g = loadingGeneration();
        String user = "bulk-missed-" + UUID.randomUUID();
        List<StateReport> day = ArrivalOrderPropertyTest.randomDay(random);
        List<EventEnvelope> delivered = events(user, day);
        int half = delivered.size() / 2;
        load(g, delivered.subList(0, half), random, true);
        // as after a restart, or another replica's batch: stored, but not in this memory
        load(g, delivered.subList(half, delivered.size()), random, false);

        finishesAsTheFold(g, user, day);
    }

    @Test
    void anEndThatFailedAfterItsWritersCommittedLeavesNothingBehind() {
        Random random = new Random(9);
        int g = loadingGeneration();
        String user = "bulk-again-" + UUID.randomUUID();
        List<StateReport> day = ArrivalOrderPropertyTest.randomDay(random);
        load(g, events(user, day), random, true);
        // what the user-days' and the intervals' writers of an end that failed afterwards left: rows, and the key
        pool.query("INSERT INTO workstation_report_day_g" + g + " VALUES ('berlin', '2020-01-01', '" + user + "', '\\x"
                + "00".repeat(25) + "'); INSERT INTO working_interval_g" + g + " VALUES ('berlin', '" + user + "', "
                + "'2020-01-01 09:00Z', '2020-01-01 10:00Z', 'stopped', '2020-01-01 09:50Z', 3, '2020-01-01', 1, 2400); "
                + "SELECT rollcall_workstation_day_interval_index(" + g + ")").execute().await().indefinitely();

        finishesAsTheFold(g, user, day);
        assertThat(count("SELECT count(*) FROM workstation_report_day_g" + g + " WHERE local_date = '2020-01-01'")).isZero();
        assertThat(count("SELECT coalesce(sum(length(reports) / 25), 0) FROM workstation_report_day_g" + g)).isEqualTo(day.size());
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE tablename = 'working_interval_g" + g + "'")).isEqualTo(3);
    }

    @Test
    void aUsersPiecesOutOfDayOrderStillFoldAsOneTimeline() {
        Random random = new Random(42);
        int g = loadingGeneration();
        String user = "bulk-zone-" + UUID.randomUUID();
        List<StateReport> day = ArrivalOrderPropertyTest.randomDay(random);
        List<EventEnvelope> delivered = new ArrayList<>();
        day.forEach(r -> delivered.add(event(user, r)));
        load(g, delivered, random);
        // as if the site's zone had changed during the load: the first piece's local date comes after all the others'
        pool.query("UPDATE workstation_report_load_g" + g + " SET local_date = local_date + 7 WHERE seq = (SELECT min(seq) FROM "
                + "workstation_report_load_g" + g + ")").execute().await().indefinitely();

        finishesAsTheFold(g, user, day);
    }

    @Test
    void aReportReusingAnotherReportsIdIsAnotherReportNotARedelivery() {
        Random random = new Random(7);
        int g = loadingGeneration();
        String user = "bulk-ids-" + UUID.randomUUID();
        String other = "bulk-other-" + UUID.randomUUID();
        List<StateReport> day = ArrivalOrderPropertyTest.randomDay(random);
        List<EventEnvelope> delivered = new ArrayList<>();
        day.forEach(r -> delivered.add(event(user, r)));
        StateReport taken = day.getFirst();
        // the same id, by another user and by the same user two hours later: neither is the same report again
        delivered.add(event(other, new StateReport(taken.id(), taken.at().plus(Duration.ofHours(2)), taken.state())));
        delivered.add(event(user, new StateReport(taken.id(), taken.at().plus(Duration.ofHours(2)), taken.state())));
        delivered.add(event(user, taken)); // and a re-delivery, which is
        load(g, delivered, new Random(1));

        Projection.Folded folded = finish(g);

        assertThat(folded.duplicates()).isOne();
        assertThat(folded.fresh()).isEqualTo(day.size() + 2);
        assertThat(count("SELECT count(*) FROM workstation_report_day_g" + g + " d, rollcall_workstation_reports(d.reports) r "
                + "WHERE r.event_id = '" + taken.id() + "'")).isEqualTo(3);
    }

    @Test
    void generationsMadeWithARowPerReportArePackedInPlace() {
        // as made before code version 3: a folded generation's reports one row each, in the database's collation
        int old = GENERATIONS.incrementAndGet();
        String user = "bulk-old-" + UUID.randomUUID();
        Instant nine = Instant.parse("2026-03-02T09:00:00Z");
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        pool.query("CREATE TABLE workstation_event_g" + old + " (event_id uuid PRIMARY KEY, site text NOT NULL, username text NOT NULL, "
                        + "host text, state text NOT NULL, occurred_at timestamptz NOT NULL, local_date date NOT NULL, source text NOT NULL)")
                .execute().await().indefinitely();
        // stored out of time order: packed, they are sorted
        for (Object[] r : List.of(new Object[] {b, nine.plusSeconds(600), "stopped"}, new Object[] {a, nine, "working"},
                new Object[] {c, nine.plus(Duration.ofDays(1)), "working"})) {
            pool.preparedQuery("INSERT INTO workstation_event_g" + old + " VALUES ($1, 'berlin', $2, 'pc', $3, $4, $5, 'test')")
                    .execute(Tuple.of(r[0], user, r[2], ((Instant) r[1]).atOffset(ZoneOffset.UTC),
                            ((Instant) r[1]).atZone(ZoneOffset.UTC).toLocalDate()))
                    .await().indefinitely();
        }

        pool.query("SELECT rollcall_workstation_day_create(" + old + ")").execute().await().indefinitely();

        assertThat(count("SELECT count(*) FROM pg_class WHERE relname = 'workstation_event_g" + old + "'")).isZero();
        List<String> packed = new ArrayList<>();
        pool.preparedQuery("SELECT d.local_date, r.event_id, r.occurred_at, r.working FROM workstation_report_day_g" + old
                        + " d, rollcall_workstation_reports(d.reports) WITH ORDINALITY r WHERE d.username = $1 ORDER BY d.local_date, r.ordinality")
                .execute(Tuple.of(user)).await().indefinitely()
                .forEach(r -> packed.add(r.getLocalDate(0) + " " + r.getUUID(1) + " " + r.getOffsetDateTime(2).toInstant() + " " + r.getBoolean(3)));
        assertThat(packed).containsExactly("2026-03-02 " + a + " " + nine + " true", "2026-03-02 " + b + " " + nine.plusSeconds(600) + " false",
                "2026-03-03 " + c + " " + nine.plus(Duration.ofDays(1)) + " true");

        // and the fold goes on from the packed rows: a report between a and b (its time in microseconds) joins their day
        UUID late = UUID.randomUUID();
        Instant between = nine.plusSeconds(300).plusNanos(123_456_000);
        pool.withTransaction(tx -> projection.fold(tx, old, new Projection.PartitionBatch("rollcall.workstation", 0,
                List.of(event(user, new StateReport(late, between, WorkstationState.WORKING)))))).await().indefinitely();
        List<String> day = new ArrayList<>();
        pool.preparedQuery("SELECT r.event_id, r.occurred_at FROM workstation_report_day_g" + old
                        + " d, rollcall_workstation_reports(d.reports) WITH ORDINALITY r WHERE d.username = $1 AND d.local_date = '2026-03-02' "
                        + "ORDER BY r.ordinality").execute(Tuple.of(user)).await().indefinitely()
                .forEach(r -> day.add(r.getUUID(0) + " " + r.getOffsetDateTime(1).toInstant()));
        assertThat(day).containsExactly(a + " " + nine, late + " " + between, b + " " + nine.plusSeconds(600));

        // and the readers' view over it (published and back) shows the reports a row each
        int live = pool.query("SELECT generation FROM projection_generation WHERE projection = 'workstation-day' AND status = 'live'")
                .execute().await().indefinitely().iterator().next().getInteger(0);
        try {
            pool.query("SELECT rollcall_workstation_day_publish(" + old + ")").execute().await().indefinitely();
            assertThat(count("SELECT count(*) FROM workstation_event WHERE site = 'berlin' AND local_date = '2026-03-02' "
                    + "AND username = '" + user + "' AND state = 'stopped' AND event_id = '" + b + "'")).isOne();
        } finally {
            pool.query("SELECT rollcall_workstation_day_publish(" + live + ")").execute().await().indefinitely();
        }
    }

    /** A generation of its own that folds event by event (made as a live one is); no consumer folds it. */
    private int foldingGeneration() {
        int g = GENERATIONS.incrementAndGet();
        pool.query("SELECT rollcall_workstation_day_create(" + g + ")").execute().await().indefinitely();
        return g;
    }

    /** Folds the events in random batches, as a consumer of a generation that has ended its load does. */
    private void fold(int g, List<EventEnvelope> events, Random random) {
        inRandomBatches(events, random, (tx, batch) -> projection.fold(tx, g, batch));
    }

    /** A generation of its own, made as a loading one is (a table of pieces without key and index); no consumer folds it. */
    private int loadingGeneration() {
        int g = GENERATIONS.incrementAndGet();
        pool.query("SELECT rollcall_workstation_day_create(" + g + "), rollcall_workstation_day_load(" + g + ")")
                .execute().await().indefinitely();
        return g;
    }

    /**
     * Loads the events in random batches, as a loading consumer does: as the records it polls, most as the encoder
     * writes them (read by {@link dev.rollcall.events.WorkstationReportScanner}), a fifth pretty-printed (left to the
     * codec), and now and then a session change and an unreadable record among them (neither is a report).
     */
    /** Ends generation {@code g}'s load: each of the user's reports folded once, into the intervals the fold makes of them. */
    private void finishesAsTheFold(int g, String user, List<StateReport> day) {
        Projection.Folded folded = finish(g);
        assertThat(folded.fresh()).isEqualTo(day.size());
        assertThat(WorkstationFoldPropertyTest.storedIntervals(pool, "_g" + g, "berlin", user))
                .isEqualTo(WorkingIntervals.fold(day, config.workRulesOf("berlin").autoTimeout()));
    }

    private void load(int g, List<EventEnvelope> events, Random random) {
        load(g, events, random, false);
    }

    /**
     * As {@link #load(int, List, Random)}; with {@code committed}, each batch is also told it committed, as the
     * consumer tells it ({@link Projection.Load#stored}), so that the projection keeps what was stored in memory.
     */
    private void load(int g, List<EventEnvelope> events, Random random, boolean committed) {
        forRandomBatches(events, random, batch -> {
            Projection.Load load = projection.prepareLoad(g, records(batch, random));
            pool.withTransaction(load::store).await().atMost(Duration.ofSeconds(30));
            if (committed) {
                load.stored();
            }
        });
    }

    private Projection.RecordBatch records(Projection.PartitionBatch batch, Random random) {
        List<ConsumerRecord<byte[], Object>> records = new ArrayList<>();
        for (EventEnvelope e : batch.events()) {
            if (random.nextInt(20) == 0) {
                EventEnvelope session = EventEnvelope.of(UUID.randomUUID(), "test", e.time(), e.site(), e.subject(),
                        new WorkstationSessionChanged(e.subject(), "pc-1", WorkstationSessionKind.LOCK));
                records.add(record(EventCodec.encode(session)));
            }
            if (random.nextInt(40) == 0) {
                records.add(record("{\"specversion\":".getBytes(StandardCharsets.UTF_8)));
            }
            records.add(record(random.nextInt(5) == 0 ? EventCodec.toTree(e).toPrettyString().getBytes(StandardCharsets.UTF_8)
                    : EventCodec.encode(e)));
        }
        return new Projection.RecordBatch(batch.topic(), batch.partition(), records, GenerationConsumer::decode);
    }

    /** A record as polled for a load: most read by the projection's reader where it was fetched (here, in a larger array). */
    private ConsumerRecord<byte[], Object> record(byte[] value) {
        Object polled = value;
        if (reader.nextInt(4) != 0) {
            byte[] fetched = new byte[value.length + 10];
            System.arraycopy(value, 0, fetched, 3, value.length);
            Object read = projection.recordReader().read(fetched, 3, 3 + value.length);
            polled = read != null ? read : value;
        }
        return new ConsumerRecord<>("rollcall.workstation", 0, 0L, "berlin".getBytes(StandardCharsets.UTF_8), polled);
    }

    private final Random reader = new Random();

    /** Hands the events over in batches of 1 to 120, each in a transaction of its own. */
    private void inRandomBatches(List<EventEnvelope> events, Random random,
                                 BiFunction<SqlConnection, Projection.PartitionBatch, Uni<Projection.Folded>> step) {
        forRandomBatches(events, random, batch -> pool.withTransaction(tx -> step.apply(tx, batch)).await().atMost(Duration.ofSeconds(30)));
    }

    /** The events in batches of 1 to 120, in order. */
    private static void forRandomBatches(List<EventEnvelope> events, Random random, Consumer<Projection.PartitionBatch> each) {
        for (int i = 0; i < events.size(); ) {
            int n = 1 + random.nextInt(120);
            each.accept(new Projection.PartitionBatch("rollcall.workstation", 0, events.subList(i, Math.min(events.size(), i + n))));
            i += n;
        }
    }

    private Projection.Folded finish(int g) {
        return pool.withTransaction(tx -> projection.finishLoading(tx, pool, g)).await().atMost(Duration.ofSeconds(60));
    }

    private static List<EventEnvelope> events(String user, List<StateReport> reports) {
        return reports.stream().map(r -> event(user, r)).toList();
    }

    private static EventEnvelope event(String user, StateReport r) {
        return EventEnvelope.of(r.id(), "test", r.at(), "berlin", user, new WorkstationStateChanged(user, "pc-1", r.state()));
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().indefinitely().iterator().next().getLong(0);
    }
}
