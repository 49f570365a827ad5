package dev.rollcall.projection;

import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.PresenceHourReported;
import dev.rollcall.events.SilentHeartbeats;
import dev.rollcall.events.Topic;
import dev.rollcall.projection.RosterFacts.Device;
import dev.rollcall.projection.presence.Attendance;
import dev.rollcall.projection.presence.AttendanceDay;
import dev.rollcall.projection.presence.AttendanceSession;
import dev.rollcall.projection.presence.DeviceObservation;
import dev.rollcall.projection.presence.DeviceWindow;
import dev.rollcall.projection.presence.OnlineInterval;
import dev.rollcall.projection.presence.OnlineIntervals;
import dev.rollcall.projection.presence.PresenceSpan;
import dev.rollcall.projection.presence.SessionWindow;
import dev.rollcall.projection.presence.SiteTimelines;
import dev.rollcall.projection.roster.DeviceAssignment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static dev.rollcall.projection.RosterFacts.instant;
import static dev.rollcall.projection.RosterFacts.utc;

/**
 * Folds network presence into one generation of the read model (tables suffixed {@code _g<N>}, see
 * {@code db/read-model.sql}), in the caller's transaction, in two levels, so that results do not depend on how
 * the three topics interleave:
 * <ol>
 *   <li>roster events (rollcall.roster) go to presence-day's own copy of the roster ({@link RosterFacts});</li>
 *   <li>level 1, per device: state changes (rollcall.presence) and heartbeats (rollcall.agents) are stored once
 *       by id, then for each device the batch touched, the stretch of its timeline the batch can change
 *       ({@link DeviceWindow}) is re-folded from the stored observations with {@link OnlineIntervals} and its
 *       intervals replaced;</li>
 *   <li>level 2, per employee: every (employee, time range) whose presence could have changed (intervals
 *       re-folded on one of their devices, assignments that appeared or disappeared, a site's zone or grace
 *       changed) is recomputed from the stored intervals and assignments: the sessions in the stretch
 *       ({@link SessionWindow}) replaced, and the days those sessions start on re-summed.</li>
 * </ol>
 * Everything is recomputed from stored facts, never patched, so late, re-sent and out-of-order events, and a
 * roster that arrives after the devices' events, end in the rows of an in-order fold.
 */
@ApplicationScoped
public class PresenceDayProjection implements Projection {

    public static final String NAME = "presence-day";
    /**
     * 1: online intervals, sessions and days. 2: StaffTrace's hourly summaries as spans too (a generation of 1 has
     * ignored the summaries it read: {@code make replay PROJECTION=presence-day} folds them). 3: a summary's
     * StaffTrace id is mapped to the roster's employee ({@code staffTraceIds}), and an hour with a gap inside counts
     * its minutes online, not its first-to-last span (replay to fold older summaries so).
     */
    public static final int VERSION = 3;

    /** Stand-ins for "no bound" in SQL range parameters: no event is that old or that far ahead. */
    static final Instant BEGINNING = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant END = Instant.parse("9000-01-01T00:00:00Z");

    /**
     * A site's presence is folded by one transaction at a time. The three topics' partitions may be owned by
     * different instances (the roster's single partition holds every site), so two transactions could otherwise
     * recompute the same employee from each other's stale rows. Locks are taken in one order: no deadlocks.
     */
    static final String LOCK_SITES = """
            SELECT pg_advisory_xact_lock(hashtext('presence-day'), k)
            FROM (SELECT DISTINCT hashtext($1::text || '/' || site) AS k FROM unnest($2::text[]) AS s(site) ORDER BY k) AS keys""";

    /**
     * The devices online at each scanning heartbeat's time, in two parts. The closed intervals containing it, through
     * the SP-GiST index on their time range: the topics are read at their own pace, so in a rebuild a heartbeat is often
     * folded after the devices' changes of the days after it, and a btree lookup read every interval that started
     * before it or every one that ended after it, most of the history either way. {@code OFFSET 0} keeps the lookup
     * per heartbeat (without it PostgreSQL joined every interval to every heartbeat: 754 ms against 12 ms for 44
     * heartbeats and 109,200 intervals), and the site outside it: inside, with the statistics of a table growing
     * through a rebuild, PostgreSQL also read the site's every row of the primary key for each heartbeat.
     */
    static final String CLOSED_AT_HEARTBEATS = """
            SELECT t.i, d.mac
            FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS t(site, at, i)
            CROSS JOIN LATERAL (SELECT site, mac FROM device_online_interval_g{g}
                                WHERE tstzrange(start_at, end_at, '[]') @> t.at AND end_at IS NOT NULL OFFSET 0) d
            WHERE d.site = t.site""";

    /**
     * And the open intervals, read once per batch and matched to the heartbeats in Java: an interval stored open and
     * closed by a later batch leaves its open version behind, dead but in the indexes until VACUUM passes, and a
     * per-heartbeat lookup of open intervals visited all of those again for every heartbeat.
     */
    static final String OPEN_INTERVALS = """
            SELECT site, mac, start_at FROM device_online_interval_g{g} WHERE site = ANY ($1) AND end_at IS NULL""";

    static final String DEVICE_TIMELINES = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS t(site, mac, lo, hi, i)""";

    /** Before the batch is stored: the interval reaching lo, and the first closing observation at or after hi. */
    static final String DEVICE_WINDOWS = """
            SELECT t.i,
                (SELECT d.start_at FROM (SELECT start_at, end_at FROM device_online_interval_g{g}
                                         WHERE site = t.site AND mac = t.mac AND start_at < t.lo
                                         ORDER BY start_at DESC LIMIT 1) d
                 WHERE d.end_at IS NULL OR d.end_at >= t.lo) AS open_since,
                LEAST(
                    (SELECT e.occurred_at FROM device_event_g{g} e
                     WHERE e.site = t.site AND e.mac = t.mac AND e.state = 'offline' AND e.occurred_at >= t.hi
                     ORDER BY e.occurred_at LIMIT 1),
                    (SELECT h.occurred_at FROM agent_heartbeat_g{g} h
                     WHERE h.site = t.site AND h.scanning AND h.occurred_at >= t.hi AND NOT (t.mac = ANY (h.devices_online))
                     ORDER BY h.occurred_at LIMIT 1)) AS closing_at
            FROM %s""".formatted(DEVICE_TIMELINES);

    /** The batch's state changes in one statement, as columns (an INSERT each cost PostgreSQL several times more). */
    static final String STORE_DEVICE_EVENTS = """
            INSERT INTO device_event_g{g} (event_id, site, mac, state, ip, occurred_at, source)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
            ON CONFLICT (event_id) DO NOTHING""";

    static final String STORE_HEARTBEAT = """
            INSERT INTO agent_heartbeat_g{g} (event_id, site, agent_id, host, version, occurred_at, scanning, devices_online,
                                              employees_present)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (event_id) DO NOTHING""";

    /** Each device's own changes in its window. */
    static final String OBSERVATIONS = """
            SELECT t.i, e.event_id, e.occurred_at, e.state AS kind
            FROM %s JOIN device_event_g{g} e ON e.site = t.site AND e.mac = t.mac AND e.occurred_at BETWEEN t.lo AND t.hi"""
            .formatted(DEVICE_TIMELINES);

    /**
     * The heartbeats that observe devices in stretches of a site's time, each read once however many devices' windows
     * it lies in: a network agent's heartbeat lists hundreds of devices, and matching each device against it in SQL
     * ({@code mac = ANY (devices_online)}, once per device and heartbeat) was most of a rebuild's time. Matched to
     * the devices in {@link #heartbeatObservations}.
     */
    static final String HEARTBEATS_IN = """
            SELECT r.i, h.event_id, h.occurred_at, h.scanning, h.devices_online
            FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS r(site, lo, hi, i)
            JOIN agent_heartbeat_g{g} h ON h.site = r.site AND h.occurred_at BETWEEN r.lo AND r.hi
            WHERE h.scanning OR cardinality(h.devices_online) > 0""";

    /**
     * The stored intervals a re-fold replaces: those starting in each device's window, one index range per device
     * ({@code LATERAL … OFFSET 0}). As a join, the planner, whose statistics lag behind a table that grows through a
     * rebuild, hashed the whole table against the batch's devices ({@code auto_explain} of a bench run: 36,000
     * intervals read to keep 684, 29 ms); make bench: 11.2 ms a batch on average before, 3.8 to 4.2 ms after.
     */
    static final String INTERVALS_IN = """
            SELECT t.i, d.start_at, d.end_at, d.ended_by
            FROM %s CROSS JOIN LATERAL (SELECT x.start_at, x.end_at, x.ended_by FROM device_online_interval_g{g} x
                                        WHERE x.site = t.site AND x.mac = t.mac AND x.start_at BETWEEN t.lo AND t.hi OFFSET 0) d"""
            .formatted(DEVICE_TIMELINES);

    static final String DELETE_INTERVALS = """
            DELETE FROM device_online_interval_g{g} d USING unnest($1::text[], $2::text[], $3::timestamptz[]) AS k(site, mac, start_at)
            WHERE d.site = k.site AND d.mac = k.mac AND d.start_at = k.start_at""";

    static final String INSERT_INTERVALS = """
            INSERT INTO device_online_interval_g{g} (site, mac, start_at, end_at, ended_by)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[])""";

    static final String ASSIGNMENTS_OF_DEVICES = """
            SELECT t.i, a.employee_id
            FROM %s JOIN presence_roster_device_assignment_g{g} a ON a.site = t.site AND a.mac = t.mac
                AND a.valid_from <= t.hi AND (a.valid_to IS NULL OR a.valid_to >= t.lo)""".formatted(DEVICE_TIMELINES);

    static final String EMPLOYEES_OF_SITES = """
            SELECT site, employee_id FROM presence_roster_device_assignment_g{g} WHERE site = ANY ($1)
            UNION SELECT h.site, COALESCE(m.employee_id, h.employee_id) FROM presence_hour_g{g} h
                LEFT JOIN presence_roster_stafftrace_id_g{g} m ON m.site = h.site AND m.stafftrace_id = h.employee_id
                WHERE h.site = ANY ($1)
            UNION SELECT site, employee_id FROM attendance_session_g{g} WHERE site = ANY ($1)""";

    static final String SITE_RULES = """
            SELECT site, zone, presence_grace_minutes FROM presence_roster_site_g{g} WHERE site = ANY ($1)""";

    static final String EMPLOYEE_RANGES = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS t(site, employee_id, lo, hi, i)""";

    static final String SESSIONS_TOUCHING = """
            SELECT t.i, s.start_at, s.end_at
            FROM %s JOIN attendance_session_g{g} s ON s.site = t.site AND s.employee_id = t.employee_id
                AND s.start_at <= t.hi AND (s.end_at IS NULL OR s.end_at >= t.lo)""".formatted(EMPLOYEE_RANGES);

    static final String SPAN_SOURCES = """
            SELECT t.i, a.mac, a.label, a.valid_from, a.valid_to, d.start_at, d.end_at, d.ended_by
            FROM %s
            JOIN presence_roster_device_assignment_g{g} a ON a.site = t.site AND a.employee_id = t.employee_id
                AND a.valid_from <= t.hi AND (a.valid_to IS NULL OR a.valid_to >= t.lo)
            JOIN device_online_interval_g{g} d ON d.site = a.site AND d.mac = a.mac
                AND d.start_at <= t.hi AND (d.end_at IS NULL OR d.end_at >= t.lo)""".formatted(EMPLOYEE_RANGES);

    /**
     * A StaffTrace hourly summary: the latest by event time (then id) of its (site, employee, date, hour) counts, so a
     * re-sent one changes nothing and a corrected one replaces it. Stored under StaffTrace's id (column employee_id):
     * which roster employee that is is decided when attendance is computed, so a roster that arrives later, or a
     * changed mapping, re-attributes the stored hours.
     */
    static final String STORE_HOUR = """
            INSERT INTO presence_hour_g{g} AS h (site, employee_id, local_date, hour, first_seen, last_seen, minutes_online, reported_at, event_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (site, employee_id, local_date, hour) DO UPDATE SET first_seen = EXCLUDED.first_seen,
                last_seen = EXCLUDED.last_seen, minutes_online = EXCLUDED.minutes_online, reported_at = EXCLUDED.reported_at,
                event_id = EXCLUDED.event_id
            WHERE (h.reported_at, h.event_id) < (EXCLUDED.reported_at, EXCLUDED.event_id)""";

    /**
     * An employee's hours: those reported under a StaffTrace id the roster maps to them, and those under their own id
     * when the roster maps that id to nobody (StaffTrace's id is the roster's then, as before StaffTrace ids existed).
     * An hour's stretches reach past its last sighting (to a minute after it, or to first sighting plus its minutes
     * online, at most an hour after), so hours whose last sighting is up to an hour before the window are read too;
     * their stretches are then kept only where they touch the window, like the devices'.
     */
    static final String HOUR_SPANS = """
            SELECT t.i, h.first_seen, h.last_seen, h.minutes_online
            FROM %s
            CROSS JOIN LATERAL (SELECT t.employee_id AS id UNION SELECT m.stafftrace_id FROM presence_roster_stafftrace_id_g{g} m
                                WHERE m.site = t.site AND m.employee_id = t.employee_id) k
            JOIN presence_hour_g{g} h ON h.site = t.site AND h.employee_id = k.id AND h.first_seen <= t.hi
                                     AND h.last_seen + interval '1 hour' >= t.lo
            WHERE NOT EXISTS (SELECT 1 FROM presence_roster_stafftrace_id_g{g} x
                              WHERE x.site = h.site AND x.stafftrace_id = h.employee_id AND x.employee_id <> t.employee_id)"""
            .formatted(EMPLOYEE_RANGES);

    /** The roster employee each (site, StaffTrace id) stands for; an id without a row stands for itself. */
    static final String STAFFTRACE_EMPLOYEES = """
            SELECT t.i, m.employee_id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(site, id, i)
            JOIN presence_roster_stafftrace_id_g{g} m ON m.site = t.site AND m.stafftrace_id = t.id""";

    static final String DELETE_SESSIONS = """
            DELETE FROM attendance_session_g{g} s USING %s
            WHERE s.site = t.site AND s.employee_id = t.employee_id AND s.start_at <= t.hi AND (s.end_at IS NULL OR s.end_at >= t.lo)
            RETURNING t.i, s.local_date""".formatted(EMPLOYEE_RANGES);

    /**
     * The recomputed sessions in one statement, as columns: a load's end writes every employee's history (make bench:
     * 17,949 single-row INSERTs in one rebuild).
     */
    static final String INSERT_SESSIONS = """
            INSERT INTO attendance_session_g{g} (site, employee_id, local_date, start_at, end_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::timestamptz[], $5::timestamptz[])""";

    static final String EMPLOYEE_DAYS = """
            unnest($1::text[], $2::text[], $3::date[]) WITH ORDINALITY AS t(site, employee_id, d, i)""";

    static final String SESSIONS_OF_DAYS = """
            SELECT t.i, s.start_at, s.end_at
            FROM %s JOIN attendance_session_g{g} s ON s.site = t.site AND s.employee_id = t.employee_id AND s.local_date = t.d"""
            .formatted(EMPLOYEE_DAYS);

    static final String DELETE_DAYS = """
            DELETE FROM attendance_day_g{g} a USING %s
            WHERE a.site = t.site AND a.employee_id = t.employee_id AND a.local_date = t.d""".formatted(EMPLOYEE_DAYS);

    /** The summed days in one statement, as columns (as {@link #INSERT_SESSIONS}). */
    static final String INSERT_DAYS = """
            INSERT INTO attendance_day_g{g} (site, employee_id, local_date, arrived_at, left_at, minutes_present, sessions)
            SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::timestamptz[], $5::timestamptz[], $6::integer[], $7::integer[])""";

    /**
     * The load's end: every stored change and every heartbeat that observes devices, site by site in time order, for
     * {@link SiteTimelines}.
     */
    static final String LOADED_OBSERVATIONS = """
            SELECT site, occurred_at, mac, state = 'online' AS online, NULL::text[] AS devices_online, false AS scanning
            FROM device_event_g{g}
            UNION ALL
            SELECT site, occurred_at, NULL, NULL, devices_online, scanning FROM agent_heartbeat_g{g}
            WHERE scanning OR cardinality(devices_online) > 0
            ORDER BY site, occurred_at""";

    /** The load's end: everyone whose attendance there is to compute (see {@link #EMPLOYEES_OF_SITES}), in order. */
    static final String LOADED_EMPLOYEES = """
            SELECT site, employee_id FROM presence_roster_device_assignment_g{g}
            UNION SELECT h.site, COALESCE(m.employee_id, h.employee_id) FROM presence_hour_g{g} h
                LEFT JOIN presence_roster_stafftrace_id_g{g} m ON m.site = h.site AND m.stafftrace_id = h.employee_id
            ORDER BY site, employee_id""";

    /** The load's end: the facts it folded, each stored once (a corrected hourly summary replaced the one before). */
    static final String LOADED_FACTS = """
            SELECT (SELECT count(*) FROM device_event_g{g}) + (SELECT count(*) FROM agent_heartbeat_g{g})
                 + (SELECT count(*) FROM presence_hour_g{g}) + (SELECT count(*) FROM presence_roster_event_g{g})""";

    /** The planner's view of the tables the attendance is computed from, which grew all at once. */
    static final String ANALYZE_LOADED = "ANALYZE device_online_interval_g{g}, presence_hour_g{g}";

    /** How the load's end reads the observations (rows a read), stores intervals, and recomputes employees (a chunk). */
    record Chunks(int readRows, int storeIntervals, int employees) {
        static final Chunks DEFAULT = new Chunks(5_000, 20_000, 250);
    }

    private final ProjectionConfig config;
    private final Map<Integer, Statements> statements = new ConcurrentHashMap<>();

    public PresenceDayProjection(ProjectionConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int codeVersion() {
        return VERSION;
    }

    @Override
    public List<Topic> topics() {
        return List.of(Topic.PRESENCE, Topic.AGENTS, Topic.ROSTER);
    }

    @Override
    public String rules() {
        return config.describePresenceRules();
    }

    @Override
    public ProjectionConfig.Consuming consuming() {
        return config.presence();
    }

    @Override
    public void checkRules() {
        if (config.presence().defaultGrace().isNegative()) {
            throw new IllegalArgumentException("projection.presence.default-grace cannot be negative");
        }
    }

    /** The statements of one generation: the same SQL against that generation's own tables. */
    record Statements(RosterFacts.Statements roster, Map<String, String> sql) {
        static Statements of(int g) {
            UnaryOperator<String> in = s -> s.replace("{g}", Integer.toString(g));
            Map<String, String> m = new HashMap<>();
            for (String s : List.of(LOCK_SITES, CLOSED_AT_HEARTBEATS, OPEN_INTERVALS, DEVICE_WINDOWS, STORE_DEVICE_EVENTS, STORE_HEARTBEAT, OBSERVATIONS, HEARTBEATS_IN,
                    INTERVALS_IN, DELETE_INTERVALS, INSERT_INTERVALS, ASSIGNMENTS_OF_DEVICES, EMPLOYEES_OF_SITES, SITE_RULES,
                    SESSIONS_TOUCHING, SPAN_SOURCES, STORE_HOUR, HOUR_SPANS, STAFFTRACE_EMPLOYEES, DELETE_SESSIONS, INSERT_SESSIONS, SESSIONS_OF_DAYS, DELETE_DAYS, INSERT_DAYS,
                    LOADED_OBSERVATIONS, LOADED_EMPLOYEES, LOADED_FACTS, ANALYZE_LOADED)) {
                m.put(s, in.apply(s));
            }
            return new Statements(RosterFacts.Statements.of("presence_roster", g), Map.copyOf(m));
        }

        String of(String template) {
            return sql.get(template);
        }
    }

    @Override
    public Uni<Folded> fold(SqlConnection tx, int generation, PartitionBatch batch) {
        return fold(tx, generation, batch.events());
    }

    /** Folds events of any of the three topics, in any mix, into generation {@code generation}. */
    public Uni<Folded> fold(SqlConnection tx, int generation, List<EventEnvelope> events) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        Work work = new Work(events);
        if (work.relevant == 0) {
            return Uni.createFrom().item(Folded.NOTHING);
        }
        String[] sites = events.stream().map(EventEnvelope::site).distinct().toArray(String[]::new);
        return tx.preparedQuery(sql.of(LOCK_SITES)).execute(Tuple.of(Integer.toString(generation), sites))
                .chain(() -> RosterFacts.fold(tx, sql.roster(), events))
                .call(roster -> markRosterChanges(tx, sql, work, roster))
                .call(() -> foldDevices(tx, sql, work))
                .call(() -> foldHours(tx, sql, work))
                .call(() -> recomputeAttendance(tx, sql, work))
                .map(roster -> new Folded(roster.fresh() + work.fresh, work.relevant - roster.fresh() - work.fresh));
    }

    // ---- the bulk load ----------------------------------------------------------------------------------------

    @Override
    public boolean loadsInBulk() {
        return config.presence().bulkLoad();
    }

    /**
     * While loading, a heartbeat that says nothing of presence (a workstation agent's: most of the agents topic) is
     * recognised where the consumer fetched it ({@link SilentHeartbeats}) and never decoded: presence-day would only
     * drop it (it counts as skipped, as it did decoded). make bench, 1.08 million records of which 1.0 million such
     * heartbeats: decoding them was most of the load's time.
     */
    @Override
    public RecordReader recordReader() {
        return (b, from, to) -> SilentHeartbeats.matches(b, from, to) ? SILENT : null;
    }

    /** What {@link #recordReader} reads of a heartbeat that says nothing of presence. */
    static final Object SILENT = new Object() {
        @Override
        public String toString() {
            return "a heartbeat that says nothing of presence";
        }
    };

    /** The batch's records decoded, but for the heartbeats its reader found silent. */
    @Override
    public Load prepareLoad(int generation, RecordBatch batch) {
        List<EventEnvelope> events = new ArrayList<>(batch.records().size());
        for (ConsumerRecord<byte[], Object> r : batch.records()) {
            if (r.value() != SILENT) {
                EventEnvelope e = batch.decode().apply(r);
                if (e != null) {
                    events.add(e);
                }
            }
        }
        return prepareLoad(generation, new PartitionBatch(batch.topic(), batch.partition(), events));
    }

    /**
     * Stores the batch's facts as {@link #fold} does (the roster, the phones' changes and the heartbeats once each by
     * id, the latest of each hourly summary) and folds nothing from them: no interval, session or day.
     */
    @Override
    public Load prepareLoad(int generation, PartitionBatch batch) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        List<EventEnvelope> events = batch.events();
        Work work = new Work(events);
        if (work.relevant == 0) {
            return tx -> Uni.createFrom().item(Folded.NOTHING);
        }
        return tx -> RosterFacts.fold(tx, sql.roster(), events)
                .call(() -> store(tx, sql, work))
                .call(() -> storeHours(tx, sql, work))
                .map(roster -> new Folded(roster.fresh() + work.fresh, work.relevant - roster.fresh() - work.fresh));
    }

    /**
     * Folds what the load stored, as {@link #fold} would have left it: every device's intervals from all of its
     * observations at once ({@link SiteTimelines}, reading the sites' observations in time order on a connection of
     * its own while this transaction stores), then everyone's sessions and days over their whole history, as a
     * site's changed rules recompute them. Counts the facts folded (duplicates were dropped as they were stored).
     */
    @Override
    public Uni<Folded> finishLoading(SqlConnection tx, Pool reader, int generation) {
        return finishLoading(tx, reader, generation, Chunks.DEFAULT);
    }

    Uni<Folded> finishLoading(SqlConnection tx, Pool reader, int generation, Chunks chunks) {
        Statements sql = statements.computeIfAbsent(generation, Statements::of);
        LoadedIntervals intervals = new LoadedIntervals();
        SiteTimelines timelines = new SiteTimelines(intervals);
        // sent first: PostgreSQL builds the facts' lookup indexes while the reader's connection sorts the same facts
        CompletionStage<RowSet<Row>> factIndex = tx.preparedQuery("SELECT rollcall_presence_day_fact_index($1)")
                .execute(Tuple.of(generation)).subscribeAsCompletionStage();
        return reader.withTransaction(read -> read.query("SET LOCAL work_mem = '256MB'").execute() // the sort
                        .chain(() -> read.prepare(sql.of(LOADED_OBSERVATIONS)))
                        .chain(ps -> readObservations(ps.cursor(), chunks, timelines, intervals, tx, sql)))
                .invoke(timelines::finish)
                .chain(() -> intervals.store(tx, sql))
                .chain(() -> tx.preparedQuery("SELECT rollcall_presence_day_interval_index($1)").execute(Tuple.of(generation)))
                .chain(() -> tx.query(sql.of(ANALYZE_LOADED)).execute())
                .chain(() -> tx.query(sql.of(LOADED_EMPLOYEES)).execute())
                .chain(rows -> {
                    List<Employee> everyone = new ArrayList<>();
                    rows.forEach(r -> everyone.add(new Employee(r.getString("site"), r.getString("employee_id"))));
                    Uni<Void> done = Uni.createFrom().voidItem();
                    for (int i = 0; i < everyone.size(); i += chunks.employees()) {
                        List<Employee> chunk = everyone.subList(i, Math.min(everyone.size(), i + chunks.employees()));
                        done = done.chain(() -> recomputeAttendance(tx, sql, Work.recomputing(chunk)));
                    }
                    return done;
                })
                .chain(() -> Uni.createFrom().completionStage(factIndex))
                .chain(() -> tx.query(sql.of(LOADED_FACTS)).execute())
                .map(rows -> new Folded((int) rows.iterator().next().getLong(0).longValue(), 0));
    }

    /** Reads the observations a chunk at a time into the timelines, storing the intervals found every so often. */
    private static Uni<Void> readObservations(Cursor cursor, Chunks chunks, SiteTimelines timelines, LoadedIntervals intervals,
                                              SqlConnection tx, Statements sql) {
        return cursor.read(chunks.readRows()).chain(rows -> {
            for (Row r : rows) {
                String site = r.getString("site");
                Instant at = r.getOffsetDateTime("occurred_at").toInstant();
                String mac = r.getString("mac");
                if (mac != null) {
                    timelines.change(site, at, mac, r.getBoolean("online"));
                } else {
                    timelines.heartbeat(site, at, r.getBoolean("scanning"), new HashSet<>(Arrays.asList(r.getArrayOfStrings("devices_online"))));
                }
            }
            Uni<Void> stored = intervals.size() >= chunks.storeIntervals() ? intervals.store(tx, sql) : Uni.createFrom().voidItem();
            return stored.chain(() -> cursor.hasMore() ? readObservations(cursor, chunks, timelines, intervals, tx, sql) : cursor.close());
        });
    }

    /** The intervals the load's end found, waiting to be stored. */
    private static final class LoadedIntervals implements SiteTimelines.Sink {
        private List<String> sites = new ArrayList<>();
        private List<String> macs = new ArrayList<>();
        private List<OnlineInterval> found = new ArrayList<>();

        @Override
        public void interval(String site, String mac, OnlineInterval interval) {
            sites.add(site);
            macs.add(mac);
            found.add(interval);
        }

        int size() {
            return found.size();
        }

        /** Stores those found so far in one statement. */
        Uni<Void> store(SqlConnection tx, Statements sql) {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Tuple rows = intervalRows(sites, macs, found);
            sites = new ArrayList<>();
            macs = new ArrayList<>();
            found = new ArrayList<>();
            return tx.preparedQuery(sql.of(INSERT_INTERVALS)).execute(rows).replaceWithVoid();
        }
    }

    // ---- the batch -------------------------------------------------------------------------------------------

    /** A batch's events, and what folding it found out along the way. */
    private static final class Work {
        final List<EventEnvelope> changes = new ArrayList<>();
        final List<EventEnvelope> heartbeats = new ArrayList<>();
        final List<EventEnvelope> hours = new ArrayList<>();
        final int relevant;
        int fresh;
        /** Per employee, the hull of the time ranges whose presence may have changed (null end: open). */
        final Map<Employee, Instant[]> dirty = new LinkedHashMap<>();

        Work(List<EventEnvelope> events) {
            int n = 0;
            for (EventEnvelope e : events) {
                if (e.data() instanceof DeviceStateChanged) {
                    changes.add(e);
                    n++;
                } else if (e.data() instanceof AgentHeartbeat h) {
                    if (tellsPresence(h)) {
                        heartbeats.add(e);
                        n++;
                    }
                } else if (e.data() instanceof PresenceHourReported) {
                    hours.add(e);
                    n++;
                } else if (RosterFacts.isRoster(e)) {
                    n++;
                }
            }
            relevant = n;
        }

        /** No events: everyone given recomputed over their whole history. */
        static Work recomputing(List<Employee> employees) {
            Work w = new Work(List.of());
            employees.forEach(e -> w.dirty(e.site(), e.employeeId(), BEGINNING, null));
            return w;
        }

        void dirty(String site, String employeeId, Instant from, Instant to) {
            dirty.merge(new Employee(site, employeeId), new Instant[] {from, to}, (a, b) -> new Instant[] {
                    a[0].isBefore(b[0]) ? a[0] : b[0],
                    a[1] == null || b[1] == null ? null : a[1].isAfter(b[1]) ? a[1] : b[1]});
        }
    }

    /**
     * Whether a heartbeat says anything about presence: a network agent's (it reports its scans, so a device it does
     * not list was not seen), one listing devices online, or one listing employees present (StaffTrace's, for the
     * report-service's "now"). A workstation agent's heartbeat says none of that: it is the agents projection's alone,
     * and presence-day neither stores it nor reads past it (it counts as skipped). Most heartbeats are workstation
     * agents', one per PC every 5 minutes; stored, each device's refold read through all of them.
     */
    static boolean tellsPresence(AgentHeartbeat h) {
        return h.lastScanMillis() != null || !h.devicesOnline().isEmpty() || h.employeesPresent() != null;
    }

    record Employee(String site, String employeeId) {
    }

    // ---- roster changes -> dirty employees -------------------------------------------------------------------

    private Uni<Void> markRosterChanges(SqlConnection tx, Statements sql, Work work, RosterFacts.Changes roster) {
        for (RosterFacts.SiteAssignment a : roster.assignments()) {
            work.dirty(a.site(), a.assignment().employeeId(), a.assignment().validFrom(), a.assignment().validTo());
        }
        // a StaffTrace id now stands for another employee: both are recomputed (an unmapped id stands for itself)
        for (RosterFacts.StaffTraceIdChange c : roster.staffTraceIds()) {
            work.dirty(c.site(), c.before() == null ? c.staffTraceId() : c.before(), BEGINNING, null);
            work.dirty(c.site(), c.after() == null ? c.staffTraceId() : c.after(), BEGINNING, null);
        }
        if (roster.sites().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // a site's zone or grace changed: all of its attendance is recomputed with the rules now in force
        return tx.preparedQuery(sql.of(EMPLOYEES_OF_SITES)).execute(Tuple.of(roster.sites().toArray(String[]::new)))
                .invoke(rows -> rows.forEach(r -> work.dirty(r.getString("site"), r.getString("employee_id"), BEGINNING, null)))
                .replaceWithVoid();
    }

    // ---- level 1: StaffTrace's hourly summaries ---------------------------------------------------------------

    /**
     * Stores the batch's hourly summaries (the latest of each hour wins) and marks their employees' stretch around
     * them dirty: an hour before the first sighting to an hour after the last covers the summary it may replace,
     * which lies in the same local hour.
     */
    private static Uni<Void> foldHours(SqlConnection tx, Statements sql, Work work) {
        if (work.hours.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // the employee each summary's StaffTrace id stands for now (the roster of this batch is already folded)
        String[] employees = work.hours.stream().map(e -> ((PresenceHourReported) e.data()).employeeId()).toArray(String[]::new);
        return tx.preparedQuery(sql.of(STAFFTRACE_EMPLOYEES)).execute(Tuple.of(
                        work.hours.stream().map(EventEnvelope::site).toArray(String[]::new), employees.clone()))
                .invoke(found -> found.forEach(r -> employees[index(r)] = r.getString("employee_id")))
                .invoke(() -> {
                    for (int i = 0; i < employees.length; i++) {
                        EventEnvelope e = work.hours.get(i);
                        PresenceHourReported h = (PresenceHourReported) e.data();
                        work.dirty(e.site(), employees[i], h.firstSeen().minus(Duration.ofHours(1)), h.lastSeen().plus(Duration.ofHours(1)));
                    }
                })
                .chain(() -> storeHours(tx, sql, work));
    }

    /** Stores the batch's hourly summaries (the latest of each hour wins); counts the new ones. */
    private static Uni<Void> storeHours(SqlConnection tx, Statements sql, Work work) {
        if (work.hours.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        for (EventEnvelope e : work.hours) {
            PresenceHourReported h = (PresenceHourReported) e.data();
            rows.add(Tuple.tuple().addString(e.site()).addString(h.employeeId()).addLocalDate(h.date()).addInteger(h.hour())
                    .addOffsetDateTime(utc(h.firstSeen())).addOffsetDateTime(utc(h.lastSeen())).addInteger(h.minutesOnline())
                    .addOffsetDateTime(utc(e.time())).addUUID(e.id()));
        }
        return tx.preparedQuery(sql.of(STORE_HOUR)).executeBatch(rows).map(RosterFacts::countRows)
                .invoke(n -> work.fresh += n).replaceWithVoid();
    }

    /**
     * An hour's summary as stretches of presence, so that its minutes present are its {@code minutesOnline}, it
     * arrives at {@code firstSeen} and leaves with the last minute seen:
     * <ul>
     *   <li>online at least as long as first to last sighting: one stretch from the first sighting, {@code minutesOnline}
     *       long or to the last sighting, whichever is later (as before gaps were looked at);</li>
     *   <li>a gap inside (fewer minutes online than first to last sighting): StaffTrace does not say where the gap
     *       was, so it is put in one piece before the last sighting: present from the first sighting for
     *       {@code minutesOnline} less one minute, and for the minute seen last ({@code lastSeen} to a minute later).
     *       With a gap longer than the site's grace period that is two sessions, as the phone's own offline and online
     *       would have made; a single minute online is half a minute at each end;</li>
     *   <li>none when no minute was online.</li>
     * </ul>
     */
    static List<PresenceSpan> hourSpans(Instant firstSeen, Instant lastSeen, int minutesOnline) {
        Duration online = Duration.ofMinutes(minutesOnline);
        if (online.isZero()) {
            return List.of();
        }
        if (online.compareTo(Duration.between(firstSeen, lastSeen)) >= 0) {
            Instant end = firstSeen.plus(online);
            return List.of(new PresenceSpan(firstSeen, end.isAfter(lastSeen) ? end : lastSeen));
        }
        Duration tail = online.compareTo(Duration.ofMinutes(2)) >= 0 ? Duration.ofMinutes(1) : online.dividedBy(2);
        Instant end = lastSeen.plus(Duration.ofMinutes(1));
        return List.of(new PresenceSpan(firstSeen, firstSeen.plus(online.minus(tail))), new PresenceSpan(end.minus(tail), end));
    }

    // ---- level 1: device online intervals ------------------------------------------------------------------

    /** One device's part of a batch: the times of its new observations, its window, the re-folded observations. */
    private static final class DeviceRefold {
        final Device device;
        Instant lo;
        Instant hi;
        DeviceWindow window;
        /** The window's bounds as SQL compares them: microseconds, no bound as the stand-ins. */
        Instant from;
        Instant until;
        final List<DeviceObservation> observations = new ArrayList<>();
        final Set<OnlineInterval> replaced = new HashSet<>();
        List<OnlineInterval> refolded;

        DeviceRefold(Device device) {
            this.device = device;
        }

        void at(Instant t) {
            lo = lo == null || t.isBefore(lo) ? t : lo;
            hi = hi == null || t.isAfter(hi) ? t : hi;
        }
    }

    private Uni<Void> foldDevices(SqlConnection tx, Statements sql, Work work) {
        if (work.changes.isEmpty() && work.heartbeats.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<Device, DeviceRefold> refolds = new LinkedHashMap<>();
        Function<Device, DeviceRefold> refold = d -> refolds.computeIfAbsent(d, DeviceRefold::new);
        for (EventEnvelope e : work.changes) {
            refold.apply(new Device(e.site(), ((DeviceStateChanged) e.data()).mac())).at(e.time());
        }
        List<EventEnvelope> scanning = new ArrayList<>();
        for (EventEnvelope e : work.heartbeats) {
            AgentHeartbeat h = (AgentHeartbeat) e.data();
            h.devicesOnline().forEach(mac -> refold.apply(new Device(e.site(), mac)).at(e.time()));
            if (h.lastScanMillis() != null) {
                scanning.add(e);
            }
        }
        // a scanning agent's heartbeat also closes the devices it no longer lists: those online then
        Uni<Void> touched = scanning.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql.of(CLOSED_AT_HEARTBEATS)).execute(Tuple.of(
                                scanning.stream().map(EventEnvelope::site).toArray(String[]::new),
                                scanning.stream().map(e -> utc(e.time())).toArray(OffsetDateTime[]::new)))
                        .invoke(rows -> rows.forEach(r -> {
                            EventEnvelope h = scanning.get(index(r));
                            refold.apply(new Device(h.site(), r.getString("mac"))).at(h.time());
                        }))
                        .chain(() -> tx.preparedQuery(sql.of(OPEN_INTERVALS)).execute(Tuple.of(
                                scanning.stream().map(EventEnvelope::site).distinct().toArray(String[]::new))))
                        .invoke(rows -> rows.forEach(r -> {
                            String site = r.getString("site");
                            Instant start = r.getOffsetDateTime("start_at").toInstant();
                            for (EventEnvelope h : scanning) {
                                // as SQL compared them: the heartbeat's time at PostgreSQL's precision
                                if (h.site().equals(site) && !start.isAfter(h.time().truncatedTo(ChronoUnit.MICROS))) {
                                    refold.apply(new Device(site, r.getString("mac"))).at(h.time());
                                }
                            }
                        })).replaceWithVoid();
        return touched
                .chain(() -> {
                    List<DeviceRefold> all = List.copyOf(refolds.values());
                    return tx.preparedQuery(sql.of(DEVICE_WINDOWS)).execute(deviceRanges(all, f -> f.lo, f -> f.hi))
                            .invoke(rows -> rows.forEach(r -> {
                                DeviceRefold f = all.get(index(r));
                                f.window = new DeviceWindow(f.lo, instant(r.getOffsetDateTime("closing_at")),
                                        instant(r.getOffsetDateTime("open_since")));
                            }))
                            .chain(() -> store(tx, sql, work))
                            .chain(() -> tx.preparedQuery(sql.of(OBSERVATIONS)).execute(
                                    deviceRanges(all, f -> f.window.lo(), f -> f.window.to())))
                            .invoke(rows -> rows.forEach(r -> all.get(index(r)).observations.add(observation(r))))
                            .chain(() -> heartbeatObservations(tx, sql, all))
                            .chain(() -> tx.preparedQuery(sql.of(INTERVALS_IN)).execute(
                                    deviceRanges(all, f -> f.window.replacesFrom(), f -> f.window.to())))
                            .invoke(rows -> rows.forEach(r -> all.get(index(r)).replaced.add(interval(r))))
                            .chain(() -> replaceIntervals(tx, sql, all))
                            .chain(() -> {
                                // most heartbeats only confirm what is known: no interval changed, nobody to recompute
                                List<DeviceRefold> changed = all.stream()
                                        .filter(f -> !f.replaced.equals(new HashSet<>(f.refolded))).toList();
                                return changed.isEmpty() ? Uni.createFrom().voidItem()
                                        : tx.preparedQuery(sql.of(ASSIGNMENTS_OF_DEVICES)).execute(
                                                deviceRanges(changed, f -> f.window.replacesFrom(), f -> f.window.to()))
                                        .invoke(rows -> rows.forEach(r -> {
                                            DeviceRefold f = changed.get(index(r));
                                            work.dirty(f.device.site(), r.getString("employee_id"), f.window.replacesFrom(), f.window.to());
                                        }))
                                        .replaceWithVoid();
                            })
                            .replaceWithVoid();
                });
    }

    /** Stores the batch's state changes and heartbeats, once each; counts the new ones. */
    private static Uni<Void> store(SqlConnection tx, Statements sql, Work work) {
        List<DeviceStateChanged> changed = work.changes.stream().map(e -> (DeviceStateChanged) e.data()).toList();
        Tuple changes = Tuple.tuple().addArrayOfUUID(work.changes.stream().map(EventEnvelope::id).toArray(UUID[]::new))
                .addArrayOfString(work.changes.stream().map(EventEnvelope::site).toArray(String[]::new))
                .addArrayOfString(changed.stream().map(DeviceStateChanged::mac).toArray(String[]::new))
                .addArrayOfString(changed.stream().map(c -> c.state().wire()).toArray(String[]::new))
                .addArrayOfString(changed.stream().map(DeviceStateChanged::ip).toArray(String[]::new))
                .addArrayOfOffsetDateTime(work.changes.stream().map(e -> utc(e.time())).toArray(OffsetDateTime[]::new))
                .addArrayOfString(work.changes.stream().map(EventEnvelope::source).toArray(String[]::new));
        List<Tuple> heartbeats = work.heartbeats.stream().map(e -> {
            AgentHeartbeat h = (AgentHeartbeat) e.data();
            return Tuple.tuple().addUUID(e.id()).addString(e.site()).addString(h.agentId()).addString(h.host())
                    .addString(h.version()).addOffsetDateTime(utc(e.time())).addBoolean(h.lastScanMillis() != null)
                    .addArrayOfString(h.devicesOnline().toArray(String[]::new))
                    .addArrayOfString(h.employeesPresent() == null ? null : h.employeesPresent().toArray(String[]::new));
        }).toList();
        Uni<Integer> a = work.changes.isEmpty() ? Uni.createFrom().item(0)
                : tx.preparedQuery(sql.of(STORE_DEVICE_EVENTS)).execute(changes).map(RosterFacts::countRows);
        return a.chain(n -> (heartbeats.isEmpty() ? Uni.createFrom().item(0)
                        : tx.preparedQuery(sql.of(STORE_HEARTBEAT)).executeBatch(heartbeats).map(RosterFacts::countRows))
                .invoke(m -> work.fresh += n + m)).replaceWithVoid();
    }

    /**
     * Re-folds each device's window and writes only what differs from the stored intervals it replaces: the stale ones
     * deleted, the new ones inserted. Most re-folds are of heartbeats confirming a device online, which change no
     * interval; rewriting all of them was most of a rebuild's writes.
     */
    private static Uni<Void> replaceIntervals(SqlConnection tx, Statements sql, List<DeviceRefold> refolds) {
        List<String> staleSites = new ArrayList<>();
        List<String> staleMacs = new ArrayList<>();
        List<OffsetDateTime> staleStarts = new ArrayList<>();
        List<OnlineInterval> inserts = new ArrayList<>();
        List<Device> insertedFor = new ArrayList<>();
        for (DeviceRefold f : refolds) {
            f.refolded = OnlineIntervals.fold(f.window.openSince(), f.observations);
            Set<OnlineInterval> refolded = new HashSet<>(f.refolded);
            for (OnlineInterval i : f.replaced) {
                if (!refolded.contains(i)) {
                    staleSites.add(f.device.site());
                    staleMacs.add(f.device.mac());
                    staleStarts.add(utc(i.start()));
                }
            }
            for (OnlineInterval i : f.refolded) {
                if (!f.replaced.contains(i)) {
                    inserts.add(i);
                    insertedFor.add(f.device);
                }
            }
        }
        Uni<Void> deleted = staleStarts.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql.of(DELETE_INTERVALS)).execute(Tuple.of(staleSites.toArray(String[]::new),
                        staleMacs.toArray(String[]::new), staleStarts.toArray(OffsetDateTime[]::new))).replaceWithVoid();
        return deleted.chain(() -> inserts.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql.of(INSERT_INTERVALS)).execute(intervalRows(insertedFor.stream().map(Device::site).toList(),
                        insertedFor.stream().map(Device::mac).toList(), inserts)).replaceWithVoid());
    }

    /** {@link #INSERT_INTERVALS}'s parameters: the intervals as columns. */
    private static Tuple intervalRows(List<String> sites, List<String> macs, List<OnlineInterval> intervals) {
        return Tuple.tuple().addArrayOfString(sites.toArray(String[]::new)).addArrayOfString(macs.toArray(String[]::new))
                .addArrayOfOffsetDateTime(intervals.stream().map(i -> utc(i.start())).toArray(OffsetDateTime[]::new))
                .addArrayOfOffsetDateTime(intervals.stream().map(i -> i.end() == null ? null : utc(i.end())).toArray(OffsetDateTime[]::new))
                .addArrayOfString(intervals.stream().map(i -> i.endedBy() == null ? null : i.endedBy().wire()).toArray(String[]::new));
    }

    /**
     * Adds to each device's observations the heartbeats in its window, as the device's stored changes are added: one
     * listing the device saw it; a scanning agent's that does not list it found it missing; others say nothing of it.
     * The windows' bounds are compared at PostgreSQL's precision (microseconds), as {@code BETWEEN} compared them.
     */
    private static Uni<Void> heartbeatObservations(SqlConnection tx, Statements sql, List<DeviceRefold> all) {
        Map<String, List<DeviceRefold>> bySite = new LinkedHashMap<>();
        for (DeviceRefold f : all) {
            f.from = bound(f.window.lo(), BEGINNING).toInstant().truncatedTo(ChronoUnit.MICROS);
            f.until = bound(f.window.to(), END).toInstant().truncatedTo(ChronoUnit.MICROS);
            bySite.computeIfAbsent(f.device.site(), s -> new ArrayList<>()).add(f);
        }
        List<String> sites = new ArrayList<>();
        List<OffsetDateTime> los = new ArrayList<>();
        List<OffsetDateTime> his = new ArrayList<>();
        for (Map.Entry<String, List<DeviceRefold>> e : bySite.entrySet()) {
            // the union of the site's windows as stretches that do not overlap, so that each heartbeat is read once
            List<DeviceRefold> byStart = e.getValue().stream().sorted(Comparator.comparing((DeviceRefold f) -> f.from)).toList();
            Instant lo = null;
            Instant hi = null;
            for (DeviceRefold f : byStart) {
                if (hi != null && !f.from.isAfter(hi)) {
                    hi = f.until.isAfter(hi) ? f.until : hi;
                    continue;
                }
                if (lo != null) {
                    sites.add(e.getKey());
                    los.add(utc(lo));
                    his.add(utc(hi));
                }
                lo = f.from;
                hi = f.until;
            }
            sites.add(e.getKey());
            los.add(utc(lo));
            his.add(utc(hi));
        }
        return tx.preparedQuery(sql.of(HEARTBEATS_IN)).execute(Tuple.of(sites.toArray(String[]::new),
                        los.toArray(OffsetDateTime[]::new), his.toArray(OffsetDateTime[]::new)))
                .invoke(rows -> rows.forEach(r -> {
                    Instant at = r.getOffsetDateTime("occurred_at").toInstant();
                    boolean scanning = r.getBoolean("scanning");
                    Set<String> listed = new HashSet<>(Arrays.asList(r.getArrayOfStrings("devices_online")));
                    UUID id = r.getUUID("event_id");
                    for (DeviceRefold f : bySite.get(sites.get(index(r)))) {
                        if (at.isBefore(f.from) || at.isAfter(f.until)) {
                            continue;
                        }
                        if (listed.contains(f.device.mac())) {
                            f.observations.add(new DeviceObservation(id, at, DeviceObservation.Kind.SEEN));
                        } else if (scanning) {
                            f.observations.add(new DeviceObservation(id, at, DeviceObservation.Kind.MISSING));
                        }
                    }
                }))
                .replaceWithVoid();
    }

    private static Tuple deviceRanges(List<DeviceRefold> refolds, Function<DeviceRefold, Instant> lo, Function<DeviceRefold, Instant> hi) {
        return Tuple.of(refolds.stream().map(f -> f.device.site()).toArray(String[]::new),
                refolds.stream().map(f -> f.device.mac()).toArray(String[]::new),
                refolds.stream().map(f -> bound(lo.apply(f), BEGINNING)).toArray(OffsetDateTime[]::new),
                refolds.stream().map(f -> bound(hi.apply(f), END)).toArray(OffsetDateTime[]::new));
    }

    private static DeviceObservation observation(Row r) {
        DeviceObservation.Kind kind = switch (r.getString("kind")) {
            case "online" -> DeviceObservation.Kind.ONLINE;
            case "offline" -> DeviceObservation.Kind.OFFLINE;
            case "seen" -> DeviceObservation.Kind.SEEN;
            default -> DeviceObservation.Kind.MISSING;
        };
        return new DeviceObservation(r.getUUID("event_id"), r.getOffsetDateTime("occurred_at").toInstant(), kind);
    }

    // ---- level 2: sessions and days per employee -----------------------------------------------------------

    /** One employee's recompute: the range that changed, the stretch of sessions it affects, what was found. */
    private static final class Recompute {
        final Employee employee;
        final Instant a;
        final Instant b;
        final Rules rules;
        final List<AttendanceSession> touching = new ArrayList<>();
        final Map<String, Set<OnlineInterval>> intervals = new HashMap<>();
        final Set<DeviceAssignment> assignments = new LinkedHashSet<>();
        final List<PresenceSpan> hourSpans = new ArrayList<>();
        final TreeSet<LocalDate> days = new TreeSet<>();
        SessionWindow window;
        List<AttendanceSession> sessions;

        Recompute(Employee employee, Instant[] range, Rules rules) {
            this.employee = employee;
            this.a = range[0];
            this.b = range[1];
            this.rules = rules;
        }

        SessionWindow reach() {
            return SessionWindow.reach(a, b, rules.grace());
        }
    }

    /** A site's presence rules: from its roster entry, else from configuration. */
    record Rules(ZoneId zone, Duration grace) {
    }

    private Uni<Void> recomputeAttendance(SqlConnection tx, Statements sql, Work work) {
        if (work.dirty.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> sites = new LinkedHashSet<>();
        work.dirty.keySet().forEach(e -> sites.add(e.site()));
        Map<String, Rules> rules = new HashMap<>();
        return tx.preparedQuery(sql.of(SITE_RULES)).execute(Tuple.of(sites.toArray(String[]::new)))
                .invoke(rows -> rows.forEach(r -> rules.put(r.getString("site"),
                        new Rules(ZoneId.of(r.getString("zone")), Duration.ofMinutes(r.getInteger("presence_grace_minutes"))))))
                .chain(() -> {
                    List<Recompute> all = new ArrayList<>();
                    work.dirty.forEach((e, range) -> all.add(new Recompute(e, range,
                            rules.computeIfAbsent(e.site(), s -> new Rules(config.zoneOf(s), config.presence().defaultGrace())))));
                    return tx.preparedQuery(sql.of(SESSIONS_TOUCHING)).execute(employeeRanges(all, Recompute::reach))
                            .invoke(rows -> rows.forEach(r -> all.get(index(r)).touching.add(session(r))))
                            .invoke(() -> all.forEach(c -> c.window = SessionWindow.around(c.a, c.b, c.touching)))
                            .chain(() -> tx.preparedQuery(sql.of(SPAN_SOURCES)).execute(employeeRanges(all, c -> c.window)))
                            .invoke(rows -> rows.forEach(r -> {
                                Recompute c = all.get(index(r));
                                String mac = r.getString("mac");
                                c.assignments.add(new DeviceAssignment(mac, c.employee.employeeId(), r.getString("label"),
                                        instant(r.getOffsetDateTime("valid_from")), instant(r.getOffsetDateTime("valid_to"))));
                                c.intervals.computeIfAbsent(mac, k -> new LinkedHashSet<>()).add(interval(r));
                            }))
                            .chain(() -> tx.preparedQuery(sql.of(HOUR_SPANS)).execute(employeeRanges(all, c -> c.window)))
                            .invoke(rows -> rows.forEach(r -> {
                                all.get(index(r)).hourSpans.addAll(hourSpans(r.getOffsetDateTime("first_seen").toInstant(),
                                        r.getOffsetDateTime("last_seen").toInstant(), r.getInteger("minutes_online")));
                            }))
                            .chain(() -> tx.preparedQuery(sql.of(DELETE_SESSIONS)).execute(employeeRanges(all, c -> c.window)))
                            .invoke(rows -> rows.forEach(r -> all.get(index(r)).days.add(r.getLocalDate("local_date"))))
                            .chain(() -> insertSessions(tx, sql, all))
                            .chain(() -> resumDays(tx, sql, all));
                });
    }

    private static Uni<Void> insertSessions(SqlConnection tx, Statements sql, List<Recompute> all) {
        Columns inserts = new Columns(5);
        for (Recompute c : all) {
            List<PresenceSpan> spans = java.util.stream.Stream.concat(Attendance.spans(c.intervals, c.assignments).stream(),
                            c.hourSpans.stream())
                    .filter(s -> c.window.touches(s.start(), s.end())).toList();
            c.sessions = Attendance.sessions(spans, c.rules.grace());
            for (AttendanceSession s : c.sessions) {
                LocalDate day = s.localDate(c.rules.zone());
                c.days.add(day);
                inserts.add(c.employee.site(), c.employee.employeeId(), day, utc(s.start()), s.end() == null ? null : utc(s.end()));
            }
        }
        return inserts.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql.of(INSERT_SESSIONS)).execute(inserts.tuple(String[]::new, String[]::new, LocalDate[]::new,
                        OffsetDateTime[]::new, OffsetDateTime[]::new)).replaceWithVoid();
    }

    /** Sums the changed days' sessions again into their day rows; a day left without sessions has no row. */
    private static Uni<Void> resumDays(SqlConnection tx, Statements sql, List<Recompute> all) {
        record EmployeeDay(Recompute recompute, LocalDate date) {
        }
        List<EmployeeDay> keys = new ArrayList<>();
        all.forEach(c -> c.days.forEach(d -> keys.add(new EmployeeDay(c, d))));
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple query = Tuple.of(keys.stream().map(k -> k.recompute().employee.site()).toArray(String[]::new),
                keys.stream().map(k -> k.recompute().employee.employeeId()).toArray(String[]::new),
                keys.stream().map(EmployeeDay::date).toArray(LocalDate[]::new));
        Map<Integer, List<AttendanceSession>> sessions = new HashMap<>();
        return tx.preparedQuery(sql.of(SESSIONS_OF_DAYS)).execute(query)
                .invoke(rows -> rows.forEach(r -> sessions.computeIfAbsent(index(r), k -> new ArrayList<>()).add(session(r))))
                .chain(() -> tx.preparedQuery(sql.of(DELETE_DAYS)).execute(query))
                .chain(() -> {
                    Columns inserts = new Columns(7);
                    for (int k = 0; k < keys.size(); k++) {
                        EmployeeDay key = keys.get(k);
                        AttendanceDay d = AttendanceDay.of(sessions.getOrDefault(k, List.of()), key.recompute().rules.zone())
                                .get(key.date());
                        if (d != null) {
                            Employee e = key.recompute().employee;
                            inserts.add(e.site(), e.employeeId(), d.date(), utc(d.arrivedAt()), d.leftAt() == null ? null : utc(d.leftAt()),
                                    (int) d.minutesPresent(), d.sessions());
                        }
                    }
                    return inserts.isEmpty() ? Uni.createFrom().voidItem()
                            : tx.preparedQuery(sql.of(INSERT_DAYS)).execute(inserts.tuple(String[]::new, String[]::new,
                                    LocalDate[]::new, OffsetDateTime[]::new, OffsetDateTime[]::new, Integer[]::new, Integer[]::new))
                            .replaceWithVoid();
                });
    }

    private static Tuple employeeRanges(List<Recompute> all, Function<Recompute, SessionWindow> range) {
        List<SessionWindow> w = all.stream().map(range).toList();
        return Tuple.of(all.stream().map(c -> c.employee.site()).toArray(String[]::new),
                all.stream().map(c -> c.employee.employeeId()).toArray(String[]::new),
                w.stream().map(x -> bound(x.from(), BEGINNING)).toArray(OffsetDateTime[]::new),
                w.stream().map(x -> bound(x.to(), END)).toArray(OffsetDateTime[]::new));
    }

    private static OnlineInterval interval(Row r) {
        return new OnlineInterval(instant(r.getOffsetDateTime("start_at")), instant(r.getOffsetDateTime("end_at")),
                OnlineInterval.EndedBy.fromWire(r.getString("ended_by")));
    }

    private static AttendanceSession session(Row r) {
        return new AttendanceSession(instant(r.getOffsetDateTime("start_at")), instant(r.getOffsetDateTime("end_at")));
    }

    private static OffsetDateTime bound(Instant t, Instant unbounded) {
        return utc(t == null ? unbounded : t);
    }

    private static int index(Row r) {
        return (int) (r.getLong("i") - 1);
    }
}
