package dev.rollcall.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rollcall.report.ReadModelSql.instant;

/**
 * Reads the agents projection's views ({@code agent_status}, {@code agent_downtime}): the agents page, and the
 * coverage of a report's period (which downtimes overlap it, which days presence is unknown on).
 */
@ApplicationScoped
public class AgentsReadModel {

    private static final Logger LOG = Logger.getLogger(AgentsReadModel.class);
    private static final String LIVE_RULES = ReadModelSql.liveRules("agents");
    private static final String STATUS = "SELECT agent_id, last_heartbeat_at, first_heartbeat_at, version, host, os, uptime_seconds, "
            + "outbox_depth, last_scan_millis, devices_online, stopping FROM agent_status WHERE site = $1";
    private static final String DOWNTIMES = "SELECT agent_id, start_at, end_at, cause FROM agent_downtime "
            + "WHERE site = $1 AND end_at > $2 AND start_at < $3";
    private static final String ENROLLMENT = "SELECT agent_id, enrolled_at, host, revoked_at FROM agent_enrollment WHERE site = $1";
    /** The agent StaffTrace's compatibility endpoints speak for: a presence agent that reports no scans. */
    static final String STAFFTRACE_AGENT_PREFIX = "stafftrace-";
    /** PostgreSQL's undefined_table: the agents projection has not published its views yet. */
    private static final String UNDEFINED_TABLE = "42P01";

    private final Pool pool;
    private final ReportConfig config;

    public AgentsReadModel(Pool pool, ReportConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The agents page: every agent of the site with its health now, and the downtimes of the last {@code days} days. */
    public Uni<AgentsReport> agents(Site configured, Instant now, int days) {
        return ReadModelSql.snapshot(pool, c -> site(c, configured).chain(site -> {
            LocalDate today = LocalDate.ofInstant(now, site.zone());
            Instant from = today.minusDays(days - 1L).atStartOfDay(site.zone()).toInstant();
            return Uni.combine().all().unis(status(c, site.id()), downtimes(c, site.id(), from, now.plus(Duration.ofDays(1))),
                            c.query(LIVE_RULES).execute(), enrollment(c, site.id()))
                    .asTuple().map(t -> {
                        Map<String, Row> status = t.getItem1();
                        Map<String, Enrollment> enrollment = t.getItem4();
                        List<AgentDowntime> downtimes = new ArrayList<>(AgentDowntimes.asOf(t.getItem2(),
                                lastHeartbeats(status, enrollment, now), presenceAgents(status), stopping(status), now,
                                config.agents().thresholds()));
                        downtimes.sort(Comparator.comparing(AgentDowntime::start).reversed());
                        Map<String, AgentsReport.Agent> agents = new LinkedHashMap<>();
                        status.forEach((id, r) -> {
                            Instant last = instant(r, "last_heartbeat_at");
                            boolean stopping = Boolean.TRUE.equals(r.getBoolean("stopping"));
                            agents.put(id, new AgentsReport.Agent(id,
                                    AgentHealth.of(last, stopping, presence(id, r), now, config.agents().thresholds()), last,
                                    Math.max(0, Duration.between(last, now).toSeconds()), instant(r, "first_heartbeat_at"),
                                    r.getString("version"), r.getString("host"), r.getString("os"), r.getLong("uptime_seconds"),
                                    r.getInteger("outbox_depth"), r.getLong("last_scan_millis"), r.getInteger("devices_online"),
                                    presence(id, r), enrolledAt(enrollment, id), revokedAt(enrollment, id, now),
                                    stopping ? last : null));
                        });
                        // enrolled, no heartbeat yet; or known only from an outage it reported: no heartbeat ever
                        enrollment.forEach((id, e) -> agents.computeIfAbsent(id, k -> new AgentsReport.Agent(id, AgentHealth.UNKNOWN,
                                null, null, null, null, e.host(), null, null, null, null, null, true, e.enrolledAt(),
                                revokedAt(enrollment, id, now), null)));
                        t.getItem2().forEach(d -> agents.computeIfAbsent(d.agentId(), id -> new AgentsReport.Agent(id,
                                AgentHealth.UNKNOWN, null, null, null, null, null, null, null, null, null, null, true, null, null,
                                null)));
                        List<AgentsReport.Agent> list = new ArrayList<>(agents.values());
                        list.sort(Comparator.comparing(AgentsReport.Agent::revoked)
                                .thenComparing(Comparator.comparing(AgentsReport.Agent::health).reversed())
                                .thenComparing(AgentsReport.Agent::agentId));
                        return new AgentsReport(site, now, today, days, config.agents().thresholds().healthyUnder().toSeconds(),
                                config.agents().thresholds().offlineAfter().toSeconds(), list, downtimes,
                                ReadModelSql.rules(t.getItem3()));
                    });
        }));
    }

    /**
     * The coverage of the local dates {@code first}..{@code last} at a site: the downtimes of its agents that overlap
     * them, and the days on which a presence agent's downtime makes attendance unknown. Before the agents projection
     * has published anything, nothing is known to be missing.
     */
    public Uni<Coverage> coverage(String site, ZoneId zone, LocalDate first, LocalDate last, Instant now) {
        return coverage(site, zone, first, last, now, false);
    }

    /**
     * The coverage of a presence page: only the downtimes of agents that observe presence. A workstation agent's
     * outage leaves who was in the office as known as before, so it gets no banner there.
     */
    public Uni<Coverage> presenceCoverage(String site, ZoneId zone, LocalDate first, LocalDate last, Instant now) {
        return coverage(site, zone, first, last, now, true);
    }

    private Uni<Coverage> coverage(String site, ZoneId zone, LocalDate first, LocalDate last, Instant now, boolean presenceOnly) {
        Instant from = first.atStartOfDay(zone).toInstant();
        Instant to = last.plusDays(1).atStartOfDay(zone).toInstant();
        return ReadModelSql.snapshot(pool, c -> Uni.combine().all().unis(status(c, site), downtimes(c, site, from, to),
                        enrollment(c, site)).asTuple())
                .map(t -> Coverage.of(AgentDowntimes.asOf(t.getItem2(), lastHeartbeats(t.getItem1(), t.getItem3(), now),
                        presenceAgents(t.getItem1()), stopping(t.getItem1()), now, config.agents().thresholds()).stream()
                        .filter(d -> !presenceOnly || d.presence()).toList(), first, last, zone, now))
                .onFailure(AgentsReadModel::noAgentsViewsYet).recoverWithItem(e -> {
                    LOG.debugf("no agents views yet: %s", e.getMessage());
                    return Coverage.NONE;
                });
    }

    private static boolean noAgentsViewsYet(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException p && UNDEFINED_TABLE.equals(p.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static Uni<Map<String, Row>> status(SqlConnection c, String site) {
        return c.preparedQuery(STATUS).execute(Tuple.of(site)).map(rows -> {
            Map<String, Row> m = new HashMap<>();
            rows.forEach(r -> m.put(r.getString("agent_id"), r));
            return m;
        });
    }

    private static Uni<List<AgentDowntimes.Stored>> downtimes(SqlConnection c, String site, Instant from, Instant to) {
        return c.preparedQuery(DOWNTIMES).execute(Tuple.of(site, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<AgentDowntimes.Stored> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new AgentDowntimes.Stored(r.getString("agent_id"), instant(r, "start_at"),
                            instant(r, "end_at"), r.getString("cause"))));
                    return out;
                });
    }

    /**
     * The last heartbeat of each agent still expected to beat: a revoked agent's silence is no downtime, nor that of a
     * workstation agent whose last heartbeat was its deliberate stop (signed off: the PC is off, not failing).
     */
    private static Map<String, Instant> lastHeartbeats(Map<String, Row> status, Map<String, Enrollment> enrollment, Instant now) {
        Map<String, Instant> m = new HashMap<>();
        status.forEach((id, r) -> {
            boolean signedOff = Boolean.TRUE.equals(r.getBoolean("stopping")) && !presence(id, r);
            if (revokedAt(enrollment, id, now) == null && !signedOff) {
                m.put(id, instant(r, "last_heartbeat_at"));
            }
        });
        return m;
    }

    /** An agent's enrollment: when (null: configured, not enrolled), its host, when it was revoked. */
    private record Enrollment(Instant enrolledAt, String host, Instant revokedAt) {
    }

    private static Uni<Map<String, Enrollment>> enrollment(SqlConnection c, String site) {
        return c.preparedQuery(ENROLLMENT).execute(Tuple.of(site)).map(rows -> {
            Map<String, Enrollment> m = new HashMap<>();
            rows.forEach(r -> m.put(r.getString("agent_id"),
                    new Enrollment(instant(r, "enrolled_at"), r.getString("host"), instant(r, "revoked_at"))));
            return m;
        });
    }

    private static Instant enrolledAt(Map<String, Enrollment> enrollment, String id) {
        Enrollment e = enrollment.get(id);
        return e == null ? null : e.enrolledAt();
    }

    /** When the agent was revoked, if it was (after its latest enrollment) by {@code now}. */
    private static Instant revokedAt(Map<String, Enrollment> enrollment, String id, Instant now) {
        Enrollment e = enrollment.get(id);
        if (e == null || e.revokedAt() == null || e.revokedAt().isAfter(now)) {
            return null;
        }
        return e.enrolledAt() == null || e.revokedAt().isAfter(e.enrolledAt()) ? e.revokedAt() : null;
    }

    /**
     * Which agents observe presence: those whose last heartbeat reported a scan (network agents), StaffTrace's agent,
     * and agents known only from an outage they reported. A workstation agent's downtime is shown, but does not make
     * attendance unknown.
     */
    private static java.util.function.Predicate<String> presenceAgents(Map<String, Row> status) {
        return id -> presence(id, status.get(id));
    }

    /** Which agents' last heartbeat said they were stopping (deliberately, by their host). */
    private static java.util.function.Predicate<String> stopping(Map<String, Row> status) {
        return id -> status.get(id) != null && Boolean.TRUE.equals(status.get(id).getBoolean("stopping"));
    }

    private static boolean presence(String id, Row status) {
        return status == null || status.getLong("last_scan_millis") != null || id.startsWith(STAFFTRACE_AGENT_PREFIX);
    }

    private static Uni<RosterSite> site(SqlConnection c, Site configured) {
        return c.preparedQuery("SELECT name, zone, presence_grace_minutes FROM roster_site WHERE site = $1")
                .execute(Tuple.of(configured.id())).map(rows -> {
                    for (Row r : rows) {
                        ZoneId zone;
                        try {
                            zone = ZoneId.of(r.getString("zone"));
                        } catch (DateTimeException | NullPointerException e) {
                            zone = configured.zone();
                        }
                        return new RosterSite(configured.id(), r.getString("name"), zone, r.getInteger("presence_grace_minutes"));
                    }
                    return RosterSite.unknown(configured);
                });
    }
}
