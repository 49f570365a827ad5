package dev.rollcall.projection;

import dev.rollcall.events.Topic;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The roster as readers see it ({@code roster_site}, {@code roster_employee}, {@code roster_device_assignment}),
 * folded from {@code rollcall.roster} by {@link RosterFacts}: the latest event of each site and employee, and
 * each device's effective-dated assignments.
 */
@ApplicationScoped
public class RosterProjection implements Projection {

    public static final String NAME = "roster";
    /** 1: sites, employees, effective-dated device assignments. */
    public static final int VERSION = 1;

    private final ProjectionConfig config;
    private final Map<Integer, RosterFacts.Statements> statements = new ConcurrentHashMap<>();

    public RosterProjection(ProjectionConfig config) {
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
        return List.of(Topic.ROSTER);
    }

    @Override
    public String rules() {
        return "latest event by time wins for sites and employees; device assignments effective-dated";
    }

    @Override
    public ProjectionConfig.Consuming consuming() {
        return config.roster();
    }

    @Override
    public Uni<Folded> fold(SqlConnection tx, int generation, PartitionBatch batch) {
        RosterFacts.Statements sql = statements.computeIfAbsent(generation, g -> RosterFacts.Statements.of("roster", g));
        return RosterFacts.fold(tx, sql, batch.events()).map(c -> new Folded(c.fresh(), c.duplicates()));
    }
}
