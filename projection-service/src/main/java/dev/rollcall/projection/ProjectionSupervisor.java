package dev.rollcall.projection;

import dev.rollcall.events.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps each instance's consumers in line with the generation registry: a consumer for the live generation
 * and, during a rebuild, one for the building generation. Every {@code supervise-interval} it measures each
 * generation's lag (topic end offsets minus checkpoints), switches a rebuild live once it has caught up (lag
 * 0), stops consumers of retired generations and drops their tables after {@code drop-retired-after}.
 */
@ApplicationScoped
public class ProjectionSupervisor {

    private static final Logger LOG = Logger.getLogger(ProjectionSupervisor.class);
    private static final String NAME = WorkstationDayProjection.NAME;

    private final ProjectionConfig config;
    private final ReadModelSchema schema;
    private final Generations generations;
    private final Checkpoints checkpoints;
    private final WorkstationDayProjection projection;
    private final Pool pool;
    private final MeterRegistry metrics;
    private final String bootstrapServers;
    private final String topic = Topic.WORKSTATION.topicName();
    private final Map<Integer, GenerationConsumer> consumers = new ConcurrentHashMap<>();
    private final Set<Integer> dropped = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong liveLag = new AtomicLong();
    private final AtomicLong buildingLag = new AtomicLong();
    private volatile ProjectionStatus status;
    private Progress progress;
    private Thread thread;

    public ProjectionSupervisor(ProjectionConfig config, ReadModelSchema schema, Generations generations, Checkpoints checkpoints,
                                WorkstationDayProjection projection, Pool pool, MeterRegistry metrics,
                                @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.schema = schema;
        this.generations = generations;
        this.checkpoints = checkpoints;
        this.projection = projection;
        this.pool = pool;
        this.metrics = metrics;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) {
        // fail at start, not at the first report, when a configured rule is absurd (e.g. a zero timeout)
        config.workRulesOf("any-site");
        config.workstation().sites().keySet().forEach(config::workRulesOf);
        schema.apply();
        Generation live = generations.ensureLive(NAME, WorkstationDayProjection.VERSION, config.describeWorkRules());
        LOG.infof("projection %s: generation %d is live (%s)", NAME, live.generation(), live.rules());
        metrics.gauge("rollcall.projection.lag", List.of(io.micrometer.core.instrument.Tag.of("projection", NAME),
                io.micrometer.core.instrument.Tag.of("generation", "live")), liveLag);
        metrics.gauge("rollcall.projection.lag", List.of(io.micrometer.core.instrument.Tag.of("projection", NAME),
                io.micrometer.core.instrument.Tag.of("generation", "building")), buildingLag);
        if (config.workstation().enabled()) {
            running.set(true);
            thread = new Thread(this::superviseUntilStopped, "projection-supervisor");
            thread.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5));
        }
        consumers.values().forEach(GenerationConsumer::stop);
    }

    /** Starts a rebuild of {@code name}; the supervisors of all instances pick it up at their next check. */
    public Generation rebuild(String name) {
        if (!NAME.equals(name)) {
            throw new IllegalArgumentException("no projection named " + name);
        }
        Generation g = generations.startRebuild(NAME, WorkstationDayProjection.VERSION, config.describeWorkRules());
        LOG.infof("projection %s: rebuild started as generation %d (%s)", NAME, g.generation(), g.rules());
        return g;
    }

    /** The latest measurement, or null before the first. */
    public ProjectionStatus status() {
        return status;
    }

    /** Ready when the live generation's consumer runs and owns its partitions. */
    public boolean ready() {
        ProjectionStatus s = status;
        if (s == null || s.live() == null) {
            return false;
        }
        GenerationConsumer c = consumers.get(s.live().generation());
        return c != null && c.isRunning() && c.isAssigned();
    }

    private void superviseUntilStopped() {
        try (KafkaConsumer<byte[], byte[]> offsets = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "rollcall-" + NAME + "-supervisor",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            while (running.get()) {
                try {
                    supervise(offsets);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "projection %s: supervising failed; trying again", NAME);
                }
                try {
                    Thread.sleep(config.generations().superviseInterval());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    void supervise(KafkaConsumer<byte[], byte[]> offsets) {
        List<Generation> all = generations.of(NAME);
        Set<Integer> active = new HashSet<>();
        for (Generation g : all) {
            if (g.active()) {
                active.add(g.generation());
                consumers.computeIfAbsent(g.generation(), n -> new GenerationConsumer(n, config, checkpoints, projection, pool,
                        metrics, bootstrapServers).start());
            }
        }
        consumers.entrySet().removeIf(e -> {
            if (!active.contains(e.getKey())) {
                e.getValue().stop();
                LOG.infof("projection %s: stopped the consumer of retired generation %d", NAME, e.getKey());
                return true;
            }
            return false;
        });

        List<TopicPartition> partitions = offsets.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map((PartitionInfo p) -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> ends = offsets.endOffsets(partitions, Duration.ofSeconds(10));
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        Instant now = Instant.now();

        GenerationStatus live = null;
        GenerationStatus building = null;
        for (Generation g : all) {
            if (!g.active()) {
                continue;
            }
            Map<Integer, Long> at = checkpoints.load(NAME, g.generation(), topic).await().atMost(Duration.ofSeconds(30));
            long folded = 0;
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                long next = at.getOrDefault(end.getKey().partition(), 0L);
                folded += Math.min(next, end.getValue());
                lag += Math.max(0, end.getValue() - next);
            }
            GenerationConsumer c = consumers.get(g.generation());
            boolean consuming = c != null && c.isRunning();
            if (g.status() == Generation.Status.LIVE) {
                live = GenerationStatus.of(g, folded, total, lag, consuming, null);
                liveLag.set(lag);
            } else {
                progress = progress == null || progress.generation() != g.generation()
                        ? new Progress(g.generation(), folded, now, 0) : progress.next(folded, now);
                building = GenerationStatus.of(g, folded, total, lag, consuming, progress);
                buildingLag.set(lag);
            }
        }
        if (building == null) {
            buildingLag.set(0);
        }
        status = new ProjectionStatus(NAME, WorkstationDayProjection.VERSION, config.describeWorkRules(), live, building,
                all.stream().filter(g -> !g.active()).toList());

        if (building != null && building.lag() == 0 && generations.promote(NAME, building.generation())) {
            LOG.infof("projection %s: generation %d caught up (%d events) and is live; generation %s retired",
                    NAME, building.generation(), building.folded(), live == null ? "-" : live.generation());
        }
        Instant dropBefore = now.minus(config.generations().dropRetiredAfter());
        for (Generation g : all) {
            if (g.status() == Generation.Status.RETIRED && !dropped.contains(g.generation())
                    && g.retiredAt() != null && g.retiredAt().isBefore(dropBefore)) {
                generations.drop(NAME, g.generation());
                dropped.add(g.generation());
                LOG.infof("projection %s: dropped the tables of retired generation %d", NAME, g.generation());
            }
        }
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
     * What ops see of one generation. {@code secondsLeft}: at the current rate; null when unknown.
     * Registered for reflection: it leaves as a Response entity, which native images do not see through.
     */
    @RegisterForReflection
    public record GenerationStatus(int generation, String status, String rules, int codeVersion, long folded, long total,
                                   long lag, boolean consuming, double eventsPerSecond, Long secondsLeft,
                                   Instant createdAt, Instant liveAt) {
        static GenerationStatus of(Generation g, long folded, long total, long lag, boolean consuming, Progress p) {
            double rate = p == null ? 0 : p.eventsPerSecond();
            Long left = p == null || rate <= 0 ? null : (long) Math.ceil(lag / rate);
            return new GenerationStatus(g.generation(), g.status().wire(), g.rules(), g.codeVersion(), folded, total, lag,
                    consuming, Math.round(rate * 10) / 10.0, left, g.createdAt(), g.liveAt());
        }
    }

    /** A projection as ops see it: the live generation, a running rebuild, and the retired ones. */
    @RegisterForReflection
    public record ProjectionStatus(String projection, int codeVersion, String rulesNow, GenerationStatus live,
                                   GenerationStatus building, List<Generation> retired) {
    }
}
