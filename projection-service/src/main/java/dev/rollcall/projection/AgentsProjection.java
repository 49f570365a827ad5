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
 */
@ApplicationScoped
public class AgentsProjection implements Projection {

    public static final String NAME = "agents";
    /** 1: heartbeats, status, gaps and reported outages. 2: no gap after a workstation agent's stopping heartbeat. */
    public static final int VERSION = 2;

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

    static final String STORE_REPORTED = """
            INSERT INTO agent_reported_downtime_g{g} (event_id, site, agent_id, start_at, end_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (event_id) DO NOTHING""";

    static final String HEARTBEATS_IN = """
            SELECT t.i, h.occurred_at, h.stopping AND h.last_scan_millis IS NULL AS signed_off FROM %s
            JOIN agents_heartbeat_g{g} h ON h.site = t.site AND h.agent_id = t.agent_id AND h.occurred_at BETWEEN t.lo AND t.hi"""
            .formatted(AGENT_WINDOWS);

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

    @Override
    public Uni<Folded> fold(SqlConnection tx, int generation, PartitionBatch batch) {
        Map<List<String>, AgentRefold> agents = new LinkedHashMap<>();
        HeartbeatColumns heartbeats = new HeartbeatColumns();
        List<Tuple> reported = new ArrayList<>();
        List<Tuple> enrolled = new ArrayList<>();
        List<Tuple> revoked = new ArrayList<>();
        Comparator<EventEnvelope> newest = Comparator.comparing(EventEnvelope::time).thenComparing(EventEnvelope::id);
        for (EventEnvelope e : batch.events()) {
            if (e.data() instanceof AgentHeartbeat h) {
                AgentRefold a = agents.computeIfAbsent(List.of(e.site(), h.agentId()), k -> new AgentRefold(e.site(), h.agentId()));
                a.batch.add(e.time());
                if (a.latest == null || newest.compare(e, a.latest) > 0) {
                    a.latest = e;
                }
                heartbeats.add(e, h);
            } else if (e.data() instanceof AgentDowntimeReported d) {
                reported.add(Tuple.tuple().addUUID(e.id()).addString(e.site()).addString(e.subject() != null ? e.subject() : e.source())
                        .addOffsetDateTime(utc(d.start())).addOffsetDateTime(utc(d.end())));
            } else if (e.data() instanceof AgentEnrolled a) {
                enrolled.add(Tuple.of(e.site(), a.agentId(), utc(e.time()), a.host()));
            } else if (e.data() instanceof AgentRevoked r) {
                revoked.add(Tuple.of(e.site(), r.agentId(), utc(e.time())));
            }
        }
        if (heartbeats.ids.isEmpty() && reported.isEmpty() && enrolled.isEmpty() && revoked.isEmpty()) {
            return Uni.createFrom().item(Folded.NOTHING);
        }
        // enrollment events are idempotent upserts: each counts as folded
        int total = heartbeats.ids.size() + reported.size() + enrolled.size() + revoked.size();
        int[] fresh = {enrolled.size() + revoked.size()};
        List<AgentRefold> all = List.copyOf(agents.values());
        Uni<Void> neighbours = all.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery(sql(generation, NEIGHBOURS)).execute(windows(all, a -> a.batch.first(), a -> a.batch.last()))
                .invoke(rows -> rows.forEach(r -> {
                    AgentRefold a = all.get((int) (r.getLong("i") - 1));
                    Instant before = instant(r.getOffsetDateTime("before_at"));
                    Instant after = instant(r.getOffsetDateTime("after_at"));
                    a.lo = before != null ? before : a.batch.first();
                    a.hi = after != null ? after : a.batch.last();
                })).replaceWithVoid();
        return neighbours
                .chain(() -> heartbeats.ids.isEmpty() ? Uni.createFrom().item(0)
                        : tx.preparedQuery(sql(generation, STORE_HEARTBEATS)).execute(heartbeats.tuple()).map(RosterFacts::countRows))
                .invoke(n -> fresh[0] += n)
                .chain(() -> reported.isEmpty() ? Uni.createFrom().item(0)
                        : tx.preparedQuery(sql(generation, STORE_REPORTED)).executeBatch(reported).map(RosterFacts::countRows))
                .invoke(n -> fresh[0] += n)
                .chain(() -> enrolled.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(sql(generation, ENROLLED)).executeBatch(enrolled).replaceWithVoid())
                .chain(() -> revoked.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(sql(generation, REVOKED)).executeBatch(revoked).replaceWithVoid())
                .chain(() -> all.isEmpty() ? Uni.createFrom().voidItem() : refoldGaps(tx, generation, all).chain(() -> status(tx, generation, all)))
                .map(x -> new Folded(fresh[0], total - fresh[0]));
    }

    private Uni<Void> refoldGaps(SqlConnection tx, int g, List<AgentRefold> all) {
        Tuple windows = windows(all, a -> a.lo, a -> a.hi);
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
