package dev.rollcall.projection;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.PresenceHourReported;
import dev.rollcall.projection.presence.PresenceArrivalOrderPropertyTest;
import dev.rollcall.projection.presence.PresenceScenario;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * presence-day's bulk load against a real PostgreSQL, driven by hand on generations of its own: random sites' phone
 * changes, heartbeats (a second scanning agent at the same instant now and then, an agent listing devices without
 * scanning), StaffTrace hours (one re-sent
 * corrected) and roster events, delivered late, shuffled and duplicated, loaded in batches, end in the same rows,
 * table by table, as folding the same batches one by one (which {@link PresenceFoldPropertyTest} holds to the pure
 * folds over everything).
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class PresenceBulkLoadTest {

    private static final AtomicInteger GENERATIONS = new AtomicInteger(900);
    private static final List<String> TABLES = List.of("device_event_g", "agent_heartbeat_g", "device_online_interval_g",
            "attendance_session_g", "attendance_day_g", "presence_hour_g", "presence_roster_event_g", "presence_roster_site_g",
            "presence_roster_employee_g", "presence_roster_device_assignment_g", "presence_roster_stafftrace_id_g");

    /** The facts' lookup indexes of generation %d: a device's changes, a site's heartbeats; and their keys. */
    private static final String FACT_INDEXES = """
            SELECT count(*) FROM pg_indexes WHERE tablename IN ('device_event_g%1$d', 'agent_heartbeat_g%1$d')
            AND indexname IN ('device_event_g%1$d_by_device', 'agent_heartbeat_g%1$d_by_site')""";
    private static final String FACT_KEYS = """
            SELECT count(*) FROM pg_indexes WHERE tablename IN ('device_event_g%1$d', 'agent_heartbeat_g%1$d') AND indexname LIKE '%%_pkey'""";

    @Inject
    PresenceDayProjection projection;
    @Inject
    Pool pool;

    @Test
    void theLoadsEndFoldsWhatBatchByBatchFoldingWouldHave() throws Exception {
        long base = new Random().nextLong();
        for (int trial = 0; trial < 4; trial++) {
            long seed = base + trial;
            Random random = new Random(seed);
            List<EventEnvelope> events = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                String site = "bulk-presence-" + UUID.randomUUID().toString().substring(0, 8);
                events.addAll(withExtras(PresenceScenario.random(random, site, Duration.ofHours(30)), random));
            }
            List<List<EventEnvelope>> batches = PresenceArrivalOrderPropertyTest.arrivals(events, random);

            int g = generation();
            pool.query("SELECT rollcall_presence_day_load(" + g + ")").execute().await().indefinitely();
            // small chunks: the end reads, stores and recomputes many times over
            // as polled: most records read where they were fetched, the workstation agents' heartbeats dropped unread
            AtomicInteger unread = new AtomicInteger();
            Projection.Folded loaded = batchByBatch(batches, (tx, batch) -> projection.prepareLoad(g, records(batch, random, unread)).store(tx));
            assertThat(unread.get()).as("seed %d: silent heartbeats dropped unread", seed).isPositive();
            assertThat(count("SELECT count(*) FROM device_online_interval_g" + g + " UNION ALL SELECT count(*) FROM attendance_session_g" + g))
                    .as("seed %d: nothing is folded while loading", seed).isZero();
            assertThat(count(FACT_INDEXES.formatted(g))).as("seed %d: the facts' lookup indexes wait for the end", seed).isZero();
            assertThat(count(FACT_KEYS.formatted(g))).as("seed %d: their keys, which drop re-sent copies as they come, stay", seed).isEqualTo(2);
            Projection.Folded end = pool.withTransaction(tx -> projection.finishLoading(tx, pool, g,
                    new PresenceDayProjection.Chunks(1 + random.nextInt(40), 1 + random.nextInt(30), 1 + random.nextInt(3))))
                    .await().atMost(Duration.ofSeconds(60));
            // what the batches stored, each once; of the two sites' corrected hours, one that came after its original replaced it
            assertThat(end.fresh()).as("seed %d: the facts folded at the end", seed).isBetween(loaded.fresh() - 2, loaded.fresh());
            assertThat(end.duplicates()).as("duplicates were dropped as they were stored").isZero();
            assertThat(count("SELECT count(*) FROM pg_indexes WHERE tablename = 'device_online_interval_g" + g + "'"))
                    .as("the intervals' key, and the indexes dropped while loading, built again").isEqualTo(3);
            assertThat(count(FACT_INDEXES.formatted(g))).as("the facts' lookup indexes built at the end").isEqualTo(2);

            int live = generation();
            assertThat(count(FACT_INDEXES.formatted(live))).as("a generation that folds as it goes has them from the start").isEqualTo(2);
            Projection.Folded folded = batchByBatch(batches, (tx, batch) -> projection.fold(tx, live, batch));
            assertThat(loaded).as("seed %d: the counts, loaded and folded", seed).isEqualTo(folded);
            assertThat(loaded.duplicates()).as("seed %d: re-sent copies dropped", seed).isPositive();
            ReadModelRows.assertSameRows(TABLES, g, live, "seed " + seed + ": the load and batch by batch");
            assertThat(count("SELECT count(DISTINCT ended_by) FROM device_online_interval_g" + g + " WHERE ended_by IS NOT NULL"))
                    .as("seed %d: intervals ended by offline changes and by heartbeats", seed).isEqualTo(2);
            pool.query("SELECT rollcall_presence_day_drop(" + g + "), rollcall_presence_day_drop(" + live + ")").execute()
                    .await().indefinitely();
        }
    }

    /** A batch's heartbeats are stored once each, their lists as they came: an empty list and none are told apart. */
    @Test
    void heartbeatsAreStoredWithTheirListsAsTheyCame() throws Exception {
        String site = "beats-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.parse("2026-11-02T09:00:00Z");
        EventEnvelope scanning = EventEnvelope.of(UUID.randomUUID(), "test", t, site, "net-1",
                new AgentHeartbeat("net-1", "1.0", "scanner", "linux", 60, 0, 700L, List.of("3c:22:fb:00:00:02", "3c:22:fb:00:00:01")));
        EventEnvelope nobodyScanned = EventEnvelope.of(UUID.randomUUID(), "test", t.plusSeconds(300), site, "net-1",
                new AgentHeartbeat("net-1", "1.0", "scanner", "linux", 360, 0, 700L, List.of()));
        EventEnvelope stafftrace = EventEnvelope.of(UUID.randomUUID(), "test", t.plusSeconds(600), site, "st",
                new AgentHeartbeat("st", "2.1", "stafftrace agent", "stafftrace", 0, 0, null, List.of("3c:22:fb:00:00:03"),
                        List.of("17", "E.2"), false));
        EventEnvelope nobodyPresent = EventEnvelope.of(UUID.randomUUID(), "test", t.plusSeconds(900), site, "st",
                new AgentHeartbeat("st", "2.1", "stafftrace agent", "stafftrace", 0, 0, null, List.of(), List.of(), false));
        int g = generation();
        Projection.Folded folded = pool.withTransaction(tx -> projection.fold(tx, g, new Projection.PartitionBatch("rollcall.agents", 0,
                List.of(scanning, nobodyScanned, stafftrace, scanning, nobodyPresent)))).await().atMost(Duration.ofSeconds(30));
        assertThat(folded).as("four stored, the copy dropped").isEqualTo(new Projection.Folded(4, 1));
        assertThat(ReadModelRows.rows("SELECT agent_id, host, version, scanning, devices_online, employees_present FROM agent_heartbeat_g" + g
                + " WHERE site = ? ORDER BY occurred_at", site)).containsExactly(
                "net-1|scanner|1.0|true|{3c:22:fb:00:00:01,3c:22:fb:00:00:02}|null",
                "net-1|scanner|1.0|true|{}|null",
                "st|stafftrace agent|2.1|false|{3c:22:fb:00:00:03}|{17,E.2}",
                "st|stafftrace agent|2.1|false|{}|{}");
        pool.query("SELECT rollcall_presence_day_drop(" + g + ")").execute().await().indefinitely();
    }

    /**
     * The scenario's events, and: another scanning agent's heartbeat at the same instant as some of the first one's,
     * listing some of the same devices; a non-scanning agent's listing one device now and then; StaffTrace's hours for an id the roster maps to e-2 and for one it maps to
     * nobody, one of them corrected later.
     */
    private static List<EventEnvelope> withExtras(PresenceScenario scenario, Random random) {
        String site = scenario.site();
        List<EventEnvelope> out = new ArrayList<>(scenario.events());
        Instant start = scenario.events().getFirst().time();
        for (EventEnvelope e : scenario.events()) {
            if (e.data() instanceof AgentHeartbeat h && h.lastScanMillis() != null && random.nextInt(6) == 0) {
                List<String> some = h.devicesOnline().stream().filter(m -> random.nextBoolean()).toList();
                out.add(EventEnvelope.of(UUID.randomUUID(), "test", e.time(), site, "agent-net-2",
                        new AgentHeartbeat("agent-net-2", "1.0", "scanner-2", "linux", 60, 0, 700L, some)));
            }
            if (e.data() instanceof AgentHeartbeat h && h.lastScanMillis() != null && !h.devicesOnline().isEmpty() && random.nextInt(10) == 0) {
                // an agent that lists devices without scanning (it cannot tell who is missing)
                out.add(EventEnvelope.of(UUID.randomUUID(), "test", e.time().plusSeconds(random.nextInt(400)), site, "agent-lister",
                        new AgentHeartbeat("agent-lister", "1.0", "lister", "linux", 60, 0, null, h.devicesOnline().subList(0, 1))));
            }
        }
        // workstation agents' heartbeats (presence-day reads past them), a last one before a stop among them
        for (int k = 0; k < 30; k++) {
            out.add(EventEnvelope.of(UUID.randomUUID(), "agent/ws-" + k, start.plusSeconds(300L * k), site, "ws-" + k % 3,
                    new AgentHeartbeat("ws-" + k % 3, "0.1.0", "PC-" + k % 3, "Windows 11", 60L * k, k % 2, null, List.of(), null, k == 7)));
        }
        out.add(EventEnvelope.of(UUID.randomUUID(), "test", start, site, "e-2",
                new EmployeeUpdated("e-2", "Employee e-2", true, null, List.of("st-2"))));
        ZoneId zone = ZoneId.of("Europe/Berlin");
        Instant hour = start.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1));
        for (int k = 0; k < 6; k++, hour = hour.plus(Duration.ofHours(1 + random.nextInt(3)))) {
            String id = k % 2 == 0 ? "st-2" : "st-9";
            int minutes = random.nextInt(41);
            out.add(hour(site, id, hour, minutes, zone, hour.plus(Duration.ofHours(1))));
            if (k == 3) {
                out.add(hour(site, id, hour, 40 - minutes, zone, hour.plus(Duration.ofHours(2)))); // corrected
            }
        }
        return out;
    }

    private static EventEnvelope hour(String site, String id, Instant hour, int minutes, ZoneId zone, Instant reportedAt) {
        var local = hour.atZone(zone);
        return EventEnvelope.of(UUID.randomUUID(), "ingest/stafftrace", reportedAt, site, id, new PresenceHourReported(id,
                local.toLocalDate(), local.getHour(), hour.plusSeconds(300), hour.plusSeconds(300 + 60L * Math.max(minutes, 1)), minutes));
    }

    /**
     * The batch as polled for a load: each record encoded (a fifth pretty-printed), most read by the projection's reader
     * where they were fetched (in a larger array); {@code unread} counts those it read as silent heartbeats.
     */
    private Projection.RecordBatch records(Projection.PartitionBatch batch, Random random, AtomicInteger unread) {
        List<ConsumerRecord<byte[], Object>> records = new ArrayList<>();
        for (EventEnvelope e : batch.events()) {
            byte[] value = random.nextInt(5) == 0 ? EventCodec.toTree(e).toPrettyString().getBytes(StandardCharsets.UTF_8) : EventCodec.encode(e);
            Object polled = value;
            if (random.nextInt(4) != 0) {
                byte[] fetched = new byte[value.length + 10];
                System.arraycopy(value, 0, fetched, 3, value.length);
                Object read = projection.recordReader().read(fetched, 3, 3 + value.length);
                if (read != null) {
                    assertThat(e.data()).isInstanceOf(AgentHeartbeat.class);
                    assertThat(PresenceDayProjection.tellsPresence((AgentHeartbeat) e.data())).as("read as silent: %s", e).isFalse();
                    unread.incrementAndGet();
                    polled = read;
                }
            }
            records.add(new ConsumerRecord<>(batch.topic(), 0, 0L, e.site().getBytes(StandardCharsets.UTF_8), polled));
        }
        return new Projection.RecordBatch(batch.topic(), batch.partition(), records, GenerationConsumer::decode);
    }

    /** A generation of its own, made as a live one is; no consumer folds it. */
    private int generation() {
        int g = GENERATIONS.incrementAndGet();
        pool.query("SELECT rollcall_presence_day_create(" + g + ")").execute().await().indefinitely();
        return g;
    }

    /** Hands the batches over, each in a transaction of its own; what they counted, summed. */
    private Projection.Folded batchByBatch(List<List<EventEnvelope>> batches,
                                           BiFunction<SqlConnection, Projection.PartitionBatch, Uni<Projection.Folded>> step) {
        Projection.Folded sum = Projection.Folded.NOTHING;
        for (List<EventEnvelope> events : batches) {
            Projection.PartitionBatch batch = new Projection.PartitionBatch("rollcall.presence", 0, events);
            sum = sum.plus(pool.withTransaction(tx -> step.apply(tx, batch)).await().atMost(Duration.ofSeconds(30)));
        }
        return sum;
    }

    private long count(String sql) {
        long total = 0;
        for (var r : pool.query(sql).execute().await().indefinitely()) {
            total += r.getLong(0);
        }
        return total;
    }
}
