package dev.rollcall.projection;

import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentEnrolled;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.AgentRevoked;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.projection.agents.Downtime;
import dev.rollcall.projection.agents.Downtimes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static dev.rollcall.projection.RosterFacts.instant;
import static dev.rollcall.projection.RosterFacts.utc;

/**
 * The agent fleet as readers see it ({@code agent_status}, {@code agent_downtime}), folded from
 * {@code rollcall.agents}: every heartbeat is stored once by id; each agent's status is its latest heartbeat
 * (by event time, then id); its gaps (consecutive heartbeats more than {@code projection.agents.offline-after}
 * apart, except after a workstation agent's {@code stopping} heartbeat) are re-folded by the pure {@link Downtimes} over the stretch a batch can change, from the stored
 * heartbeat before the batch's earliest to the one after its latest; self-reported outages are stored once;
 * enrollments and revocations ({@code agent_enrollment}) make an agent known before its first heartbeat and say
 * when it stopped being expected.
 * Late and re-sent heartbeats therefore end in the rows of an in-order fold. Health is not stored: readers judge
 * it against their clock.
 *
 * <p>A new generation loads in bulk ({@code projection.agents.bulk-load}): while it reads the history, {@link #prepareLoad}
 * only appends each batch's heartbeats to a table with neither key nor index (inserting each into the keyed and
 * indexed table was most of a rebuild's time); once caught up, {@link #finishLoading} keeps each once, builds the key
 * and index, and folds every agent's status and gaps from its whole timeline, so the rows are the same.
 */
@ApplicationScoped
public class AgentsProjection implements Projection {

    public static final String NAME = "agents";
    /**
     * 1: heartbeats, status, gaps and reported outages. 2: no gap after a workstation agent's stopping heartbeat.
     * 3: a late heartbeat re-folds the whole of the merged gaps it falls in or next to (before, the part of two gaps
     * merged around a lone heartbeat outside the batch's window could be lost or left unmerged).
     */
    public static final int VERSION = 3;

    static final String AGENT_WINDOWS = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS t(site, agent_id, lo, hi, i)""";

    /** Before the batch is stored: the stored heartbeats just outside the batch's span, per agent. */
    static final String NEIGHBOURS = """
            SELECT t.i,
                (SELECT max(h.occurred_at) FROM agents_heartbeat_g{g} h
                 WHERE h.site = t.site AND h.agent_id = t.agent_id AND h.occurred_at < t.lo) AS before_at,
                (SELECT min(h.occurred_at) FROM agents_heartbeat_g{g} h
                 WHERE h.site = t.site AND h.agent_id = t.agent_id AND h.occurred_at > t.hi) AS after_at
            FROM %s""".formatted(AGENT_WINDOWS);

    /**
     * The batch's heartbeats in one statement, as columns: an INSERT per heartbeat was most of a rebuild's time (most
     * events are heartbeats, and PostgreSQL's cost per statement is several times its cost per row).
     */
    static final String STORE_HEARTBEATS = """
            INSERT INTO agents_heartbeat_g{g} (event_id, site, agent_id, occurred_at, version, host, os, uptime_seconds,
                outbox_depth, last_scan_millis, devices_online, stopping)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
                $8::bigint[], $9::integer[], $10::bigint[], $11::integer[], $12::boolean[])
            ON CONFLICT (event_id) DO NOTHING""";

    /** While loading in bulk: a batch's heartbeats appended as they came, to a table with neither key nor index. */
    static final String LOAD_HEARTBEATS = """
            INSERT INTO agents_heartbeat_load_g{g} (event_id, site, agent_id, occurred_at, version, host, os, uptime_seconds,
                outbox_depth, last_scan_millis, devices_online, stopping)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
                $8::bigint[], $9::integer[], $10::bigint[], $11::integer[], $12::boolean[])""";

    /** While loading in bulk: how many of a batch's other events were folded (counted as folded at the load's end). */
    static final String LOAD_FOLDED = "INSERT INTO agents_load_folded_g{g} (events) VALUES ($1)";

    static final String LOADED_COUNTS = """
            SELECT (SELECT count(*) FROM agents_heartbeat_load_g{g}) AS heartbeats,
                   (SELECT coalesce(sum(events), 0) FROM agents_load_folded_g{g}) AS others""";

    /**
     * The load's end: each loaded heartbeat once by id, the first stored winning (as {@code ON CONFLICT DO NOTHING}),
     * written agent by agent in time order. Sorting a million rows by their text columns took seconds (every comparison
     * reads the row); each agent gets a number in that order, and the rows are sorted by one number made of it and the
     * second. So the index by agent is built over rows already in its order, and the window queries below read them so.
     */
    static final String STORE_LOADED = """
            WITH agents AS (SELECT site, agent_id, row_number() OVER (ORDER BY site COLLATE "C", agent_id COLLATE "C") AS n
                            FROM (SELECT DISTINCT site, agent_id FROM agents_heartbeat_load_g{g}) a)
            INSERT INTO agents_heartbeat_g{g} (event_id, site, agent_id, occurred_at, version, host, os, uptime_seconds,
                outbox_depth, last_scan_millis, devices_online, stopping)
            SELECT d.event_id, d.site, d.agent_id, d.occurred_at, d.version, d.host, d.os, d.uptime_seconds, d.outbox_depth,
                d.last_scan_millis, d.devices_online, d.stopping
            FROM (SELECT DISTINCT ON (event_id) * FROM agents_heartbeat_load_g{g} ORDER BY event_id, seq) d
            JOIN agents a ON a.site = d.site AND a.agent_id = d.agent_id
            ORDER BY (a.n << 40) + extract(epoch FROM d.occurred_at)::bigint, d.occurred_at""";

    /** The load's end: each agent's status from its latest heartbeat (time, then id) and its first. */
    static final String STATUS_OF_LOADED = """
            INSERT INTO agent_status_g{g} (site, agent_id, last_heartbeat_at, first_heartbeat_at, last_event_id, version, host, os,
                uptime_seconds, outbox_depth, last_scan_millis, devices_online, stopping)
            SELECT DISTINCT ON (h.site, h.agent_id) h.site, h.agent_id, h.occurred_at, a.first_at, h.event_id, h.version, h.host,
                h.os, h.uptime_seconds, h.outbox_depth, h.last_scan_millis, h.devices_online, h.stopping
            FROM (SELECT site, agent_id, min(occurred_at) AS first_at, max(occurred_at) AS last_at
                  FROM agents_heartbeat_g{g} GROUP BY site, agent_id) a
            JOIN agents_heartbeat_g{g} h ON h.site = a.site AND h.agent_id = a.agent_id AND h.occurred_at = a.last_at
            ORDER BY h.site, h.agent_id, h.event_id DESC""";

    /**
     * The load's end: every gap between an agent's consecutive heartbeat times longer than the threshold ($1 seconds),
     * unless a heartbeat at its start signed off; as {@link Downtimes#ofBeats} finds them, before they are merged. Of
     * heartbeats at the same time only the last in the window's order has a later next one; whether any of them signed
     * off is the second window's. The window's sort finds the rows in its order, as they were written.
     */
    static final String GAPS_OF_LOADED = """
            SELECT site, agent_id, occurred_at, next_at FROM (
                SELECT site, agent_id, occurred_at,
                    bool_or(stopping AND last_scan_millis IS NULL)
                        OVER (PARTITION BY site COLLATE "C", agent_id COLLATE "C", occurred_at) AS signed_off,
                    lead(occurred_at) OVER (PARTITION BY site COLLATE "C", agent_id COLLATE "C" ORDER BY occurred_at) AS next_at
                FROM agents_heartbeat_g{g}) w
            WHERE NOT signed_off AND next_at > occurred_at + make_interval(secs => $1)
            ORDER BY site COLLATE "C", agent_id COLLATE "C", occurred_at""";

    static final String STORE_GAPS = """
            INSERT INTO agent_gap_g{g} (site, agent_id, start_at, end_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])""";

    static final String DROP_LOADED = "DROP TABLE agents_heartbeat_load_g{g}, agents_load_folded_g{g}";

    static final String ANALYZE = "ANALYZE agents_heartbeat_g{g}";

    static final String STORE_REPORTED = """
            INSERT INTO agent_reported_downtime_g{g} (event_id, site, agent_id, start_at, end_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (event_id) DO NOTHING""";

    static final String HEARTBEATS_IN = """
            SELECT t.i, h.occurred_at, h.stopping AND h.last_scan_millis IS NULL AS signed_off FROM %s
            JOIN agents_heartbeat_g{g} h ON h.site = t.site AND h.agent_id = t.agent_id AND h.occurred_at BETWEEN t.lo AND t.hi"""
            .formatted(AGENT_WINDOWS);

    /**
     * A stored gap across either end of a window: gaps around a lone heartbeat are stored merged, so a window that
     * starts or ends inside one (or where one ends or starts: they would touch) is widened to take it all. Stored
     * gaps do not overlap: the latest starting before an end is the only one that can cross it.
     */
    static final String GAPS_ACROSS = """
            SELECT t.i,
                (SELECT CASE WHEN d.end_at >= t.lo THEN d.start_at END FROM agent_gap_g{g} d
                 WHERE d.site = t.site AND d.agent_id = t.agent_id AND d.start_at < t.lo ORDER BY d.start_at DESC LIMIT 1) AS lo_at,
                (SELECT CASE WHEN d.end_at > t.hi THEN d.end_at END FROM agent_gap_g{g} d
                 WHERE d.site = t.site AND d.agent_id = t.agent_id AND d.start_at <= t.hi ORDER BY d.start_at DESC LIMIT 1) AS hi_at
            FROM %s""".formatted(AGENT_WINDOWS);

    /** Every gap that starts in the window is re-folded: a gap starts at a heartbeat and ends at the next one. */
    static final String DELETE_GAPS = """
            DELETE FROM agent_gap_g{g} d USING %s
            WHERE d.site = t.site AND d.agent_id = t.agent_id AND d.start_at >= t.lo AND d.start_at < t.hi""".formatted(AGENT_WINDOWS);

    static final String INSERT_GAP = """
            INSERT INTO agent_gap_g{g} (site, agent_id, start_at, end_at) VALUES ($1, $2, $3, $4)""";

    /** The latest heartbeat wins (time, then id); the first one seen is kept. */
    static final String UPSERT_STATUS = """
            INSERT INTO agent_status_g{g} AS s (site, agent_id, last_heartbeat_at, first_heartbeat_at, last_event_id, version, host,
                os, uptime_seconds, outbox_depth, last_scan_millis, devices_online, stopping)
            VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (site, agent_id) DO UPDATE SET last_heartbeat_at = EXCLUDED.last_heartbeat_at,
                last_event_id = EXCLUDED.last_event_id, version = EXCLUDED.version, host = EXCLUDED.host, os = EXCLUDED.os,
                uptime_seconds = EXCLUDED.uptime_seconds, outbox_depth = EXCLUDED.outbox_depth,
                last_scan_millis = EXCLUDED.last_scan_millis, devices_online = EXCLUDED.devices_online, stopping = EXCLUDED.stopping
            WHERE (s.last_heartbeat_at, s.last_event_id) < (EXCLUDED.last_heartbeat_at, EXCLUDED.last_event_id)""";

    static final String FIRST_SEEN = """
            UPDATE agent_status_g{g} SET first_heartbeat_at = $3
            WHERE site = $1 AND agent_id = $2 AND first_heartbeat_at > $3""";

    static final String ENROLLED = """
            INSERT INTO agent_enrollment_g{g} AS e (site, agent_id, enrolled_at, host) VALUES ($1, $2, $3, $4)
            ON CONFLICT (site, agent_id) DO UPDATE SET enrolled_at = GREATEST(e.enrolled_at, EXCLUDED.enrolled_at),
                host = COALESCE(EXCLUDED.host, e.host)""";

    static final String REVOKED = """
            INSERT INTO agent_enrollment_g{g} AS e (site, agent_id, revoked_at) VALUES ($1, $2, $3)
            ON CONFLICT (site, agent_id) DO UPDATE SET revoked_at = GREATEST(e.revoked_at, EXCLUDED.revoked_at)""";

    private final ProjectionConfig config;
    private final Map<Integer, Map<String, String>> statements = new ConcurrentHashMap<>();

    public AgentsProjection(ProjectionConfig config) {
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
        return List.of(Topic.AGENTS);
    }

    @Override
    public String rules() {
        return "a downtime is a gap of more than " + config.agents().offlineAfter().toSeconds()
                + " s between heartbeats (not after a workstation agent's stopping heartbeat), or an outage the agent reported";
    }

    @Override
    public ProjectionConfig.Consuming consuming() {
        return config.agents();
    }

    @Override
    public void checkRules() {
        if (!config.agents().offlineAfter().isPositive()) {
            throw new IllegalArgumentException("projection.agents.offline-after must be positive");
        }
    }

    private String sql(int g, String template) {
        return statements.computeIfAbsent(g, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(template, t -> t.replace("{g}", Integer.toString(g)));
    }

    /** One agent's heartbeats in this batch, and the stretch of its timeline they can change. */
    private static final class AgentRefold {
        final String site;
        final String agentId;
        final TreeSet<Instant> batch = new TreeSet<>();
        EventEnvelope latest;
        Instant lo;
        Instant hi;
        final List<Downtimes.Beat> heartbeats = new ArrayList<>();

        AgentRefold(String site, String agentId) {
            this.site = site;
            this.agentId = agentId;
        }
    }

    /** A batch's heartbeats as the columns of {@link #STORE_HEARTBEATS}. */
    private static final class HeartbeatColumns {
        final List<UUID> ids = new ArrayList<>();
        final List<String> sites = new ArrayList<>();
        final List<String> agents = new ArrayList<>();
        final List<OffsetDateTime> times = new ArrayList<>();
        final List<String> versions = new ArrayList<>();
        final List<String> hosts = new ArrayList<>();
        final List<String> oses = new ArrayList<>();
        final List<Long> uptimes = new ArrayList<>();
        final List<Integer> outboxes = new ArrayList<>();
        final List<Long> lastScans = new ArrayList<>();
        final List<Integer> devices = new ArrayList<>();
        final List<Boolean> stopping = new ArrayList<>();

        void add(EventEnvelope e, AgentHeartbeat h) {
            ids.add(e.id());
            sites.add(e.site());
            agents.add(h.agentId());
            times.add(utc(e.time()));
            versions.add(h.version());
            hosts.add(h.host());
            oses.add(h.os());
            uptimes.add(h.uptimeSeconds());
            outboxes.add(h.outboxDepth());
            lastScans.add(h.lastScanMillis());
            devices.add(h.devicesOnline().size());
            stopping.add(h.stopping());
        }

        Tuple tuple() {
            return Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)).addArrayOfString(sites.toArray(String[]::new))
                    .addArrayOfString(agents.toArray(String[]::new)).addArrayOfOffsetDateTime(times.toArray(OffsetDateTime[]::new))
                    .addArrayOfString(versions.toArray(String[]::new)).addArrayOfString(hosts.toArray(String[]::new))
                    .addArrayOfString(oses.toArray(String[]::new)).addArrayOfLong(uptimes.toArray(Long[]::new))
                    .addArrayOfInteger(outboxes.toArray(Integer[]::new)).addArrayOfLong(lastScans.toArray(Long[]::new))
                    .addArrayOfInteger(devices.toArray(Integer[]::new)).addArrayOfBoolean(stopping.toArray(Boolean[]::new));
        }
    }

    /** A batch's events by kind: the heartbeats per agent and as columns; the others, few, folded as they come. */
    private static final class Parts {
        final Map<List<String>, AgentRefold> agents = new LinkedHashMap<>();
        final HeartbeatColumns heartbeats = new HeartbeatColumns();
        final List<Tuple> reported = new ArrayList<>();
        final List<Tuple> enrolled = new ArrayList<>();
        final List<Tuple> revoked = new ArrayList<>();

        static Parts of(PartitionBatch batch) {
            Parts p = new Parts();
            for (EventEnvelope e : batch.events()) {
                if (e.data() instanceof AgentHeartbeat h) {
                    AgentRefold a = p.agents.computeIfAbsent(List.of(e.site(), h.agentId()), k -> new AgentRefold(e.site(), h.agentId()));
                    a.batch.add(e.time());
                    if (a.latest == null || NEWEST.compare(e, a.latest) > 0) {
                        a.latest = e;
                    }
                    p.heartbeats.add(e, h);
                } else if (e.data() instanceof AgentDowntimeReported d) {
                    p.reported.add(Tuple.tuple().addUUID(e.id()).addString(e.site()).addString(e.subject() != null ? e.subject() : e.source())
                            .addOffsetDateTime(utc(d.start())).addOffsetDateTime(utc(d.end())));
                } else if (e.data() instanceof AgentEnrolled a) {
                    p.enrolled.add(Tuple.of(e.site(), a.agentId(), utc(e.time()), a.host()));
                } else if (e.data() instanceof AgentRevoked r) {
                    p.revoked.add(Tuple.of(e.site(), r.agentId(), utc(e.time())));
                }
            }
            return p;
        }

        int others() {
            return reported.size() + enrolled.size() + revoked.size();
        }
    }

    /**
     * The latest heartbeat: by time, then by id as PostgreSQL orders uuids (byte by byte, unsigned), so that a batch
     * picks the one {@link #UPSERT_STATUS} would across batches.
     */
    static final Comparator<EventEnvelope> NEWEST = Comparator.comparing(EventEnvelope::time)
            .thenComparing(EventEnvelope::id, AgentsProjection::compareAsPostgres);

    static int compareAsPostgres(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Override
    public Uni<Folded> fold(SqlConnection tx, int generation, PartitionBatch batch) {
        Parts p = Parts.of(batch);
        if (p.heartbeats.ids.isEmpty() && p.others() == 0) {
            return Uni.createFrom().item(Folded.NOTHING);
        }
        int total = p.heartbeats.ids.size() + p.others();
        List<AgentRefold> all = List.copyOf(p.agents.values());
        Uni<Void> neighbours = all.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql(generation, NEIGHBOURS)).execute(windows(all, a -> a.batch.first(), a -> a.batch.last()))
                .invoke(rows -> rows.forEach(r -> {
                    AgentRefold a = all.get((int) (r.getLong("i") - 1));
                    Instant before = instant(r.getOffsetDateTime("before_at"));
                    Instant after = instant(r.getOffsetDateTime("after_at"));
                    a.lo = before != null ? before : a.batch.first();
                    a.hi = after != null ? after : a.batch.last();
                })).replaceWithVoid();
        int[] fresh = {0};
        return neighbours
                .chain(() -> p.heartbeats.ids.isEmpty() ? Uni.createFrom().item(0)
                        : tx.preparedQuery(sql(generation, STORE_HEARTBEATS)).execute(p.heartbeats.tuple()).map(RosterFacts::countRows))
                .invoke(n -> fresh[0] += n)
                .chain(() -> foldOthers(tx, generation, p))
                .invoke(n -> fresh[0] += n)
                .chain(() -> all.isEmpty() ? Uni.createFrom().voidItem() : refoldGaps(tx, generation, all).chain(() -> status(tx, generation, all)))
                .map(x -> new Folded(fresh[0], total - fresh[0]));
    }

    /** Stores the batch's reported outages (once by id), enrollments and revocations; how many were new. */
    private Uni<Integer> foldOthers(SqlConnection tx, int g, Parts p) {
        // enrollment events are idempotent upserts: each counts as folded
        int upserts = p.enrolled.size() + p.revoked.size();
        return (p.reported.isEmpty() ? Uni.createFrom().item(0)
                        : tx.preparedQuery(sql(g, STORE_REPORTED)).executeBatch(p.reported).map(RosterFacts::countRows))
                .call(() -> p.enrolled.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(sql(g, ENROLLED)).executeBatch(p.enrolled).replaceWithVoid())
                .call(() -> p.revoked.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(sql(g, REVOKED)).executeBatch(p.revoked).replaceWithVoid())
                .map(reported -> reported + upserts);
    }

    @Override
    public boolean loadsInBulk() {
        return config.agents().bulkLoad();
    }

    /**
     * Appends the batch's heartbeats, re-sent ones too, to the load's table, in one statement; folds its other events
     * (outages, enrollments) as {@link #fold} does, and records how many it folded.
     */
    @Override
    public Load prepareLoad(int generation, PartitionBatch batch) {
        Parts p = Parts.of(batch);
        int beats = p.heartbeats.ids.size();
        Tuple columns = beats == 0 ? null : p.heartbeats.tuple();
        return tx -> (columns == null ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(sql(generation, LOAD_HEARTBEATS)).execute(columns).replaceWithVoid())
                .chain(() -> p.others() == 0 ? Uni.createFrom().item(0) : foldOthers(tx, generation, p))
                .call(others -> others == 0 ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(sql(generation, LOAD_FOLDED)).execute(Tuple.of(others)).replaceWithVoid())
                .map(others -> new Folded(beats + others, p.others() - others));
    }

    /**
     * Folds the loaded heartbeats as {@link #fold} would have, batch by batch: stores each once (by id), builds the
     * heartbeats' key and index, each agent's status from its latest, and its gaps (found in SQL, merged by
     * {@link Downtimes#merged}); then drops the load's tables.
     */
    @Override
    public Uni<Folded> finishLoading(SqlConnection tx, Pool reader, int generation) {
        long[] counts = new long[2];
        return tx.query("SET LOCAL work_mem = '256MB'").execute() // the sorts by id and by agent
                .chain(() -> tx.query("SET LOCAL maintenance_work_mem = '256MB'").execute()) // the key and index
                .chain(() -> tx.query(sql(generation, LOADED_COUNTS)).execute())
                .invoke(rows -> {
                    Row r = rows.iterator().next();
                    counts[0] = r.getLong("heartbeats");
                    counts[1] = r.getLong("others");
                })
                // the agents' numbers are few: hashed, not sorted with the million rows they are joined to
                .chain(() -> tx.query("SET LOCAL enable_mergejoin = off").execute())
                .chain(() -> tx.query(sql(generation, STORE_LOADED)).execute())
                .call(() -> tx.query("RESET enable_mergejoin").execute())
                .chain(stored -> tx.preparedQuery("SELECT rollcall_agents_heartbeat_index($1)").execute(Tuple.of(generation))
                        .chain(() -> tx.query(sql(generation, ANALYZE)).execute()) // the planner's view of a table that grew all at once
                        .chain(() -> tx.query(sql(generation, STATUS_OF_LOADED)).execute())
                        .chain(() -> tx.preparedQuery(sql(generation, GAPS_OF_LOADED))
                                .execute(Tuple.of(config.agents().offlineAfter().toNanos() / 1e9)))
                        .chain(gaps -> storeGaps(tx, generation, gaps))
                        .chain(() -> tx.query(sql(generation, DROP_LOADED)).execute())
                        .map(done -> new Folded((int) (stored.rowCount() + counts[1]), (int) (counts[0] - stored.rowCount()))));
    }

    /** Merges each agent's gaps and stores them in one statement. */
    private Uni<Void> storeGaps(SqlConnection tx, int g, RowSet<Row> gaps) {
        Map<List<String>, List<Downtime>> byAgent = new LinkedHashMap<>();
        for (Row r : gaps) {
            byAgent.computeIfAbsent(List.of(r.getString(0), r.getString(1)), k -> new ArrayList<>())
                    .add(new Downtime(r.getOffsetDateTime(2).toInstant(), r.getOffsetDateTime(3).toInstant(), Downtime.Cause.GAP));
        }
        List<String> sites = new ArrayList<>();
        List<String> agentIds = new ArrayList<>();
        List<OffsetDateTime> starts = new ArrayList<>();
        List<OffsetDateTime> ends = new ArrayList<>();
        byAgent.forEach((agent, agentGaps) -> Downtimes.merged(agentGaps).forEach(d -> {
            sites.add(agent.get(0));
            agentIds.add(agent.get(1));
            starts.add(utc(d.start()));
            ends.add(utc(d.end()));
        }));
        return sites.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql(g, STORE_GAPS)).execute(Tuple.of(sites.toArray(String[]::new), agentIds.toArray(String[]::new),
                        starts.toArray(OffsetDateTime[]::new), ends.toArray(OffsetDateTime[]::new))).replaceWithVoid();
    }

    private Uni<Void> refoldGaps(SqlConnection tx, int g, List<AgentRefold> all) {
        return tx.preparedQuery(sql(g, GAPS_ACROSS)).execute(windows(all, a -> a.lo, a -> a.hi))
                .invoke(rows -> rows.forEach(r -> {
                    AgentRefold a = all.get((int) (r.getLong("i") - 1));
                    Instant lo = instant(r.getOffsetDateTime("lo_at"));
                    Instant hi = instant(r.getOffsetDateTime("hi_at"));
                    a.lo = lo != null ? lo : a.lo;
                    a.hi = hi != null ? hi : a.hi;
                }))
                .chain(() -> refoldGapsIn(tx, g, all, windows(all, a -> a.lo, a -> a.hi)));
    }

    private Uni<Void> refoldGapsIn(SqlConnection tx, int g, List<AgentRefold> all, Tuple windows) {
        return tx.preparedQuery(sql(g, HEARTBEATS_IN)).execute(windows)
                .invoke(rows -> rows.forEach(r -> all.get((int) (r.getLong("i") - 1)).heartbeats.add(
                        new Downtimes.Beat(r.getOffsetDateTime("occurred_at").toInstant(), r.getBoolean("signed_off")))))
                .chain(() -> tx.preparedQuery(sql(g, DELETE_GAPS)).execute(windows))
                .chain(() -> {
                    List<Tuple> gaps = new ArrayList<>();
                    for (AgentRefold a : all) {
                        for (Downtime d : Downtimes.ofBeats(a.heartbeats, List.of(), config.agents().offlineAfter())) {
                            gaps.add(Tuple.of(a.site, a.agentId, utc(d.start()), utc(d.end())));
                        }
                    }
                    return gaps.isEmpty() ? Uni.createFrom().voidItem()
                            : tx.preparedQuery(sql(g, INSERT_GAP)).executeBatch(gaps).replaceWithVoid();
                });
    }

    private Uni<Void> status(SqlConnection tx, int g, List<AgentRefold> all) {
        List<Tuple> latest = new ArrayList<>();
        List<Tuple> first = new ArrayList<>();
        for (AgentRefold a : all) {
            AgentHeartbeat h = (AgentHeartbeat) a.latest.data();
            latest.add(Tuple.tuple().addString(a.site).addString(a.agentId).addOffsetDateTime(utc(a.latest.time()))
                    .addUUID(a.latest.id()).addString(h.version()).addString(h.host()).addString(h.os()).addLong(h.uptimeSeconds())
                    .addInteger(h.outboxDepth()).addLong(h.lastScanMillis()).addInteger(h.devicesOnline().size())
                    .addBoolean(h.stopping()));
            first.add(Tuple.of(a.site, a.agentId, utc(a.batch.first())));
        }
        return tx.preparedQuery(sql(g, UPSERT_STATUS)).executeBatch(latest)
                .chain(() -> tx.preparedQuery(sql(g, FIRST_SEEN)).executeBatch(first)).replaceWithVoid();
    }

    private static Tuple windows(List<AgentRefold> all, Function<AgentRefold, Instant> lo, Function<AgentRefold, Instant> hi) {
        return Tuple.of(all.stream().map(a -> a.site).toArray(String[]::new),
                all.stream().map(a -> a.agentId).toArray(String[]::new),
                all.stream().map(a -> utc(lo.apply(a))).toArray(OffsetDateTime[]::new),
                all.stream().map(a -> utc(hi.apply(a))).toArray(OffsetDateTime[]::new));
    }
}
