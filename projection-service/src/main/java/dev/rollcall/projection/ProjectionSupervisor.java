package dev.rollcall.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs every {@link Projection} of this service, each with its own generations, consumers and supervising loop
 * ({@link ProjectionRunner}): consumers for the live generation and a running rebuild, lag measured against
 * the end of all its topics, a caught-up rebuild switched live, retired generations dropped.
 */
@ApplicationScoped
public class ProjectionSupervisor {

    private final ReadModelSchema schema;
    private final Map<String, ProjectionRunner> runners = new LinkedHashMap<>();

    public ProjectionSupervisor(@All List<Projection> projections, ProjectionConfig config, ReadModelSchema schema,
                                Generations generations, Checkpoints checkpoints, Pool pool, MeterRegistry metrics,
                                @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.schema = schema;
        projections.stream().sorted(Comparator.comparing(Projection::name)).forEach(p -> runners.put(p.name(),
                new ProjectionRunner(p, config, generations, checkpoints, pool, metrics, bootstrapServers)));
    }

    void onStart(@Observes StartupEvent event) {
        // fail at start, not at the first event, when a configured rule is absurd (e.g. a zero timeout)
        runners.values().forEach(r -> r.projection().checkRules());
        schema.apply();
        runners.values().forEach(ProjectionRunner::start);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        for (ProjectionRunner r : runners.values()) {
            r.stop();
        }
    }

    /** The projections' names, e.g. for an error that names what exists. */
    public List<String> names() {
        return List.copyOf(runners.keySet());
    }

    public boolean exists(String name) {
        return runners.containsKey(name);
    }

    /** Starts a rebuild of {@code name}; the supervisors of all instances pick it up at their next check. */
    public Generation rebuild(String name) {
        return runner(name).rebuild();
    }

    /** The latest measurement of {@code name}, or empty before the first. */
    public Optional<ProjectionStatus> status(String name) {
        return Optional.ofNullable(runner(name).status());
    }

    /** The latest measurement of every projection measured so far. */
    public List<ProjectionStatus> statuses() {
        return runners.values().stream().map(ProjectionRunner::status).filter(Objects::nonNull).toList();
    }

    /** Ready when every projection's live generation has a consumer that runs and owns its partitions. */
    public boolean ready() {
        return runners.values().stream().allMatch(ProjectionRunner::ready);
    }

    /** The projections that are not ready yet. */
    public List<String> notReady() {
        List<String> out = new ArrayList<>();
        runners.forEach((n, r) -> {
            if (!r.ready()) {
                out.add(n);
            }
        });
        return out;
    }

    private ProjectionRunner runner(String name) {
        ProjectionRunner r = runners.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no projection named " + name);
        }
        return r;
    }

    /** Folding rate of a rebuild, smoothed over the supervisor's samples. */
    record Progress(int generation, long folded, Instant at, double eventsPerSecond) {
        Progress next(long nowFolded, Instant now) {
            double seconds = Duration.between(at, now).toMillis() / 1000.0;
            if (seconds <= 0) {
                return this;
            }
            double rate = (nowFolded - folded) / seconds;
            return new Progress(generation, nowFolded, now, eventsPerSecond == 0 ? rate : 0.7 * eventsPerSecond + 0.3 * rate);
        }
    }

    /**
     * What ops see of one generation. {@code folded}, {@code total} and {@code lag} are summed over every
     * partition of every topic the projection reads. {@code secondsLeft}: at the current rate; null when unknown.
     * {@code loading}: still loading its history in bulk (with lag 0: folding what it loaded, in one transaction).
     * Registered for reflection: it leaves as a Response entity, which native images do not see through.
     */
    @RegisterForReflection
    public record GenerationStatus(int generation, String status, String rules, int codeVersion, long folded, long total,
                                   long lag, boolean consuming, double eventsPerSecond, Long secondsLeft,
                                   Instant createdAt, Instant liveAt, boolean loading) {
        static GenerationStatus of(Generation g, long folded, long total, long lag, boolean consuming, Progress p) {
            double rate = p == null ? 0 : p.eventsPerSecond();
            Long left = p == null || rate <= 0 ? null : (long) Math.ceil(lag / rate);
            return new GenerationStatus(g.generation(), g.status().wire(), g.rules(), g.codeVersion(), folded, total, lag,
                    consuming, Math.round(rate * 10) / 10.0, left, g.createdAt(), g.liveAt(), g.loading());
        }
    }

    /** A projection as ops see it: the topics it reads, the live generation, a running rebuild, and the retired ones. */
    @RegisterForReflection
    public record ProjectionStatus(String projection, int codeVersion, String rulesNow, List<String> topics,
                                   GenerationStatus live, GenerationStatus building, List<Generation> retired) {
    }
}
